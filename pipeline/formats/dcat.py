"""The DCAT catalogue of the published packages: catalog.jsonld (DCAT 2, shaped after DCAT-AP).

Made from the package descriptors only (and the zip files, which cannot list their own size inside):
one dcat:Dataset per package, one dcat:Distribution per downloadable file (each CSV and its Excel copy,
the zip, each Parquet file, the Open311 files, the labelled workbook, the SQLite database), each with
dcat:byteSize and an spdx:checksum (sha256) from the descriptor. Publisher: the body, with its
local-government code (団体コード) as dct:identifier; licence, temporal coverage (first and last date
received), spatial coverage (the body's name and the bounding box of its boundary), modified date.

URLs are relative to the catalogue's own place (`<package>/<file>`), which is the packages folder and
the site's downloads/ folder alike: a harvester resolves them against the URL it fetched.
"""

import json
from pathlib import Path
from typing import Any

from .. import reference
from .files import MEDIA_TYPES, sha256_file

FILE_NAME = "catalog.jsonld"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
# EU Publications Office file types (the DCAT-AP vocabulary for dct:format).
FILE_TYPES = {"csv": "CSV", "parquet": "PARQUET", "json": "JSON", "xlsx": "XLSX", "zip": "ZIP"}
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGES = ["http://publications.europa.eu/resource/authority/language/JPN",
             "http://publications.europa.eu/resource/authority/language/ENG"]
OPEN311 = "http://wiki.open311.org/GeoReport_v2/"
DATA_PACKAGE = "https://specs.frictionlessdata.io/data-package/"
PREFECTURE = "350001"


def _texts(ja: str, en: str) -> list[dict[str, str]]:
    return [{"@value": ja, "@language": "ja"}, *([{"@value": en, "@language": "en"}] if en else [])]


def _date(value: str) -> dict[str, str]:
    return {"@value": value[:10], "@type": "xsd:date"}


def _distribution(package: str, path: str, kind: str, size: int, digest: str, title: tuple[str, str],
                  licence: str) -> dict[str, Any]:
    url = f"{package}/{path}"
    entry: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": _texts(*title),
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{_media(kind)}"},
        "dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                          "spdx:checksumValue": {"@value": digest.removeprefix("sha256:"), "@type": "xsd:hexBinary"}},
        "dct:license": {"@id": licence},
    }
    if kind in FILE_TYPES:
        entry["dct:format"] = {"@id": FILE_TYPE_BASE + FILE_TYPES[kind]}
    if path.startswith("open311/"):
        entry["dct:conformsTo"] = {"@id": OPEN311}
    return entry


def _media(kind: str) -> str:
    return MEDIA_TYPES[kind]


def _bbox(codes: list[str]) -> str | None:
    """WKT polygon of the bounding box of these bodies' boundaries (None if none is known)."""
    points: list[list[float]] = []
    for feature in reference.boundaries()["features"]:
        if feature["properties"]["code"] in codes or PREFECTURE in codes:
            _points(feature["geometry"]["coordinates"], points)
    if not points:
        return None
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    w, e, s, n = (f"{v:.5f}" for v in (west, east, south, north))
    return f"POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"


def _points(coordinates: list[Any], out: list[list[float]]) -> None:
    """Every [lon, lat] of a Polygon's or MultiPolygon's coordinates."""
    if coordinates and isinstance(coordinates[0], int | float):
        out.append(coordinates)
        return
    for part in coordinates:
        _points(part, out)


def dataset(folder: Path, descriptor: dict[str, Any]) -> dict[str, Any]:
    """One package -> its dcat:Dataset."""
    name = folder.name
    custom = descriptor.get("mieruka", {})
    code = str(custom.get("municipality_code", ""))
    names = reference.names().get(code, {"ja": code, "en": code})
    licence = (descriptor.get("licenses") or [{}])[0].get("path", "")
    distributions = []
    for r in descriptor.get("resources", []):
        title = (str(r.get("title", r["name"])), str(r.get("title_en", "")))
        distributions.append(_distribution(name, r["path"], "csv", r["bytes"], r["hash"], title, licence))
    for d in custom.get("distributions", []):
        distributions.append(_distribution(name, d["path"], d["format"], d["bytes"], d["hash"],
                                           (d["title"], d.get("title_en", "")), licence))
    archive = folder / f"{name}.zip"
    if archive.is_file():
        distributions.append(_distribution(name, archive.name, "zip", archive.stat().st_size, sha256_file(archive),
                                           ("すべてのCSVをまとめたZIP", "All CSV files in one zip"), licence))
    codes = [code] if code != PREFECTURE else [PREFECTURE]
    spatial: dict[str, Any] = {"@type": "dct:Location", "skos:prefLabel": _texts(names["ja"], names["en"])}
    if box := _bbox(codes):
        spatial["dcat:bbox"] = {"@value": box, "@type": "gsp:wktLiteral"}
    out: dict[str, Any] = {
        "@id": f"{name}/",
        "@type": "dcat:Dataset",
        "dct:identifier": str(descriptor.get("id", name)),
        "dct:title": _texts(str(descriptor.get("title", name)), str(descriptor.get("title_en", ""))),
        "dct:description": _texts(str(descriptor.get("description", "")), str(descriptor.get("description_en", ""))),
        "dcat:keyword": list(descriptor.get("keywords", [])),
        "dct:publisher": {"@id": f"#body-{code}", "@type": "foaf:Organization",
                          "foaf:name": _texts(names["ja"], names["en"]), "dct:identifier": code},
        "dct:license": {"@id": licence},
        "dct:language": [{"@id": lang} for lang in LANGUAGES],
        "dct:modified": _date(str(descriptor.get("created", ""))),
        "dct:conformsTo": {"@id": DATA_PACKAGE},
        "dct:spatial": spatial,
        "owl:versionInfo": str(descriptor.get("version", "")),
        "dcat:distribution": distributions,
    }
    if coverage := custom.get("coverage"):
        out["dct:temporal"] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(coverage["start"]),
                               "dcat:endDate": _date(coverage["end"])}
    return out


def catalogue(packages_dir: Path) -> dict[str, Any]:
    """Every package folder under packages_dir -> the dcat:Catalog document."""
    folders = sorted(p for p in packages_dir.iterdir() if (p / "datapackage.json").is_file())
    descriptors = [(f, json.loads((f / "datapackage.json").read_text(encoding="utf-8"))) for f in folders]
    datasets = [dataset(f, d) for f, d in descriptors]
    modified = max((str(d.get("created", ""))[:10] for _f, d in descriptors), default="")
    prefecture = reference.names().get(PREFECTURE, {"ja": "山口県", "en": "Yamaguchi Prefecture"})
    document: dict[str, Any] = {
        "@context": {**CONTEXT, "owl": "http://www.w3.org/2002/07/owl#"},
        "@id": FILE_NAME,
        "@type": "dcat:Catalog",
        "dct:title": _texts("道路等維持管理オープンデータ（見える化）",
                            "Road and infrastructure maintenance open data (mieruka)"),
        "dct:description": _texts("山口県と県内市町の市民通報・対応・契約・作業の記録（個人情報は除去済み）。",
                                  "Resident reports, handling steps, contracts and work orders of Yamaguchi "
                                  "prefecture and its municipalities, personal data removed."),
        "dct:publisher": {"@id": f"#body-{PREFECTURE}", "@type": "foaf:Organization",
                          "foaf:name": _texts(prefecture["ja"], prefecture["en"]), "dct:identifier": PREFECTURE},
        "dct:language": [{"@id": lang} for lang in LANGUAGES],
        "dcat:dataset": datasets,
    }
    if modified:
        document["dct:modified"] = _date(modified)
    return document


def write(packages_dir: Path) -> Path:
    """catalog.jsonld into packages_dir (beside the package folders its URLs point into)."""
    target = packages_dir / FILE_NAME
    text = json.dumps(catalogue(packages_dir), ensure_ascii=False, indent=1) + "\n"
    target.write_text(text, encoding="utf-8")
    return target
