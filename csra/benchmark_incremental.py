"""Time a full build of the usage/onboarding models against an incremental run
that adds one day of product events, in one run, on a generated company.

    python -m csra.benchmark_incremental --accounts 10000 --workdir /tmp/csra-bench-inc

Steps (all on one DuckDB file, one process, one machine state):
  1. generate the company (fixed seed and window), or copy --from-database;
  2. hold back one day of events: the newest occurrence date D of the raw
     events, and every event loaded on or after D (that day's load plus the
     late stragglers delivered after it) is moved aside;
  3. prepare (not timed): seeds and every parent of the selection (staging,
     revenue intermediates), then the selection itself once;
  4. FULL: `dbt <command> --full-refresh` of the selection (the usage and
     onboarding models; `--command run` for models only);
  5. put the held-back day back into raw_product.events;
  6. INCREMENTAL: `dbt <command>` of the same selection: the event rollups
     only recompute the (account, day) keys the new day touched, every model
     downstream of them is rebuilt as usual;
  7. check: copy the incremental rollups, rebuild them with --full-refresh and
     compare both ways (EXCEPT ALL), so the speed-up is not bought with wrong
     rows.
It prints wall-clock seconds (dbt start-up and parsing included), dbt's own
run time, the summed execution time of the two event rollups (they may run
side by side on two threads), the slowest models, and the ratios
incremental / full.
These machines are noisy: compare ratios measured in one run, not seconds
across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from csra.dbt_invoke import PROJECT_DIR

SELECTION = (
    "stg_product__events",  # a table: the de-duplicated events the rollups read
    "path:models/intermediate/usage",
    "path:models/intermediate/onboarding",
    "path:models/marts/usage",
    "path:models/marts/onboarding",
)
ROLLUPS = ("int_product_user_days", "int_product_feature_days")


@dataclass(frozen=True)
class Timing:
    """Seconds of one dbt invocation: wall clock, dbt's run phase, rollups, per node."""

    wall_s: float
    run_s: float
    rollups_s: float
    nodes: dict[str, float]


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Dbt:
    """dbt as a subprocess on one warehouse file, with one target folder."""

    def __init__(self, database: Path, target: Path, as_of_date: str, lookback: int) -> None:
        self.database = database
        self.target = target
        self.vars = json.dumps({"as_of_date": as_of_date, "events_lookback_days": lookback})
        self.executable = str(Path(sys.executable).with_name("dbt"))

    def __call__(self, *args: str) -> Timing:
        """Run `dbt <args>`; fail loudly if dbt fails."""
        env = {
            **os.environ,
            "DBT_DUCKDB_PATH": str(self.database),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            self.executable,
            *args,
            "--vars",
            self.vars,
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(self.target),
        ]
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
        wall_s = time.perf_counter() - started
        if completed.returncode != 0:
            sys.stderr.write(completed.stdout[-5000:])
            raise SystemExit(f"dbt {' '.join(args)} failed (exit {completed.returncode})")
        results = json.loads((self.target / "run_results.json").read_text())
        nodes = {
            result["unique_id"].split(".", 2)[-1]: float(result["execution_time"]) for result in results["results"]
        }
        rollups_s = sum(seconds for name, seconds in nodes.items() if name in ROLLUPS)
        return Timing(wall_s=wall_s, run_s=float(results["elapsed_time"]), rollups_s=rollups_s, nodes=nodes)


def generate(database: Path, accounts: int, start_month: str, months: int, seed: int) -> None:
    """Write a generated company into ``database`` (replacing it)."""
    database.unlink(missing_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "csra.generate",
            "--database",
            str(database),
            "--accounts",
            str(accounts),
            "--seed",
            str(seed),
            "--start-month",
            start_month,
            "--months",
            str(months),
            "--quiet",
        ],
        check=True,
        cwd=PROJECT_DIR,
    )


def hold_back_last_day(database: Path) -> tuple[str, int, int]:
    """Move aside the events loaded on or after the last occurrence date; return (day, held, kept)."""
    con = duckdb.connect(str(database))
    try:
        day = con.execute("select max(cast(occurred_at as date)) from raw_product.events").fetchone()[0]
        con.execute("create schema if not exists bench")
        con.execute(
            "create or replace table bench.events_held_back as "
            "select * from raw_product.events where cast(loaded_at as date) >= ?",
            [day],
        )
        con.execute("delete from raw_product.events where cast(loaded_at as date) >= ?", [day])
        held = con.execute("select count(*) from bench.events_held_back").fetchone()[0]
        kept = con.execute("select count(*) from raw_product.events").fetchone()[0]
    finally:
        con.close()
    return str(day), held, kept


def release_held_back(database: Path) -> None:
    """Append the held-back day to the raw events (the new load)."""
    con = duckdb.connect(str(database))
    try:
        con.execute("insert into raw_product.events select * from bench.events_held_back")
    finally:
        con.close()


def snapshot_rollups(database: Path) -> None:
    """Copy the rollups as the incremental run left them."""
    con = duckdb.connect(str(database))
    try:
        for rollup in ROLLUPS:
            con.execute(f"create or replace table bench.{rollup} as select * from intermediate.{rollup}")
    finally:
        con.close()


def rollup_differences(database: Path) -> dict[str, tuple[int, int, int]]:
    """Per rollup: (rows, rows only incremental, rows only full refresh)."""
    con = duckdb.connect(str(database))
    out = {}
    try:
        for rollup in ROLLUPS:
            inc, full = f"bench.{rollup}", f"intermediate.{rollup}"
            rows = con.execute(f"select count(*) from {full}").fetchone()[0]
            only_inc = con.execute(f"select count(*) from ({_except(inc, full)})").fetchone()[0]
            only_full = con.execute(f"select count(*) from ({_except(full, inc)})").fetchone()[0]
            out[rollup] = (rows, only_inc, only_full)
    finally:
        con.close()
    return out


def _except(left: str, right: str) -> str:
    return f"select * from {left} except all select * from {right}"


def _ratio(part: float, whole: float) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m csra.benchmark_incremental",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--accounts", type=int, default=10000, help="company size to generate (default: %(default)s)")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/csra-bench-inc"), help="where the DuckDB file and dbt target go"
    )
    parser.add_argument(
        "--from-database",
        type=Path,
        help="copy this already generated DuckDB file instead of generating (its raw_* tables are used)",
    )
    parser.add_argument(
        "--as-of-date",
        default="2026-11-30",
        help="as_of_date var for dbt; the default closes the default window (default: %(default)s)",
    )
    parser.add_argument("--start-month", default="2023-12", help="first generated month (default: %(default)s)")
    parser.add_argument("--months", type=int, default=36, help="generated months (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default: %(default)s)")
    parser.add_argument(
        "--lookback-days", type=int, default=3, help="events_lookback_days var for both runs (default: %(default)s)"
    )
    parser.add_argument(
        "--command",
        choices=("build", "run"),
        default="build",
        help="dbt command timed: build (models and their tests) or run (models only) (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    args.workdir.mkdir(parents=True, exist_ok=True)
    database = args.workdir / f"bench_incremental_{args.accounts}.duckdb"
    if args.from_database:
        _progress(f"copying {args.from_database}")
        shutil.copyfile(args.from_database, database)
    else:
        _progress(f"generating {args.accounts:,} accounts")
        generate(database, args.accounts, args.start_month, args.months, args.seed)
    day, held, kept = hold_back_last_day(database)
    _progress(f"held back {held:,} events loaded on or after {day}; {kept:,} events stay")

    dbt = Dbt(database, args.workdir / "target", args.as_of_date, args.lookback_days)
    selection = ["--select", *SELECTION]
    cautious = ["--indirect-selection", "cautious"]
    _progress("preparing: seeds and the parents of the selection (not timed)")
    dbt("seed")
    dbt("run", "--select", *(f"+{part}" for part in SELECTION))

    _progress(f"FULL: dbt {args.command} --full-refresh of the usage/onboarding models")
    full = dbt(args.command, *selection, "--full-refresh", *cautious)
    release_held_back(database)
    _progress(f"INCREMENTAL: dbt {args.command} after adding the events loaded on or after {day}")
    incremental = dbt(args.command, *selection, *cautious)

    _progress("checking the incremental rollups against a full refresh")
    snapshot_rollups(database)
    dbt("run", "--select", *ROLLUPS, "--full-refresh")
    differences = rollup_differences(database)

    print(f"company: {args.accounts:,} accounts, {kept + held:,} raw events; added day {day}: {held:,} events")
    print(f"{'':28}{'full':>10}{'incremental':>14}{'inc / full':>12}")
    for label, attribute in (
        (f"dbt {args.command} wall clock (s)", "wall_s"),
        ("dbt run phase (s)", "run_s"),
        ("event rollups, summed (s)", "rollups_s"),
    ):
        full_s, inc_s = getattr(full, attribute), getattr(incremental, attribute)
        print(f"{label:28}{full_s:10.1f}{inc_s:14.1f}{_ratio(inc_s, full_s):>12}")
    print("slowest nodes (s):")
    for name in sorted(full.nodes, key=full.nodes.get, reverse=True)[:6]:
        inc_s = incremental.nodes.get(name, 0.0)
        print(f"  {name[:38]:38}{full.nodes[name]:10.1f}{inc_s:14.1f}{_ratio(inc_s, full.nodes[name]):>12}")
    equal = all(only_inc == 0 and only_full == 0 for _, only_inc, only_full in differences.values())
    for rollup, (rows, only_inc, only_full) in differences.items():
        print(f"{rollup}: {rows:,} rows; only incremental {only_inc}, only full refresh {only_full}")
    print(f"incremental == full refresh: {'yes' if equal else 'NO'}")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
