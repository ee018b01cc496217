"""Hard links instead of copies for files that are never changed in place."""

import os
import shutil
from pathlib import Path


def link_or_copy(source: str, target: str) -> None:
    """shutil.copytree copy_function: a hard link, or a copy where links cannot be made (another file system).

    why: published files are never changed in place (pipeline/publish.py swaps whole folders), so the
    site and the packages, or tonight's site and last night's, can share them.
    """
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path) -> None:
    """Every file of source linked (or copied) into target, which may exist but must hold none of them."""
    shutil.copytree(source, target, copy_function=link_or_copy, dirs_exist_ok=True)
