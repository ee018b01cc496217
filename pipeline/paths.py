"""Where the project's own files live (package data, theme, content).

In a checkout the theme, content pages, pelicanconf.py and node_modules sit at its root, beside
pipeline/. A built wheel carries them inside the package, in pipeline/_site/ (see setup.py); an
installed mieruka then writes datapackages/ and output/ into the current folder by default.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
SCHEMAS = PACKAGE / "schemas"
ADAPTERS = PACKAGE / "adapters"
REFERENCE = PACKAGE / "reference"
_IN_CHECKOUT = (CHECKOUT / "pelicanconf.py").is_file()
SITE_ROOT = CHECKOUT if _IN_CHECKOUT else PACKAGE / "_site"
ROOT = CHECKOUT if _IN_CHECKOUT else Path.cwd()  # where datapackages/ and output/ go by default
THEME = SITE_ROOT / "themes" / "portal"
CONTENT = SITE_ROOT / "content"
PELICANCONF = SITE_ROOT / "pelicanconf.py"
NODE_MODULES = SITE_ROOT / "node_modules"
