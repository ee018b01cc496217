"""The settings of one build run (Options), shared by the sequencer, the body builds and the workers."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .fetch import FetchSettings


@dataclass(frozen=True)
class Options:
    """Settings of one build run."""

    raw_dir: Path
    out_dir: Path  # the packages directory being written (a fresh staging folder)
    previous_dir: Path | None  # last published packages, for stale carry-over
    log_dir: Path
    run_date: dt.date
    secret: bytes
    synthetic: bool
    license_id: str = "CC-BY-4.0"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    progress: bool = False  # a live "[2/20] body" line for terminals; cron gets the summary only
    executor: str = "process"  # serial, process, or a Dask scheduler address (tcp://host:8786)
    workers: int | None = None  # process pool size (default: one per core); a Dask cluster sets its own
    code: str | None = None  # code_fingerprint() of the process that started the run (set by build.run)
    adapters_dir: Path | None = None  # --adapters (else $MIERUKA_ADAPTERS, else pipeline/adapters/)
    # processes a body's build may start beside its own for its formats (pipeline/spare.py); set by the
    # sequencer from the pool workers the night's bodies leave idle
    helpers: int = 0

    @property
    def words_dir(self) -> Path:
        """The bodies' kept word splits for the database's full-text index (pipeline.formats.words), in the
        private work folder beside the logs."""
        return self.log_dir.parent / "words-cache"

    @property
    def parts_dir(self) -> Path:
        """The bodies' kept database parts (pipeline.formats.sqlite_parts), in the private work folder."""
        return self.log_dir.parent / "sqlite-parts"

    @property
    def zip_parts_dir(self) -> Path:
        """The bodies' kept compressed parts of the combined zip (pipeline.zip_segments), in the work folder."""
        return self.log_dir.parent / "zip-parts"
