"""The DCAT catalogue: it parses as RDF, has one dataset per package and one distribution per file, each
distribution resolves to a file of the built site with the size and sha256 it states, and every page
links the catalogue from its head."""

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

rdflib = pytest.importorskip("rdflib")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
LINK = re.compile(r'<link rel="alternate" type="application/ld\+json" title="DCAT catalogue" href="([^"]+)">')


@pytest.fixture(scope="module")
def graph(built: Path) -> "rdflib.Graph":
    catalogue = built / "output" / "downloads" / "catalog.jsonld"
    assert catalogue.read_bytes() == (built / "datapackages" / "catalog.jsonld").read_bytes()
    return rdflib.Graph().parse(catalogue, format="json-ld")


def _file(url: rdflib.URIRef) -> Path:
    parsed = urlparse(str(url))
    assert parsed.scheme == "file", url
    return Path(unquote(parsed.path))


def test_one_dataset_per_package_with_publisher_licence_and_coverage(graph: "rdflib.Graph", packages: Path) -> None:
    folders = sorted(p.name for p in packages.iterdir() if (p / "datapackage.json").is_file())
    datasets = list(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert len(datasets) == len(folders) == 5
    assert len(list(graph.subjects(rdflib.RDF.type, DCAT.Catalog))) == 1
    codes = set()
    for dataset in datasets:
        publisher = graph.value(dataset, DCT.publisher)
        code = str(graph.value(publisher, DCT.identifier))
        assert re.fullmatch(r"\d{6}", code)
        codes.add(code)
        assert {n.language for n in graph.objects(publisher, FOAF.name)} == {"ja", "en"}
        assert str(graph.value(dataset, DCT.license)).startswith("https://creativecommons.org/licenses/by/4.0")
        assert graph.value(dataset, DCT.modified) is not None
        period = graph.value(dataset, DCT.temporal)
        start, end = graph.value(period, DCAT.startDate), graph.value(period, DCAT.endDate)
        assert start is not None and end is not None and str(start) <= str(end)
        assert "POLYGON" in str(graph.value(graph.value(dataset, DCT.spatial), DCAT.bbox))
    assert codes == {"350001", "352071", "352101", "352152"}


def test_every_distribution_resolves_to_a_file_of_the_site_with_its_size_and_checksum(graph: "rdflib.Graph",
                                                                                      built: Path) -> None:
    site = (built / "output").resolve()
    kinds = set()
    distributions = list(graph.subjects(rdflib.RDF.type, DCAT.Distribution))
    for distribution in distributions:
        path = _file(graph.value(distribution, DCAT.downloadURL))
        assert path == _file(graph.value(distribution, DCAT.accessURL))
        assert path.is_file(), path
        assert site in path.parents
        assert int(graph.value(distribution, DCAT.byteSize)) == path.stat().st_size, path
        checksum = graph.value(distribution, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest(), path
        kinds.add(str(graph.value(distribution, DCAT.mediaType)).rsplit("/", 2)[-2:][-1])
    assert {"csv", "zip", "vnd.apache.parquet", "json", "vnd.sqlite3",
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= kinds


def test_every_downloadable_file_is_a_distribution(graph: "rdflib.Graph", built: Path) -> None:
    listed = {_file(graph.value(d, DCAT.downloadURL)) for d in graph.subjects(rdflib.RDF.type, DCAT.Distribution)}
    downloads = (built / "output" / "downloads").resolve()
    files = {p for p in downloads.rglob("*") if p.is_file() and p.name != "catalog.jsonld"
             and p.name != "datapackage.json" and not p.name.endswith("_metric_definitions.json")}
    assert files == listed


def test_every_page_links_the_catalogue(built: Path) -> None:
    site = built / "output"
    pages = [p for p in site.rglob("*.html") if not {"downloads", "maps"} & set(p.relative_to(site).parts)
             and p.name != "404.html"]
    assert len(pages) > 20
    for page in pages:
        found = LINK.search(page.read_text(encoding="utf-8"))
        assert found, page
        assert (page.parent / found.group(1)).resolve() == (site / "downloads" / "catalog.jsonld").resolve(), page


def test_the_descriptor_lists_each_format_with_bytes_and_hash(packages: Path) -> None:
    descriptor = json.loads((packages / "352101_hikari" / "datapackage.json").read_text(encoding="utf-8"))
    formats = {d["format"] for d in descriptor["mieruka"]["distributions"]}
    assert formats == {"csv", "parquet", "json", "xlsx"}
    for entry in descriptor["mieruka"]["distributions"]:
        data = (packages / "352101_hikari" / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
