"""The metric inputs read a categorical column (as the combined package passes the columns it reads)
exactly as the same column of plain text; rows_read keeps every referred action."""

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.metrics import inputs, rows_read

VALUES = [" pothole", "2025-04-01", "2025-04-01T09:00", "", None, "true", " TRUE ", "no", "12.5", "x", "1e3",
          "2024-13-01", "pothole "]


def _both(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    plain = pd.DataFrame({name: pd.Series(VALUES, dtype=object)})
    return plain, pd.DataFrame({name: plain[name].astype("category")})


def test_categorical_reads_as_text() -> None:
    plain, categorical = _both("v")
    assert list(inputs.text(categorical, "v")) == list(inputs.text(plain, "v"))
    assert list(inputs.code(categorical, "v")) == list(inputs.code(plain, "v"))
    np.testing.assert_array_equal(inputs.dates(categorical, "v"), inputs.dates(plain, "v"))
    np.testing.assert_array_equal(inputs.numbers(categorical, "v"), inputs.numbers(plain, "v"))
    np.testing.assert_array_equal(inputs.flags(categorical, "v"), inputs.flags(plain, "v"))


def test_rows_read_keeps_every_referred_action() -> None:
    table = pa.table({"action": pa.array(["received", "referred", " referred ", None, "closed"]).dictionary_encode(),
                      "municipality_code": ["352012"] * 5})
    kept = rows_read("actions", table)
    assert kept["action"].to_pylist() == ["referred", " referred "]
    cases = pa.table({"status": ["closed"]})
    assert rows_read("cases", cases) is cases
