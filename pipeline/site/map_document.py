"""Standalone, self-hosted, deterministic map documents built on folium.

The pieces `maps.py` assembles: a Figure that writes `<html lang>` and an escaped `<title>`, a folium
Map whose only scripts and stylesheets are the self-hosted Leaflet files, the GSI tile layer, a safe
JSON encoder for data handed to our own scripts, and counter-based element IDs.

Data never passes through folium's Popup/Tooltip/GeoJson text paths (they embed raw HTML, JavaScript
template literals and a second Jinja rendering). It goes into our own scripts as JSON in which every
character that could end a script, start markup or be read as a template (`< > & ' { } $ % \\``)
is a `\\uXXXX` escape, and the browser puts it on the page with `textContent` only.
"""

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

LANGS = ("ja", "en")

GSI_TILES = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
GSI_ATTRIBUTION = {
    "ja": '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
    "en": '<a href="https://maps.gsi.go.jp/development/ichiran.html">GSI Tiles</a>',
}

# why: a prefix goes verbatim into src/href attributes; allowing only path characters keeps it relative
# (no scheme, no host, no quotes) so the documents can never pull code from another origin.
_PREFIX = re.compile(r"^(?!/)[A-Za-z0-9._~/-]*$")

_JSON_ESCAPES = {c: f"\\u{ord(c):04x}" for c in "<>&'{}$%`"}
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_TEXT_ESCAPES = {"{": "&#123;", "}": "&#125;", "$": "&#36;", "%": "&#37;", "`": "&#96;"}


def check_lang(lang: str) -> str:
    """Return `lang` if it is a page language of the portal, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"unsupported page language {lang!r}; expected one of {LANGS}")
    return lang


def check_asset_prefix(asset_prefix: str) -> str:
    """Return the relative vendor prefix, ending in '/', or raise ValueError for anything else."""
    if not _PREFIX.match(asset_prefix) or "//" in asset_prefix:
        raise ValueError(f"asset_prefix must be a relative URL path such as '../static/vendor/': "
                         f"{asset_prefix!r}")
    if asset_prefix and not asset_prefix.endswith("/"):
        asset_prefix += "/"
    return asset_prefix


def neutral_text(text: str) -> str:
    """Text -> HTML-escaped text in which template and template-literal syntax is inert too."""
    escaped = html.escape(text, quote=True)
    return "".join(_TEXT_ESCAPES.get(c, c) for c in escaped)


def script_json(value: Any) -> str:
    """Value -> JSON for a <script> element: inside strings, markup and template characters are escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_STRING.sub(lambda m: "".join(_JSON_ESCAPES.get(c, c) for c in m.group(0)), text)


class Document(Figure):
    """A Figure that declares the page language and keeps the map script inside <body>."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "<title>{{ this.safe_title }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, lang: str, title: str) -> None:
        super().__init__(title=title)
        self.lang = check_lang(lang)
        self.safe_title = neutral_text(title)


class VendoredMap(folium.Map):
    """folium.Map that loads only the self-hosted Leaflet files and lets users zoom the page."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <style>
                html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
                #{{ this.get_name() }} { position: absolute; inset: 0; }
                .leaflet-container { font-size: 1rem; }
            </style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            {%- if this.control_scale %}
            L.control.scale({imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, asset_prefix: str, location: tuple[float, float], zoom: int) -> None:
        # why: quarter-step zoom lets fitBounds fill a wide, low iframe with the whole prefecture.
        super().__init__(location=location, zoom_start=zoom, tiles=None, control_scale=True, zoom_snap=0.25)
        prefix = check_asset_prefix(asset_prefix)
        self.default_js = [("leaflet", f"{prefix}leaflet/leaflet.js")]
        self.default_css = [("leaflet_css", f"{prefix}leaflet/leaflet.css")]


def gsi_tiles(lang: str) -> folium.TileLayer:
    """The GSI standard map (地理院タイル) as a tile layer with its attribution."""
    return folium.TileLayer(tiles=GSI_TILES, attr=GSI_ATTRIBUTION[check_lang(lang)],
                            name="gsi_std", min_zoom=5, max_zoom=18, subdomains="")


class Script(MacroElement):
    """A fixed script of ours with pre-escaped JSON `payload`; `{{ this.map }}` is the map variable."""

    def __init__(self, name: str, template: str, payload: Any, **context: str) -> None:
        super().__init__()
        self._name = name
        self._template = Template("{% macro script(this, kwargs) %}" + template + "{% endmacro %}")
        self.payload = script_json(payload)
        self.context = context

    @property
    def map(self) -> str:
        parent = self._parent
        return parent.get_name() if parent is not None else "null"


class Header(MacroElement):
    """Fixed markup for <head> (styles)."""

    def __init__(self, name: str, markup: str) -> None:
        super().__init__()
        self._name = name
        self._template = Template("{% macro header(this, kwargs) %}" + markup + "{% endmacro %}")


def _walk(element: Element) -> Iterator[Element]:
    yield element
    if isinstance(element, Figure):
        for part in (element.header, element.html, element.script):
            yield from _walk(part)
    for child in list(element._children.values()):
        yield from _walk(child)


def assign_ids(root: Element) -> None:
    """Replace branca's random element IDs by a counter in tree order, so output is reproducible."""
    for number, element in enumerate(_walk(root)):
        element._id = f"{number:04d}"


def render(document: Document) -> str:
    """Render the document with deterministic IDs."""
    assign_ids(document)
    return document.render()
