"""Pelican settings of the mieruka portal: Japanese site at /, English subsite at /en/.

The data pages are rendered by pipeline.site.generator from the published packages; build_site()
in pipeline/site/build.py overrides MIERUKA_PACKAGES_DIR, OUTPUT_PATH, SITEURL and the catalog folder.
"""

from pathlib import Path

_ROOT = Path(__file__).resolve().parent

SITENAME = "見える化 道路維持管理ポータル"
SITENAME_EN = "Mieruka road maintenance portal"
SITEURL = ""
AUTHOR = "山口県・下松市・光市・周南市 道路維持管理 共同実施"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
DEFAULT_DATE = (2025, 4, 1)
LOCALE = ("C",)

PATH = str(_ROOT / "content")
THEME = str(_ROOT / "themes" / "portal")
OUTPUT_PATH = str(_ROOT / "output")
PAGE_PATHS = ["pages"]
ARTICLE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
PAGE_LANG_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""

# why: the menu is ours (DISPLAY_PAGES_ON_MENU copies every page into every page's menu).
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
DIRECT_TEMPLATES: list[str] = []
INDEX_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
DEFAULT_PAGINATION = False

# Feeds are written per municipality by the portal generator (deterministic, from run.json).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
SLUGIFY_SOURCE = "basename"

PLUGIN_PATHS: list[str] = []
PLUGINS = ["pelican.plugins.i18n_subsites", "pipeline.site.generator"]

JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
}
I18N_GETTEXT_DOMAIN = "messages"
I18N_GETTEXT_LOCALEDIR = str(_ROOT / "pipeline" / "site" / "translations")
I18N_TEMPLATES_LANG = "ja"
I18N_UNTRANSLATED_PAGES = "remove"
I18N_SUBSITES = {
    "en": {
        "SITENAME": SITENAME_EN,
        "AUTHOR": "Yamaguchi Prefecture, Kudamatsu, Hikari and Shunan joint road maintenance",
    },
}

# The published packages the data pages are built from (build_site() passes the real folder).
MIERUKA_PACKAGES_DIR = str(_ROOT / "datapackages")
MIERUKA_CASES_PER_PAGE = 50
MIERUKA_MIN_N = 20
