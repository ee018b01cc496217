"""The portal's group: which prefecture it is for and which member bodies it shows (configuration, not code).

Read from the TOML file named by $MIERUKA_PORTAL, else the bundled `pipeline/portal.toml`:

    [portal]
    prefecture = "350001"          # 6-digit code of the prefecture (check digit included)
    members = ["352071", "352101"] # optional: the bodies shown; default: every body with a package

The file is read once, when mieruka starts (set the variable before running it).
"""

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import codes
from .paths import PACKAGE

PORTAL_ENV = "MIERUKA_PORTAL"
DEFAULT = PACKAGE / "portal.toml"


class PortalError(ValueError):
    """A portal file that cannot be used."""


@dataclass(frozen=True)
class Portal:
    prefecture: str
    members: tuple[str, ...] = ()  # empty: every body with a package

    def includes(self, code: str) -> bool:
        """True if the body belongs to the portal (the prefecture itself always does)."""
        return not self.members or code in self.members or code == self.prefecture


def parse(text: str, where: str) -> Portal:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PortalError(f"{where}: not TOML: {exc}") from exc
    table = raw.get("portal")
    if not isinstance(table, dict):
        raise PortalError(f"{where}: table [portal] is missing")
    if unknown := sorted(set(table) - {"prefecture", "members"}):
        raise PortalError(f"{where}: [portal] unknown key {unknown[0]!r} (known keys: prefecture, members)")
    prefecture = table.get("prefecture")
    if not isinstance(prefecture, str) or not codes.is_valid(prefecture) or prefecture[2:5] != "000" \
            or not 1 <= int(prefecture[:2]) <= 47:
        raise PortalError(f"{where}: [portal] prefecture {prefecture!r} is not a prefecture's 6-digit code "
                          "(e.g. 350001 for Yamaguchi)")
    members = table.get("members", [])
    if not isinstance(members, list) or not all(isinstance(m, str) and codes.is_valid(m) for m in members):
        raise PortalError(f"{where}: [portal] members must be a list of 6-digit local government codes")
    return Portal(prefecture, tuple(members))


@cache
def config() -> Portal:
    path = Path(os.environ[PORTAL_ENV]) if os.environ.get(PORTAL_ENV) else DEFAULT
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PortalError(f"{path}: cannot read the portal file ({exc.strerror})") from exc
    return parse(text, path.name)


PREFECTURE = config().prefecture
