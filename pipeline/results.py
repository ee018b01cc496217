"""What happened to one body tonight (BodyResult): its status, row counts, problems and timings."""

from dataclasses import dataclass, field
from typing import Any

from .ingest import RawFile
from .problems import Problem, redact


@dataclass
class BodyResult:
    """What happened to one body tonight."""

    code: str
    package: str
    status: str = "failed"  # published | stale | failed
    rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    error: str | None = None
    last_good: str | None = None
    problems: list[Problem] = field(default_factory=list)
    sources: list[RawFile] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    reused: bool = False  # inputs unchanged since the last run: the package was carried over as is
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (private run log only)
    # table -> rows_in, published, quarantined (rows_in = published + quarantined) and rows by cause
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """The manifest entry: counts and status, and the error without the values it quotes (problems.redact);
        quarantined values and the whole error stay in the private log and the run's output."""
        return {"code": self.code, "package": self.package, "status": self.status, "rows": self.rows,
                "quarantined": self.quarantined, "tables": self.tables, "last_good": self.last_good,
                "error": redact(self.error) if self.error is not None and self.status != "published" else None,
                "changes": self.changes, "unchanged_inputs": self.reused}
