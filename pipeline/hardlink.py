"""Carry a published folder into tonight's release as hard links instead of copies.

Safe because published files are never modified in place: package.write_package writes each
package into a fresh folder of the staging area, publish.py only renames whole folders and
removes the parked ones (which drops a name, not the data), and the site links the packages'
files into its downloads and never writes there (site/csp.py skips downloads/). A file shared by
last night's and tonight's release, or by the packages and the site, therefore never changes under
any of them. A night without changes then costs a directory walk instead of copying every byte.
"""

import os
import shutil
from pathlib import Path


def link_or_copy(source: str, target: str) -> str:
    """Hard-link source at target; copy it (with its times) where links are not possible."""
    try:
        os.link(source, target)
    except OSError:  # why: another filesystem (EXDEV) or one without hard links (EPERM, ENOTSUP)
        shutil.copy2(source, target)
    return target


def copy_tree(source: Path, target: Path, *, exist_ok: bool = False) -> Path:
    """shutil.copytree with hard links where the filesystem allows them."""
    shutil.copytree(source, target, copy_function=link_or_copy, dirs_exist_ok=exist_ok)
    return target
