"""Where drafter keeps the user's things: the profile, the parent registry, unfinished answers, a cache.

DRAFTER_HOME moves all of them (default: the platform's user data folder); DRAFTER_PARENTS_DIR or --parents-dir
moves only the parent registry, so that an office can share one folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "DRAFTER_HOME"
ENV_PARENTS = "DRAFTER_PARENTS_DIR"


def home() -> Path:
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("drafter", appauthor=False))


def cache_dir() -> Path:
    """What drafter keeps only to be faster (templatecache.py): DRAFTER_HOME/cache, else the platform's user cache
    folder."""
    if os.environ.get(ENV_HOME):
        return home() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("drafter", appauthor=False))


def parents_dir(option: Path | None = None) -> Path:
    if option:
        return Path(option).expanduser()
    if os.environ.get(ENV_PARENTS):
        return Path(os.environ[ENV_PARENTS]).expanduser()
    return home() / "parents"


def profile_path() -> Path:
    return home() / "profile.yaml"


def unfinished_path() -> Path:
    return home() / "unfinished.yaml"
