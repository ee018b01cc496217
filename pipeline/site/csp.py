"""Content-Security-Policy for every built page: scripts only from the site itself.

Pages load their scripts from files and get `script-src 'self'` only, so a script that slipped
into a page through data would not run. The map documents (maps/, written by our own code from
counts and schema labels) carry one inline script each, allowed by its sha256 hash alone.
Data blocks (application/json, application/ld+json) are not executed and need no allowance.
Map tiles come from the Geospatial Information Authority.
"""

import base64
import hashlib
import re
from pathlib import Path

TILES = "https://cyberjapandata.gsi.go.jp"
_INLINE = re.compile(r"<script(?P<attrs>(?:(?!\bsrc=)[^>])*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json")
_HEAD = re.compile(r"<head>", re.I)


def policy(html: str, allow_inline: bool = False) -> str:
    """The policy for one page: scripts from 'self', plus (map documents only) their inline ones by hash."""
    hashes = []
    for match in _INLINE.finditer(html if allow_inline else ""):
        if any(f'type="{t}"' in match["attrs"] for t in _DATA_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(match["body"].encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    scripts = " ".join(["'self'", *sorted(set(hashes))])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: {TILES}; "
            "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'")


def with_policy(html: str, allow_inline: bool = False) -> str:
    """Insert the policy as the first element of <head> (before any script can run)."""
    if "Content-Security-Policy" in html or not _HEAD.search(html):
        return html
    meta = f'<head>\n<meta http-equiv="Content-Security-Policy" content="{policy(html, allow_inline)}">'
    return _HEAD.sub(meta, html, count=1)


def apply(output_dir: Path) -> int:
    """Add the policy to every page under output_dir; returns the number of pages.

    why: downloads/ holds the published packages' own files, hard-linked: never written to.
    """
    pages = sorted(p for p in output_dir.rglob("*.html") if p.relative_to(output_dir).parts[0] != "downloads")
    for path in pages:
        text = path.read_text(encoding="utf-8")
        inline = "maps" in path.relative_to(output_dir).parts
        changed = with_policy(text, allow_inline=inline)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
    return len(pages)
