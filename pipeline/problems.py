"""Problems found in a municipality's export: what, where, and how serious."""

import re
from dataclasses import asdict, dataclass, field


class ExportError(Exception):
    """The whole export of one municipality cannot be used (wrong encoding, missing column…)."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None,
                 value: str | None = None) -> None:
        self.problem = Problem(file=file, row=row, column=column, value=value, reason=message)
        super().__init__(self.problem.describe())


@dataclass(frozen=True, order=True)
class Problem:
    """One rejected cell or row. `row` is the 1-based line in the source file (header = 1)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    record: str | None = None  # JSON: 'record 48, notes item 2', beside the line
    # why: the row's own number in its table; rows sharing a line (one JSON record's notes) stay apart
    key: int | None = field(default=None, compare=False)
    excluded: bool = False  # left out by an adapter filter (counted, not an error)

    def describe(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}" + (f" ({self.record})" if self.record else "")
        if self.column is not None:
            where += f", column {self.column!r}"
        value = "" if self.value is None else f": value {shorten(self.value)!r}"
        return f"{where}{value}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if k != "key"}

    @property
    def cause(self) -> str:
        """The reason without the values quoted in it: rows are counted by cause."""
        return redact(self.reason)


# A value quoted as repr() quotes it: in single or double quotes, with backslash escapes inside. A single quote
# between two letters is an apostrophe ("the run's as-of date"), not a quote.
_QUOTED = re.compile(r"(?<![A-Za-z])'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def redact(text: str) -> str:
    """text without the values quoted in it (each becomes …): what of a problem may be published.

    why: messages quote what the export holds (a cell, a header, a sheet's name) so that the operator can find
    it; run.json and the rows' causes are published, and an export's text can name a person.
    Example: redact("sheet '通報' not found; sheets: ['通報（永井分）']") == "sheet … not found; sheets: […]"
    """
    return _QUOTED.sub("…", text)


def shorten(value: str, limit: int = 60) -> str:
    """Keep error messages one line long, whatever the export holds."""
    flat = value.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
