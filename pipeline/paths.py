"""Where the project's own files live (package data, theme, content)."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
SCHEMAS = PACKAGE / "schemas"
ADAPTERS = PACKAGE / "adapters"
REFERENCE = PACKAGE / "reference"
THEME = ROOT / "themes" / "portal"
CONTENT = ROOT / "content"
PELICANCONF = ROOT / "pelicanconf.py"
