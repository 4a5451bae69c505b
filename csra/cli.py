"""`csra`: the project's command line.

    csra generate  --database FILE [--accounts N --seed S]   a synthetic company (raw tables)
    csra build     --database FILE [--as-of-date YYYY-MM-DD] dbt build, with a progress bar
    csra headline  --database FILE                          the headline numbers
    csra report    --database FILE --out DIR                the visual CS report (HTML)
    csra failures  [--target-path target]                   why the last build's tests failed
    csra benchmark --accounts 1000 50000                    time generate + dbt build
    csra engines   ...                                      PostgreSQL / Spark helpers
    csra nightly   ...                                      the nightly job (when installed)

`csra COMMAND --help` explains each. A mistake (a missing file, a warehouse
not built yet) gets one line on stderr and a non-zero exit, not a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from csra.dbt_invoke import PROJECT_DIR

# command -> (module whose main(argv) runs it, one-line help)
DELEGATED: dict[str, tuple[str, str]] = {
    "generate": ("csra.generate", "write a synthetic B2B SaaS company into the raw tables of a DuckDB file"),
    "headline": ("csra.headline", "print MRR/ARR, NRR/GRR, churn, renewals, red accounts and CSAT/NPS"),
    "report": ("csra.report.__main__", "write the visual CS report (one self-contained HTML page)"),
    "failures": ("csra.failures", "explain the failed and warned data tests of the last dbt run"),
    "benchmark": ("csra.benchmark", "time generation and dbt build at several company sizes"),
    "engines": ("csra.engines.__main__", "run a throwaway PostgreSQL / load raw data into PostgreSQL or Spark"),
    "nightly": ("csra.nightly", "the nightly job (incremental build, checks, report)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csra",
        description="cs_revenue_analytics: customer-success revenue analytics on dbt.",
        epilog="Run `csra COMMAND --help` for the options of a command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build",
        help="dbt build (models, seeds, data and unit tests) with a progress bar; full log to a file",
        description=(
            "Run `dbt build` on a warehouse quietly: a progress bar over dbt's nodes, the full dbt log "
            "in LOG (default logs/dbt.log), and a one-line summary. Exit status 1 when a model or test failed "
            "(then `csra failures` explains the failing tests)."
        ),
    )
    build.add_argument("--database", metavar="FILE", default=None,
                       help="DuckDB warehouse (default: $DBT_DUCKDB_PATH or warehouse.duckdb)")
    build.add_argument("--target", choices=["duckdb", "postgres", "spark"], default=None,
                       help="dbt target (default: $DBT_TARGET or duckdb)")
    build.add_argument("--as-of-date", metavar="YYYY-MM-DD", default=None,
                       help="close the books on this date (dbt var as_of_date; default: today, UTC)")
    build.add_argument("--log-path", metavar="DIR", type=Path, default=PROJECT_DIR / "logs",
                       help="folder of dbt.log, the full log (default: %(default)s)")
    build.add_argument("--select", "-s", metavar="SELECTOR", default=None, help="dbt node selection")
    for name, (_module, help_text) in DELEGATED.items():
        commands.add_parser(name, help=help_text, add_help=False)
    return parser


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def run_build(args: argparse.Namespace) -> int:
    """dbt build in-process with a tqdm bar over the nodes dbt reports finished."""
    from dbt.cli.main import dbtRunner
    from tqdm import tqdm

    if args.as_of_date:
        try:
            dt.date.fromisoformat(args.as_of_date)
        except ValueError:
            print(f"csra build: --as-of-date must be YYYY-MM-DD, got {args.as_of_date!r}", file=sys.stderr)
            return 2
    if args.target:
        os.environ["DBT_TARGET"] = args.target
    if os.environ.get("DBT_TARGET", "duckdb") == "duckdb":
        database = Path(args.database or os.environ.get("DBT_DUCKDB_PATH", "warehouse.duckdb")).resolve()
        if not database.exists():
            print(f"csra build: no such warehouse file: {database} (csra generate --database FILE writes one)",
                  file=sys.stderr)
            return 2
        os.environ["DBT_DUCKDB_PATH"] = str(database)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args.log_path.mkdir(parents=True, exist_ok=True)

    # redraw often on a terminal, rarely in a CI log
    bar = tqdm(total=None, unit="node", desc="dbt build", file=sys.stderr, dynamic_ncols=True,
               mininterval=0.2 if sys.stderr.isatty() else 15.0)
    counts: dict[str, int] = {}

    def on_event(event) -> None:  # event: a dbt EventMsg
        name = event.info.name
        if name == "LogStartLine" and bar.total is None:
            bar.total = int(event.data.total)
            bar.refresh()
        elif name == "NodeFinished":
            status = str(event.data.run_result.status or "").lower()
            counts[status] = counts.get(status, 0) + 1
            bar.set_postfix_str(event.data.node_info.node_name[-40:], refresh=False)
            bar.update(1)

    cli_args = ["--quiet", "--log-path", str(args.log_path), "build",
                "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    if args.as_of_date:
        cli_args += ["--vars", json.dumps({"as_of_date": args.as_of_date})]
    if args.select:
        cli_args += ["--select", args.select]
    try:
        result = dbtRunner(callbacks=[on_event]).invoke(cli_args)
    finally:
        bar.close()
    log = args.log_path / "dbt.log"
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    if result.exception is not None:
        print(f"csra build: dbt stopped: {_one_line(result.exception)} (full log: {log})", file=sys.stderr)
        return 2
    if not result.success:
        print(f"csra build: FAILED ({summary}); `csra failures` explains the failing tests; full log: {log}",
              file=sys.stderr)
        return 1
    print(f"dbt build passed ({summary}); full log: {log}", file=sys.stderr)
    return 0


def run_delegated(command: str, argv: Sequence[str]) -> int:
    module_name, _ = DELEGATED[command]
    if importlib.util.find_spec(module_name) is None:
        print(f"csra {command}: not available in this installation (module {module_name} is missing)",
              file=sys.stderr)
        return 2
    module = importlib.import_module(module_name)
    entry: Callable[[Sequence[str]], int | None] = module.main
    return int(entry(list(argv)) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in DELEGATED:
        command, rest = argv[0], argv[1:]
        try:
            return run_delegated(command, rest)
        except KeyboardInterrupt:
            return 130
    args = parser.parse_args(argv)
    try:
        return run_build(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
