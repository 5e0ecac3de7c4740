"""`drafter parents`: the registry of parent notices (store.py), the text of a received .docx, .pdf or .txt
(sourcetext.py) and the parent notice extracted from it (importer.py).

The registry's names are re-exported here (``from drafter.parents import registry``), loaded when first asked for,
so that importing sourcetext or importer costs no more than those modules (the registry's models need pydantic)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import (
        NATIONAL_CO_ISSUERS,
        NATIONAL_ISSUER,
        AlreadyHeld,
        Entry,
        NotInRegistry,
        ParentNotice,
        Problem,
        Registry,
        RegistryError,
        dump,
        file_name,
        from_answers,
        issuers_typed,
        registry,
        shipped,
    )

__all__ = ["NATIONAL_CO_ISSUERS", "NATIONAL_ISSUER", "AlreadyHeld", "Entry", "NotInRegistry", "ParentNotice", "Problem",
           "Registry", "RegistryError", "dump", "file_name", "from_answers", "issuers_typed", "registry", "shipped"]


def __getattr__(name: str) -> object:  # object: a name not imported above is of no use to mypy
    if name in __all__:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
