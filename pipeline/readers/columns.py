"""The columns every reader adds beside a table's own: where each row came from, and why it may be set aside."""

from typing import SupportsInt, cast

ROW = "_row"  # 1-based line in the source file (CSV, xls/xlsx row; JSON: the line where the record starts)
KEY = "_key"  # the row's own number within its table: rows that share a line stay apart
FILE = "_file"  # the file a row came from (tables read from several files)
RECORD = "_record"  # JSON: 'record 3, note 2' beside the line, for people
NUL_MARK = "_nul"  # a row with a NUL byte: rejected in normalize, the rest of the file goes on
NOT_AN_OBJECT = "_not_an_object"  # JSON: an exploded item that is not an object, quarantined as a row
SUPERSEDED = "_superseded"  # OCDS: an award a later release updates
INTERNAL = (ROW, KEY, FILE, RECORD, NUL_MARK, SUPERSEDED, NOT_AN_OBJECT)


def cell_int(value: object) -> int:
    """A whole number read from a frame (a cell of ROW, KEY or a first line; a RangeIndex label) as an int.

    why: pandas-stubs types a cell as any scalar and a label as Hashable; these hold only whole numbers."""
    return int(cast(SupportsInt, value))
