"""Problems found in a municipality's export: what, where, and how serious."""

from dataclasses import asdict, dataclass


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

    def describe(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        value = "" if self.value is None else f": value {shorten(self.value)!r}"
        return f"{where}{value}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def shorten(value: str, limit: int = 60) -> str:
    """Keep error messages one line long, whatever the export holds."""
    flat = value.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
