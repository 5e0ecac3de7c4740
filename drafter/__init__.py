"""drafter: draft 安全生产月 notices as print-ready GB/T 9704-2012 Word files.

Plugins import ``hookimpl`` from here: ``from drafter import hookimpl``."""

__version__ = "0.2.0"
__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str):
    # Lazy, so that `drafter --help` does not import pluggy.
    if name == "hookimpl":
        from .hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'drafter' has no attribute {name!r}")
