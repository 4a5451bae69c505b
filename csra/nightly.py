"""The nightly run: one command a scheduler calls, with honest exit codes.

    python -m csra.nightly [--sample] [--as-of-date YYYY-MM-DD] [--full-refresh]
    python -m csra.nightly --slim --state nightly_runs/latest   # CI: what a change touched

Steps, each stopping the run when it fails:

1. key      CSRA_EMAIL_SALT is set (the e-mail hash key; ``--sample`` allows
            the public key of the generated sample company);
2. lock     no other nightly run on this warehouse (an exclusive ``flock`` on
            ``<warehouse>.nightly.lock``, held by dbt too; released by the
            kernel when the processes die, even on SIGKILL);
3. open     DuckDB: the warehouse file opens read-write (not held by a BI
            tool), and the key is written to csra_private.email_hash_key
            as a bound parameter (never into SQL text, see csra/email_key.py);
4. preflight every raw table and column of the contract exists with a
            compatible type (macro assert_raw_contract, also the project's
            on-run-start hook), before any model is replaced;
5. freshness ``dbt source freshness``: a source older than
            ``source_freshness_error_after_hours`` stops the run;
6. build    ``dbt build --store-failures`` (incremental models incremental,
            failing rows in the ``audit`` schema; after a nightly run that
            ended OK, and without --full-refresh, the raw events' redelivery
            test compares only the event_ids loaded since the watermark);
7. summary  one screen: the steps, failed and warned tests with their first
            failing rows, the headline numbers, the report (csra.report)
            when the project has it.

Each run keeps its artifacts (run_results.json, manifest.json, sources.json,
dbt.log, summary.txt) in ``<artifacts>/<YYYY-MM-DD>/<HHMMSS>Z/``; a run that
ends OK also copies them to ``<artifacts>/latest/``, the production state
that slim CI defers to.

Exit codes (README, "Nightly runs"):
    0  OK: everything built, every test passed (warnings allowed)
    1  FAILED: dbt build ran and a data test failed or a model errored
    2  usage error (bad command-line arguments)
    3  STALE: a source is older than its error_after threshold; nothing built
    4  COULD NOT RUN: no key, another nightly run, warehouse locked or
       missing, bad profile, raw table or column missing or of the wrong type
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from csra.dbt_invoke import PROJECT_DIR
from csra.email_key import (
    KEY_ENV_VAR,
    MissingKeyError,
    install_key,
    install_sample_key_if_missing,
    key_from_environment,
)

EXIT_OK = 0
EXIT_TESTS_FAILED = 1
EXIT_USAGE = 2
EXIT_STALE_SOURCES = 3
EXIT_COULD_NOT_RUN = 4

EXIT_MEANINGS = {
    EXIT_OK: "OK",
    EXIT_TESTS_FAILED: "FAILED: a data test failed or a model errored",
    EXIT_USAGE: "usage error",
    EXIT_STALE_SOURCES: "STALE: a source is older than its error threshold, nothing was built",
    EXIT_COULD_NOT_RUN: "COULD NOT RUN: nothing was built or replaced",
}

DEFAULT_ARTIFACTS_DIR = "nightly_runs"
# dbt var: the raw events' redelivery test compares only recently loaded event_ids (dbt_project.yml)
RECENT_LOADS_VAR = "event_tests_recent_loads_only"
MAX_TESTS_SHOWN = 8
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d\s+")


class CouldNotRun(RuntimeError):
    """A precondition failed: the run stops with EXIT_COULD_NOT_RUN."""


@dataclass
class Step:
    """One step of the run, as shown in the summary."""

    name: str
    status: str
    detail: str = ""
    seconds: float = 0.0


@dataclass
class NightlyRun:
    """State of one nightly run."""

    target: str
    project_dir: Path
    warehouse: Path | None
    run_dir: Path
    dbt_target_dir: Path
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_duckdb(self) -> bool:
        return self.warehouse is not None


# ---------------------------------------------------------------- helpers


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _clean(line: str) -> str:
    return TIMESTAMP.sub("", ANSI.sub("", line)).rstrip()


def _dbt_error_lines(output: str, limit: int = 20) -> list[str]:
    """The part of dbt's output that explains a failure (from 'Encountered an error' on)."""
    lines = [_clean(line) for line in output.splitlines()]
    for marker in ("Encountered an error", "Compilation Error", "Runtime Error", "Database Error"):
        for position, line in enumerate(lines):
            if marker in line:
                picked = [line for line in lines[position:] if line.strip()]
                return picked[:limit]
    return [line for line in lines if line.strip()][-limit:]


@contextlib.contextmanager
def warehouse_lock(path: Path) -> Iterator[int]:
    """Exclusive, non-blocking flock on ``path``; yields the fd (inherited by dbt)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = path.read_text(encoding="utf-8").strip() or "unknown"
            raise CouldNotRun(
                f"another nightly run holds {path} ({holder}); two runs never overlap on one "
                "warehouse. Wait for it to end: the lock frees itself (there is no file to delete)."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {_utc_now():%Y-%m-%dT%H:%M:%SZ}\n".encode())
        yield fd
    finally:
        os.close(fd)


def open_warehouse_and_install_key(warehouse: Path, key: str | None) -> None:
    """Open the DuckDB file read-write (fails if another process holds it) and install the key.

    ``key`` None (``--sample`` without CSRA_EMAIL_SALT): the public sample key,
    unless the file already holds a key.
    """
    import duckdb

    if not warehouse.exists():
        raise CouldNotRun(
            f"warehouse file {warehouse} does not exist: land the raw tables there first "
            "(or set DBT_DUCKDB_PATH)"
        )
    try:
        con = duckdb.connect(str(warehouse))
    except duckdb.IOException as error:
        message = str(error)
        if "lock" in message.lower():
            holder = re.search(r"PID (\d+)", message)
            raise CouldNotRun(
                f"warehouse file {warehouse} is open in another process"
                + (f" (PID {holder.group(1)})" if holder else "")
                + ": DuckDB allows one writer, and a BI tool or notebook holding the file "
                "blocks the nightly run. Close it (or give it a copy of the file) and rerun."
            ) from None
        raise CouldNotRun(f"cannot open warehouse file {warehouse}: {message}") from None
    try:
        if key is None:
            install_sample_key_if_missing(con)
        else:
            install_key(con, key)
    finally:
        con.close()


def _dbt_command(args: Sequence[str]) -> list[str]:
    return [sys.executable, "-c", "import sys; from dbt.cli.main import cli; sys.exit(cli())", *args]


def run_dbt_step(
    run: NightlyRun,
    args: Sequence[str],
    *,
    lock_fd: int | None,
    dbt_vars: dict[str, object],
) -> tuple[int, str]:
    """Run one dbt command in a child process (same env, our lock fd inherited)."""
    command = [
        *args,
        *("--project-dir", str(run.project_dir)),
        *("--profiles-dir", os.environ.get("DBT_PROFILES_DIR", str(run.project_dir))),
        *("--target-path", str(run.dbt_target_dir)),
        *("--log-path", str(run.run_dir)),
        "--no-use-colors",
    ]
    if run.target:
        command += ["--target", run.target]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    env = dict(os.environ)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    if run.warehouse is not None:
        env["DBT_DUCKDB_PATH"] = str(run.warehouse)
    completed = subprocess.run(
        _dbt_command(command),
        cwd=run.project_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        pass_fds=(lock_fd,) if lock_fd is not None else (),
        check=False,
    )
    with (run.run_dir / "dbt_output.log").open("a", encoding="utf-8") as handle:
        handle.write(f"$ dbt {' '.join(args)}\n{completed.stdout}\n")
    return completed.returncode, completed.stdout


def _load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _copy_artifact(run: NightlyRun, name: str) -> None:
    source = run.dbt_target_dir / name
    if source.exists():
        shutil.copy2(source, run.run_dir / name)


# ---------------------------------------------------------------- steps


def step_preflight(run: NightlyRun, lock_fd: int | None, dbt_vars: dict[str, object]) -> None:
    started = time.perf_counter()
    code, output = run_dbt_step(run, ["run-operation", "assert_raw_contract"], lock_fd=lock_fd, dbt_vars=dbt_vars)
    seconds = time.perf_counter() - started
    if code != 0:
        run.steps.append(Step("preflight", "failed", "raw contract, key or profile", seconds))
        raise CouldNotRun("\n".join(_dbt_error_lines(output)))
    run.steps.append(Step("preflight", "ok", "every raw table and column of the contract, key installed", seconds))


def step_freshness(run: NightlyRun, lock_fd: int | None, dbt_vars: dict[str, object]) -> int | None:
    """Run dbt source freshness; return an exit code when the run must stop."""
    started = time.perf_counter()
    sources_file = run.dbt_target_dir / "sources.json"
    sources_file.unlink(missing_ok=True)
    _code, output = run_dbt_step(run, ["source", "freshness"], lock_fd=lock_fd, dbt_vars=dbt_vars)
    seconds = time.perf_counter() - started
    _copy_artifact(run, "sources.json")
    results = _load_json(sources_file).get("results", [])
    if not results:
        run.steps.append(Step("freshness", "failed", "dbt source freshness did not run", seconds))
        raise CouldNotRun("\n".join(_dbt_error_lines(output)))
    by_status: dict[str, list[str]] = {}
    for result in results:
        name = ".".join(result["unique_id"].split(".")[-2:])
        age = result.get("max_loaded_at_time_ago_in_s")
        label = f"{name} ({age / 3600:.0f} h old)" if isinstance(age, int | float) else name
        status = str(result.get("status"))
        if status == "error" and str(result.get("max_loaded_at", "")).startswith("0001-01-01"):
            # dbt's "max_loaded_at" of an EMPTY table: the contract allows
            # empty tables (a company without product events), so it has
            # no age to judge; shown, not stale
            status, label = "empty", name
        by_status.setdefault(status, []).append(label)
    counts = ", ".join(f"{len(names)} {status}" for status, names in sorted(by_status.items()))
    if "runtime error" in by_status:
        run.steps.append(Step("freshness", "failed", counts, seconds))
        raise CouldNotRun(
            "source freshness could not be measured for "
            + ", ".join(by_status["runtime error"])
            + "\n"
            + "\n".join(_dbt_error_lines(output, 8))
        )
    if "error" in by_status:
        run.steps.append(Step("freshness", "stale", f"{counts}: " + ", ".join(by_status["error"]), seconds))
        run.notes.append(
            "Stale sources stop the run before dbt build: yesterday's marts stay as they are. "
            "Thresholds: vars source_freshness_warn_after_hours / source_freshness_error_after_hours."
        )
        return EXIT_STALE_SOURCES
    detail = counts + "".join(
        f"; {status}: {', '.join(by_status[status])}" for status in ("warn", "empty") if status in by_status
    )
    run.steps.append(Step("freshness", "ok", detail, seconds))
    return None


def tests_recent_loads_only(root: Path, *, full_refresh: bool, slim: bool) -> bool:
    """Whether the redelivery test compares only the event_ids loaded since the watermark.

    Only on an incremental nightly run after one that ended OK (its artifacts
    in ``<root>/latest``): every older key was checked then. A first run, a
    --full-refresh run (the weekly one) and slim CI check every key.
    """
    return not full_refresh and not slim and (root / "latest" / "run_results.json").exists()


def step_build(
    run: NightlyRun,
    lock_fd: int | None,
    dbt_vars: dict[str, object],
    *,
    full_refresh: bool,
    slim_state: Path | None,
    recent_loads_only: bool = False,
) -> int:
    started = time.perf_counter()
    results_file = run.dbt_target_dir / "run_results.json"
    results_file.unlink(missing_ok=True)
    args = ["build", "--store-failures"]
    if full_refresh:
        args.append("--full-refresh")
    if slim_state is not None:
        args += ["--select", "state:modified+", "--defer", "--state", str(slim_state)]
    if recent_loads_only:
        # the raw events' redelivery test compares the event_ids loaded since
        # the watermark (macro rows_of_recently_loaded_keys); --vars wins
        dbt_vars = {RECENT_LOADS_VAR: True, **dbt_vars}
        run.notes.append(
            "Redelivery test: only the event_ids loaded since the incremental watermark (the last nightly "
            "run ended OK); --full-refresh compares every event_id."
        )
    code, output = run_dbt_step(run, args, lock_fd=lock_fd, dbt_vars=dbt_vars)
    seconds = time.perf_counter() - started
    for name in ("run_results.json", "manifest.json"):
        _copy_artifact(run, name)
    results = _load_json(results_file).get("results", [])
    if not results and code != 0:
        run.steps.append(Step("build", "failed", "dbt build did not run", seconds))
        raise CouldNotRun("\n".join(_dbt_error_lines(output)))
    statuses: dict[str, int] = {}
    for result in results:
        statuses[str(result.get("status"))] = statuses.get(str(result.get("status")), 0) + 1
    counts = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    failed = statuses.get("fail", 0) + statuses.get("error", 0)
    if code != 0 and not failed:
        # dbt stopped on its own (e.g. the on-run-start preflight, a lost lock)
        run.steps.append(Step("build", "failed", counts or "stopped", seconds))
        raise CouldNotRun("\n".join(_dbt_error_lines(output)))
    run.steps.append(Step("build", "failed" if failed else "ok", f"{len(results)} nodes: {counts}", seconds))
    return EXIT_TESTS_FAILED if failed else EXIT_OK


# ---------------------------------------------------------------- summary


def _problem_lines(run: NightlyRun) -> list[str]:
    from csra.failures import collect_test_problems, format_problems

    if not (run.dbt_target_dir / "run_results.json").exists():
        return []
    try:
        problems = collect_test_problems(
            run.dbt_target_dir, run.warehouse if run.is_duckdb else None, limit=3
        )
    except Exception as error:
        return [f"(could not read the failing rows: {error})"]
    build_errors = [
        f"ERROR {result['unique_id'].split('.', 2)[-1]}: {_clean(str(result.get('message') or ''))[:200]}"
        for result in _load_json(run.dbt_target_dir / "run_results.json").get("results", [])
        if result.get("status") == "error" and not str(result.get("unique_id", "")).startswith("test.")
    ]
    if not problems and not build_errors:
        return ["All data tests passed."]
    # one screen: the first tests (errors, then failures, then warnings)
    shown = problems[:MAX_TESTS_SHOWN]
    more = (
        [f"... and {len(problems) - len(shown)} more: python -m csra.failures "
         f"--target-path {run.run_dir} --database {run.warehouse}"]
        if len(problems) > len(shown)
        else []
    )
    return build_errors[:MAX_TESTS_SHOWN] + ([format_problems(shown)] if shown else []) + more


def _headline_lines(run: NightlyRun) -> list[str]:
    if not run.is_duckdb:
        return ["(headline numbers: DuckDB only; read marts.mart_revenue_retention on this target)"]
    from csra.headline import headline

    try:
        return headline(str(run.warehouse)).splitlines()
    except Exception as error:
        return [f"(no headline numbers: {_clean(str(error)).splitlines()[0]})"]


def _report_lines(run: NightlyRun) -> list[str]:
    """Output of csra.report (the semantic-layer report) when the project has it."""
    try:
        report = importlib.import_module("csra.report")
    except ImportError:
        return []
    entry = getattr(report, "main", None)
    if entry is None:
        return []
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            args = ["--database", str(run.warehouse)] if run.is_duckdb else []
            entry(args)
    except (Exception, SystemExit) as error:
        return [f"(csra.report failed: {error})"]
    return buffer.getvalue().rstrip().splitlines()


def summary_text(run: NightlyRun, exit_code: int, started: dt.datetime) -> str:
    where = str(run.warehouse) if run.is_duckdb else f"target {run.target or os.environ.get('DBT_TARGET')}"
    lines = [
        f"csra nightly {started:%Y-%m-%d %H:%M:%SZ}  warehouse: {where}",
        f"artifacts: {run.run_dir}",
    ]
    lines += [f"  {step.name:<10} {step.status:<7} {step.seconds:6.1f} s  {step.detail}" for step in run.steps]
    if any(step.name == "build" for step in run.steps):
        lines += ["", "Data tests (failed and warned, with their first failing rows):"]
        lines += [f"  {line}" for block in _problem_lines(run) for line in block.splitlines()]
        lines += ["", *_headline_lines(run)]
        report = _report_lines(run)
        if report:
            lines += ["", *report]
    lines += ["", *run.notes]
    lines.append(f"exit {exit_code}: {EXIT_MEANINGS[exit_code]}")
    return "\n".join(line for line in lines if line is not None).replace("\n\n\n", "\n\n")


# ---------------------------------------------------------------- main


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="csra nightly",
        description="Nightly run: preflight, source freshness, dbt build, one-screen summary.",
        epilog="Exit codes: 0 OK, 1 tests failed, 2 usage, 3 stale sources, 4 could not run.",
    )
    parser.add_argument("--sample", action="store_true",
                        help="the generated sample company: without CSRA_EMAIL_SALT use the public sample key")
    parser.add_argument("--as-of-date", help="close the books on this date (dbt var as_of_date; default today)")
    parser.add_argument("--vars", default="{}", help="more dbt vars, as a JSON object")
    parser.add_argument("--full-refresh", action="store_true",
                        help="rebuild the incremental event rollups from every event (weekly, or after late loads)")
    parser.add_argument("--target", default=os.environ.get("DBT_TARGET", ""),
                        help="profile target (default: $DBT_TARGET, else duckdb)")
    parser.add_argument("--artifacts-dir", default=os.environ.get("CSRA_ARTIFACTS_DIR", DEFAULT_ARTIFACTS_DIR),
                        help="where each run's folder goes (default: $CSRA_ARTIFACTS_DIR or nightly_runs)")
    parser.add_argument("--slim", action="store_true",
                        help="CI, on a copy of the production warehouse: build and test only state:modified+ "
                        "with --defer against --state; no freshness check; keeps the copy's key")
    parser.add_argument("--state", help="production artifacts to compare with (default: <artifacts-dir>/latest)")
    parser.add_argument("--project-dir", default=str(PROJECT_DIR),
                        help="dbt project to run (default: this checkout; slim CI may point at a branch's copy)")
    parser.add_argument("--skip-freshness", action="store_true",
                        help="do not check source freshness (backfills, slim CI implies it)")
    args = parser.parse_args(argv)
    try:
        extra = json.loads(args.vars)
    except json.JSONDecodeError as error:
        parser.error(f"--vars is not a JSON object: {error}")
    if not isinstance(extra, dict):
        parser.error("--vars must be a JSON object")
    args.dbt_vars = dict(extra)
    if args.as_of_date:
        try:
            dt.date.fromisoformat(args.as_of_date)
        except ValueError:
            parser.error(f"--as-of-date {args.as_of_date!r} is not a date (YYYY-MM-DD)")
        args.dbt_vars["as_of_date"] = args.as_of_date
    return args


def _new_run_dir(root: Path, started: dt.datetime) -> Path:
    run_dir = root / f"{started:%Y-%m-%d}" / f"{started:%H%M%S}Z"
    suffix = 1
    candidate = run_dir
    while candidate.exists():
        suffix += 1
        candidate = run_dir.with_name(f"{run_dir.name}-{suffix}")
    candidate.mkdir(parents=True)
    return candidate


def main(argv: list[str] | None = None) -> int:
    """Run the nightly pipeline; return the exit code (see module docstring)."""
    args = _parse_args(argv)
    started = _utc_now()
    target = args.target or "duckdb"
    root = Path(args.artifacts_dir).resolve()
    project_dir = Path(args.project_dir).resolve()
    warehouse = (
        Path(os.environ.get("DBT_DUCKDB_PATH", str(project_dir / "warehouse.duckdb"))).resolve()
        if target == "duckdb"
        else None
    )
    run = NightlyRun(
        target=args.target,
        project_dir=project_dir,
        warehouse=warehouse,
        run_dir=_new_run_dir(root, started),
        dbt_target_dir=root / "dbt_target" / target,
    )
    slim_state = None
    if args.slim:
        slim_state = Path(args.state or root / "latest").resolve()
        if not (slim_state / "manifest.json").exists():
            print(f"error: --slim needs production artifacts: no manifest.json in {slim_state}", file=sys.stderr)
            return EXIT_COULD_NOT_RUN
    exit_code = EXIT_COULD_NOT_RUN
    try:
        key: str | None = None
        if os.environ.get(KEY_ENV_VAR) or not (args.sample or args.slim):
            key = key_from_environment(sample=False)
        # else: the sample company, or slim CI on a copy of production: keep
        # the key the file holds (the public sample key if it has none)
        lock_path = Path(f"{warehouse}.nightly.lock") if warehouse else root / f"{target}.nightly.lock"
        with warehouse_lock(lock_path) as lock_fd:
            if warehouse is not None:
                open_warehouse_and_install_key(warehouse, key)
                run.steps.append(Step("open", "ok", "warehouse writable, e-mail hash key installed"))
            else:
                run.notes.append(
                    "Not DuckDB: the key table csra_private.email_hash_key must already hold the key "
                    "(the preflight checks it)."
                )
            step_preflight(run, lock_fd, args.dbt_vars)
            stale = None
            if not (args.slim or args.skip_freshness):
                stale = step_freshness(run, lock_fd, args.dbt_vars)
            exit_code = stale if stale is not None else step_build(
                run,
                lock_fd,
                args.dbt_vars,
                full_refresh=args.full_refresh,
                slim_state=slim_state,
                recent_loads_only=tests_recent_loads_only(root, full_refresh=args.full_refresh, slim=args.slim),
            )
    except MissingKeyError as error:
        run.steps.append(Step("key", "failed", str(error)))
    except CouldNotRun as error:
        run.notes.append(str(error))
    text = summary_text(run, exit_code, started)
    (run.run_dir / "summary.txt").write_text(text + "\n", encoding="utf-8")
    (run.run_dir / "exit_code").write_text(f"{exit_code}\n", encoding="utf-8")
    if exit_code == EXIT_OK and not args.slim:
        latest = root / "latest"
        shutil.rmtree(latest, ignore_errors=True)
        shutil.copytree(run.run_dir, latest)
    print(text)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
