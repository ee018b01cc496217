"""The build and nightly commands' run: raw exports -> a staged release (packages, then site) -> published.

Entry point `run(request)`. Input: what the command line asked for (Request). Output: the exit code,
with the body summary on stdout. The sample is written when no raw folder is given; the secret comes
from the environment (or the public demo secret for the sample); everything is built into a staging
release and swapped in by publish.py in one step, so a failure leaves the live packages and site.
"""

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from . import build, hardlink, publish
from .adapter import ADAPTERS_ENV
from .anonymize import DEMO_SECRET
from .executor import ExecutorError, on_cluster
from .sample import EXPORT_DATE, SAMPLE_MARKER, write_sample_folder
from .usage import EXIT_OK, EXIT_SOME_FAILED, UsageError

JST = dt.timezone(dt.timedelta(hours=9))
SECRET_ENV, SECRET_FILE_ENV = "MIERUKA_SECRET", "MIERUKA_SECRET_FILE"


@dataclass(frozen=True)
class Request:
    """A build as the command line asked for it (paths as given, site URL already checked)."""

    raw: Path | None
    packages: Path
    output: Path
    run_date: dt.date | None
    site_url: str
    no_site: bool
    license_id: str
    executor: str
    workers: int | None
    adapters: Path | None


def run(request: Request) -> int:
    """Build every body's package and the site into a staging release, then publish it; the exit code."""
    work = request.packages.resolve().parent / ".work"
    raw = request.raw
    if raw is None:
        raw = work / "sample"
        write_sample_folder(raw, all_bodies=False, scale=1.0)
    if not raw.is_dir():
        raise UsageError(f"raw exports folder not found: {raw}")
    sample = (raw / SAMPLE_MARKER).is_file()
    secret = secret_for(raw, sample)
    run_date = request.run_date or (dt.date.fromisoformat(EXPORT_DATE) if sample else dt.datetime.now(JST).date())
    release = publish.Release(work / "release", request.packages.resolve(), request.output.resolve())
    publish.prepare(release)
    # why: Dask workers on other machines see these paths too, so none may be relative
    options = build.Options(raw_dir=raw.resolve(), out_dir=release.packages,
                            previous_dir=request.packages.resolve() if request.packages.is_dir() else None,
                            log_dir=work / "logs", run_date=run_date, secret=secret, synthetic=sample,
                            license_id=request.license_id, progress=sys.stderr.isatty(),
                            executor=request.executor, workers=request.workers,
                            adapters_dir=adapters_folder(request.adapters))
    try:
        results = build.run(options)
    except ExecutorError as exc:
        raise UsageError(str(exc)) from exc
    if not results:
        raise UsageError(f"no body's exports in {raw}: each body's files go in a folder named <code>_<slug> "
                         "(README, 'Adding a municipality')")
    for line in build.summary(results):
        sys.stdout.write(line + "\n")
    if all(r.status == "failed" for r in results):
        sys.stdout.write("nothing published: every body failed and none has an earlier package; "
                         "the published packages and site are left as they were\n")
        return EXIT_SOME_FAILED
    if not _site(request, release, work):
        return EXIT_SOME_FAILED
    publish.publish(release)
    sys.stdout.write(f"published: {request.packages}" + ("" if request.no_site else f" and {request.output}") + "\n")
    return EXIT_OK if all(r.status == "published" for r in results) else EXIT_SOME_FAILED


def _site(request: Request, release: publish.Release, work: Path) -> bool:
    """The release's site: built from its packages, or the live one kept (--no-site); False if the build failed.
    work: the private work folder, which keeps the package files' digests (site-digests.json,
    fingerprint.Digests) and the compiled templates (site-templates/) for the next night."""
    if request.no_site:
        if request.output.is_dir():
            hardlink.copy_tree(request.output, release.output, exist_ok=True)  # the live site stays as it was
        return True
    from .site.build import build_site

    try:
        build_site(release.packages, release.output, site_url=request.site_url, previous_output=request.output,
                   workers=None if on_cluster(request.executor) else request.workers,
                   digests=work / "site-digests.json", templates=work / "site-templates")
    # why: a blind catch by design: a site build that fails for any reason must leave the live site and
    # packages as they were (nothing is published), and say so in one line instead of a traceback
    except Exception as exc:  # noqa: BLE001
        sys.stderr.write(f"mieruka: error: the site build failed ({type(exc).__name__}: {exc}); nothing was "
                         "published, the previous packages and site stay live\n")
        return False
    return True


def secret_for(raw: Path, sample: bool) -> bytes:
    """The case-ID secret: $MIERUKA_SECRET, else the file named by $MIERUKA_SECRET_FILE, else (sample only) the demo."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].encode()
    if os.environ.get(SECRET_FILE_ENV):
        path = Path(os.environ[SECRET_FILE_ENV])
        try:
            secret = path.read_bytes().strip()
        except OSError as exc:
            raise UsageError(f"cannot read the secret file {path}: {exc.strerror}") from exc
        if len(secret) < 16:
            raise UsageError(f"the secret in {path} is shorter than 16 bytes")
        return secret
    if sample:
        sys.stderr.write("mieruka: synthetic sample: case IDs use the public demo secret\n")
        return DEMO_SECRET
    raise UsageError(f"real data in {raw} needs a secret for the case-ID pseudonyms: set {SECRET_ENV} or "
                     f"{SECRET_FILE_ENV} (a file outside the repository)")


def adapters_folder(given: Path | None) -> Path | None:
    """--adapters, else $MIERUKA_ADAPTERS, resolved (None: the bundled adapters); UsageError if missing."""
    folder = given or (Path(os.environ[ADAPTERS_ENV]) if os.environ.get(ADAPTERS_ENV) else None)
    if folder is not None and not folder.is_dir():
        source = "--adapters" if given else ADAPTERS_ENV
        raise UsageError(f"{source}: adapters folder not found: {folder}")
    return folder.resolve() if folder is not None else None
