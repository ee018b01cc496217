"""Property tests of the read path: any bytes, any CSV-shaped text -> an ExportError or rows that are each
published or quarantined once; never another exception."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import adapter as adapters
from pipeline import ingest, normalize
from pipeline.problems import ExportError

STANDARD = adapters.standard("352152", "shunan")
KUDAMATSU = adapters.load(adapters.ADAPTERS / "352071_kudamatsu.toml")
HEADER = "case_number,received,category,status,closed,town,latitude,longitude,description"
CELLS = st.sampled_from(["A-1", "A-2", "2025-04-10", "令和7年4月10日", "R7.4.1", "45757", "pothole", "穴ぼこ",
                         "completed", "received", "34.05", "131.8", "0", "", " ", '"', '""', ",", "\n", "\r",
                         "\t", ";", "=1+1", "＜script＞", "２０２５／４／１０", "\ufeff", "\x00", "é", "髙", "①"])
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=12).map(",".join), max_size=8)


def _read(data: bytes, adapter: adapters.Adapter) -> None:
    source = adapter.sources["cases"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / source.file
        path.write_bytes(data)
        try:
            frame = ingest.select(ingest.read(path, source), source, adapter.pii_drop, source.file)
            result = normalize.normalize_cases(normalize.parse_columns(frame, "cases", adapter, source, source.file),
                                               source.file)
        except ExportError as exc:
            assert str(exc).startswith(source.file) and "\n" not in str(exc)
            return
    kept, rejected = set(result.frame[ingest.ROW]), {p.row for p in result.problems}
    assert kept | rejected == set(frame[ingest.ROW]) and not kept & rejected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes(data: bytes) -> None:
    _read(data, STANDARD)
    _read(data, KUDAMATSU)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
def test_csv_shaped_text(rows: list[str], encoding: str) -> None:
    text = "\n".join([HEADER, *rows]) + "\n"
    data = text.encode(encoding, errors="replace")
    _read(data, STANDARD)
