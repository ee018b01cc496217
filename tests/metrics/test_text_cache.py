"""A body's metrics rows kept as the bytes they are published as (metrics.text_by_body): a night writes an
unchanged body's rows from the cache without formatting them again, and the file is the same bytes."""

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from conftest import BODY, OTHER
from test_body_cache import THIRD, _at_once, _body, _cases, _published, _settings

from pipeline import combined, metrics
from pipeline.metrics import bodies as by_body
from pipeline.metrics.cache import TEXT_KIND
from pipeline.metrics.inputs import READS


def _formatting(calls: list[set[tuple[str, str]]]):  # type: ignore[no-untyped-def]
    """combined.metric_text, recording the (scope, code) pairs of each part it formats."""
    def text(rows: pd.DataFrame) -> bytes:
        calls.append(set(zip(rows["scope"], rows["municipality_code"], strict=True)))
        return combined.metric_text(rows)
    return text


def _write(bodies: list[metrics.Body], cache: metrics.Cache, target: Path,
           calls: list[set[tuple[str, str]]]) -> bytes:
    combined.write_metrics(target, metrics.text_by_body(bodies, _settings(), None, cache, _formatting(calls)))
    return target.read_bytes()


def test_unchanged_bodies_are_written_from_their_kept_text(tmp_path: Path) -> None:
    first = [_body(BODY, "a"), _body(OTHER, "b"), _body(THIRD, "c")]
    calls: list[set[tuple[str, str]]] = []
    night1 = _write(first, metrics.Cache(tmp_path / "1"), tmp_path / "m1.csv", calls)
    whole, _excel = _published(tmp_path / "whole1", _at_once(first))
    assert night1 == whole
    # the one pass of a first night is formatted in parts: the all-bodies rows, then each body in code order
    assert [{code for _, code in c} for c in calls] == [{""}, {OTHER}, {THIRD}, {BODY}]
    assert len(list((tmp_path / "1").glob(f"*{TEXT_KIND}.bin"))) == 3

    second = [first[0], _body(OTHER, "b2", extra=3), first[2]]
    calls.clear()
    cache = metrics.Cache(tmp_path / "2", previous=tmp_path / "1")
    night2 = _write(second, cache, tmp_path / "m2.csv", calls)
    assert [{code for _, code in c} for c in calls] == [{""}, {OTHER}]  # the all-bodies rows and the changed body
    assert night2 == _published(tmp_path / "whole2", _at_once(second))[0]
    assert cache.computed == [f"{OTHER}_body"] and sorted(cache.reused) == [f"{THIRD}_body", f"{BODY}_body"]
    assert (tmp_path / "excel" / "m2.csv").read_bytes() == (tmp_path / "whole2" / "excel" / "m.csv").read_bytes()

    calls.clear()  # a night after it: every body's entries were carried over, rows and text
    cache = metrics.Cache(tmp_path / "3", previous=tmp_path / "2")
    assert _write(second, cache, tmp_path / "m3.csv", calls) == night2
    assert [{code for _, code in c} for c in calls] == [{""}] and cache.computed == [] and len(cache.reused) == 3


def test_a_damaged_text_entry_is_formatted_again(tmp_path: Path) -> None:
    bodies = [_body(BODY, "a"), _body(OTHER, "b"), _body(THIRD, "c")]
    calls: list[set[tuple[str, str]]] = []
    first = _write(bodies, metrics.Cache(tmp_path / "1"), tmp_path / "m1.csv", calls)
    victim = next((tmp_path / "1").glob(f"{THIRD}_body.*{TEXT_KIND}.bin"))
    kept = victim.read_bytes()
    victim.write_bytes(kept[:-5] + b"9,9\r\n")  # same length, other rows: the digest no longer matches
    calls.clear()
    again = _write(bodies, metrics.Cache(tmp_path / "2", previous=tmp_path / "1"), tmp_path / "m2.csv", calls)
    assert again == first
    assert [{code for _, code in c} for c in calls] == [{""}, {THIRD}]


def test_a_body_without_a_fingerprint_is_formatted_every_night(tmp_path: Path) -> None:
    bodies = [_body(BODY, "a"), metrics.Body(f"{OTHER}_body", OTHER, None, _body(OTHER, "").arrow)]
    calls: list[set[tuple[str, str]]] = []
    _write(bodies, metrics.Cache(tmp_path / "1"), tmp_path / "m1.csv", calls)
    assert [p.name.split(".")[0] for p in (tmp_path / "1").glob(f"*{TEXT_KIND}.bin")] == [f"{BODY}_body"]
    calls.clear()
    _write(bodies, metrics.Cache(tmp_path / "2", previous=tmp_path / "1"), tmp_path / "m2.csv", calls)
    assert [{code for _, code in c} for c in calls] == [{""}, {OTHER}]
    assert (tmp_path / "m1.csv").read_bytes() == (tmp_path / "m2.csv").read_bytes()


@pytest.mark.parametrize("whole_pass_cells", [0, by_body.WHOLE_PASS_CELLS])
def test_bodies_whose_codes_interleave_are_written_as_one_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               whole_pass_cells: int) -> None:
    """Body by body and in one pass, bodies that cannot be written one after another come as one part of text."""
    monkeypatch.setattr(by_body, "WHOLE_PASS_CELLS", whole_pass_cells)
    both = pd.concat([_cases(OTHER), _cases(BODY)], ignore_index=True)[list(READS["cases"])]
    wide = metrics.Body("wide", OTHER, "w", {"cases": pa.Table.from_pandas(both, preserve_index=False)})
    bodies = [wide, _body(THIRD, "c")]
    calls: list[set[tuple[str, str]]] = []
    written = _write(bodies, metrics.Cache(tmp_path / "1"), tmp_path / "m.csv", calls)
    assert written == _published(tmp_path / "whole", _at_once(bodies))[0]
    assert {code for _, code in calls[-1]} >= {OTHER, THIRD, BODY}
