"""Coverage-guided fuzzing (atheris) of ingest + normalize on the Kudamatsu adapter (CP932 CSV, era dates).

Invariant: whatever bytes the export holds, the only exception is ExportError (a clear message naming
the file); otherwise every input row is either in the normalized frame or quarantined with its row number.

    .venv/bin/python tests/security/fuzz_ingest.py tests/security/fuzz_seeds/ingest -max_total_time=600
    .venv/bin/python tests/security/fuzz_ingest.py -runs=2000 tests/security/fuzz_seeds/ingest  # in the suite
"""

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["pipeline"]):
    from pipeline import adapter as adapters
    from pipeline import ingest, normalize
    from pipeline.problems import ExportError

ADAPTER = adapters.load(adapters.ADAPTERS / "352071_kudamatsu.toml")
SOURCE = ADAPTER.sources["cases"]
FOLDER = Path(tempfile.mkdtemp(prefix="mieruka-fuzz-"))
PATH = FOLDER / SOURCE.file


def check(data: bytes) -> None:
    """One export file's bytes through the cases path; AssertionError or any non-ExportError is a finding."""
    PATH.write_bytes(data)
    try:
        frame = ingest.select(ingest.read(PATH, SOURCE), SOURCE, ADAPTER.pii_drop, SOURCE.file)
        parsed = normalize.parse_columns(frame, "cases", ADAPTER, SOURCE, SOURCE.file)
        result = normalize.normalize_cases(parsed, SOURCE.file)
    except ExportError as exc:
        message = str(exc)
        assert message.startswith(SOURCE.file), message
        assert "\n" not in message and "Traceback" not in message, message
        return
    rows = set(frame[ingest.ROW])
    kept = set(result.frame[ingest.ROW])
    rejected = {p.row for p in result.problems}
    assert kept | rejected == rows and not kept & rejected, "every row is published or quarantined, once"
    assert all(p.file == SOURCE.file and p.reason for p in result.problems)
    assert not {"reporter_name", "reporter_phone", "address"} & set(result.frame.columns)


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
