"""The `mieruka` command: build, sample, validate, serve.

Exit codes: 0 every body published; 1 some body's data failed (the others still published,
its last good package kept); 2 usage error (bad option, missing secret, unreadable folder).
"""

import argparse
import datetime as dt
import errno
import sys
from pathlib import Path

from . import __version__
from .adapter import AdapterError
from .paths import ROOT
from .usage import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, UsageError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _executor(value: str) -> str:
    from .executor import ExecutorError, check

    try:
        return check(value)
    except ExecutorError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--executor {value!r}: ")) from exc


def _workers(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a number of workers (1 or more): {value!r}")
    return number


def parser() -> argparse.ArgumentParser:
    """The `mieruka` argument parser: every command and option, with its help and an example."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="mieruka", formatter_class=fmt,
        description="見える化 mieruka: municipal road-maintenance open data, from raw exports to a bilingual site.",
        epilog="Example:\n  mieruka build            # bundled sample -> datapackages/ and output/\n"
               "  mieruka serve            # then open http://localhost:8000")
    parser.add_argument("--version", action="version", version=f"mieruka {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser(
        "build", formatter_class=fmt, help="raw exports -> data packages -> site (all stages)",
        description="Run every stage: ingest, normalize, anonymize, validate, package, then build the site. "
                    "Everything is built aside and published in one step; a body whose export fails keeps "
                    "its last good package, marked stale.",
        epilog="Examples:\n  mieruka build\n  MIERUKA_SECRET_FILE=/etc/mieruka/secret mieruka build --raw /srv/drop "
               "--packages /srv/www/datapackages --output /srv/www/site\n\n"
               "Real data needs a secret for the case-ID pseudonyms: set MIERUKA_SECRET or MIERUKA_SECRET_FILE "
               "(a file outside the repository). The bundled sample uses a public demo secret.")
    _build_options(build, raw_required=False)

    nightly = sub.add_parser(
        "nightly", formatter_class=fmt, help="the scheduled run: like build, on a drop folder of real exports",
        description="The nightly job for cron, systemd or CI: fetch exports that adapters give a URL for, "
                    "rebuild only the bodies whose inputs changed, publish packages and site in one step, and "
                    "print a one-screen summary. Same stages and exit codes as build; --raw is required.",
        epilog="Examples:\n  MIERUKA_SECRET_FILE=/etc/mieruka/secret mieruka nightly --raw /srv/mieruka/drop "
               "--packages /srv/www/datapackages --output /srv/www/site --site-url https://opendata.example.jp\n"
               "  mieruka nightly --raw /shared/drop --packages /shared/www/datapackages --output /shared/www/site "
               "--site-url https://opendata.example.jp --executor tcp://scheduler:8786")
    _build_options(nightly, raw_required=True)

    sample = sub.add_parser(
        "sample", formatter_class=fmt, help="write the bundled sample raw exports",
        description="Write the synthetic sample raw exports (the input mieruka reads), one folder per body.",
        epilog="Example:\n  mieruka sample --out /tmp/raw && ls /tmp/raw/352152_shunan")
    sample.add_argument("--out", type=Path, required=True, help="folder to write into")
    sample.add_argument("--all", action="store_true", help="all 20 bodies of the prefecture, not just the pilot")
    sample.add_argument("--scale", type=float, default=1.0, help="multiply the number of cases (default 1.0)")

    validate = sub.add_parser(
        "validate", formatter_class=fmt, help="validate data packages and print a readable report",
        description="Validate every data package under DIR (or DIR itself if it holds datapackage.json).",
        epilog="Example:\n  mieruka validate datapackages\n  mieruka validate datapackages --engine fast")
    validate.add_argument("dir", type=Path, help="a packages folder or one package folder")
    validate.add_argument("--engine", choices=["frictionless", "fast"], default="frictionless",
                          help="frictionless (reference, default) or fast (vectorized, same checks)")

    serve = sub.add_parser(
        "serve", formatter_class=fmt, help="serve the built site on localhost",
        description="Serve the built site folder over HTTP on this machine only.",
        epilog="Example:\n  mieruka serve --port 8000   # then open http://localhost:8000")
    serve.add_argument("--dir", type=Path, default=ROOT / "output", help="site folder (default: output/)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--bind", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    return parser


def _build_options(parser: argparse.ArgumentParser, raw_required: bool) -> None:
    parser.add_argument("--raw", type=Path, default=None, required=raw_required,
                        help="folder of raw exports, one subfolder <code>_<name>/ per body"
                             + ("" if raw_required else " (default: the bundled sample, generated into .work/sample)"))
    parser.add_argument("--packages", type=Path, default=ROOT / "datapackages", help="data packages folder")
    parser.add_argument("--output", type=Path, default=ROOT / "output", help="site folder")
    parser.add_argument("--date", type=_date, default=None,
                       help="run date YYYY-MM-DD (default: today in Japan; the sample's export date for the sample)")
    parser.add_argument("--site-url", default="", help="absolute URL the site is served from (sitemap, hreflang, "
                        "canonical and feed links); required by nightly unless --no-site")
    parser.add_argument("--no-site", action="store_true", help="publish the data packages only")
    parser.add_argument("--license", default="CC-BY-4.0", choices=["CC-BY-4.0", "PDL-1.0"],
                       help="licence of the published data")
    parser.add_argument("--executor", type=_executor, default="process", metavar="{serial,process,tcp://HOST:PORT}",
                        help="where the bodies are built: serial (this process), process (a local process pool, "
                             "the default) or the address of a Dask scheduler; the output is the same")
    parser.add_argument("--adapters", type=Path, default=None, metavar="DIR",
                        help="folder of adapter files <code>_<slug>.toml, kept outside the checkout (default: "
                             "$MIERUKA_ADAPTERS, else the bundled pipeline/adapters/)")
    parser.add_argument("--workers", type=_workers, default=None, metavar="N",
                        help="size of the local process pool (default: one per core)")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command in ("build", "nightly"):
            return _build(args)
        if args.command == "sample":
            return _sample(args)
        if args.command == "validate":
            return _validate(args)
        return _serve(args)
    except (UsageError, AdapterError) as exc:
        print(f"mieruka: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mieruka: interrupted; the published data and site are unchanged", file=sys.stderr)
        return 130
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        disk = exc.filename or getattr(args, "packages", None)
        where = f" ({disk})" if disk else ""
        print(f"mieruka: error: the disk is full{where}: {exc.strerror}; nothing was published, the previous "
              "packages and site stay live", file=sys.stderr)
        return EXIT_SOME_FAILED


def _site_url(args: argparse.Namespace) -> str:
    """The checked --site-url ("" for none); nightly publishes a site and needs one.

    why: the sitemap, the hreflang links, canonical URLs and the Atom feeds must be absolute on a live site."""
    url = str(args.site_url or "").strip().rstrip("/")
    if url and (not url.startswith(("https://", "http://")) or len(url.split("://", 1)[1]) == 0
                or any(c in url for c in " \"'<>#?")):
        raise UsageError(f"--site-url must be an absolute http(s) address such as https://example.jp/roads, "
                         f"not {args.site_url!r}")
    if args.command == "nightly" and not args.no_site and not url:
        raise UsageError("nightly publishes the site and needs --site-url (the address it is served from, e.g. "
                         "https://example.jp/roads): the sitemap, hreflang links and feeds use absolute URLs; "
                         "use --no-site to publish the packages only")
    return url


def _build(args: argparse.Namespace) -> int:
    from . import nightly

    return nightly.run(nightly.Request(
        raw=args.raw, packages=args.packages, output=args.output, run_date=args.date, site_url=_site_url(args),
        no_site=args.no_site, license_id=args.license, executor=args.executor, workers=args.workers,
        adapters=args.adapters))


def _sample(args: argparse.Namespace) -> int:
    if args.scale <= 0:
        raise UsageError("--scale must be positive")
    from .sample import write_sample_folder

    write_sample_folder(args.out, args.all, args.scale)
    print(f"sample raw exports written to {args.out}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_package, validate_tree

    if not args.dir.is_dir():
        raise UsageError(f"not a folder: {args.dir}")
    if (args.dir / "datapackage.json").is_file():
        reports = [validate_package(args.dir / "datapackage.json", args.engine)]
    else:
        reports = validate_tree(args.dir, args.engine)
    if not reports:
        raise UsageError(f"no datapackage.json found in {args.dir} or its subfolders")
    for report in reports:
        print(report.text)
    bad = sum(not r.valid for r in reports)
    print(f"{len(reports) - bad} of {len(reports)} package(s) valid")
    return EXIT_OK if bad == 0 else EXIT_SOME_FAILED


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.dir, args.bind, args.port)


if __name__ == "__main__":
    sys.exit(main())
