"""Measure generator and `dbt build` times at several company sizes.

    python -m csra.benchmark --accounts 1000 10000 50000 --workdir /tmp/csra-bench

For each size: generate the company (fixed seed and window), run `dbt build`
on it (models, seeds, data and unit tests) and report seconds, rows and
ratios to the smallest size, all measured in one run (these machines are
noisy, so compare the ratios, not the absolute seconds, across runs).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from csra.dbt_invoke import PROJECT_DIR


def _timed(command: list[str], env_extra: dict[str, str]) -> float:
    import os

    env = {**os.environ, **env_extra, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(accounts: int, workdir: Path, as_of_date: str, start_month: str, months: int) -> dict[str, float]:
    """Generate and build one size; return timings and row counts."""
    database = workdir / f"bench_{accounts}.duckdb"
    database.unlink(missing_ok=True)
    python = sys.executable
    dbt = str(Path(python).with_name("dbt"))
    generate_s = _timed(
        [python, "-m", "csra.generate", "--database", str(database), "--accounts", str(accounts),
         "--seed", "42", "--start-month", start_month, "--months", str(months), "--quiet"],
        {},
    )
    build_s = _timed(
        [dbt, "build", "--vars", f"{{as_of_date: '{as_of_date}'}}", "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(workdir / f"target_{accounts}")],
        {"DBT_DUCKDB_PATH": str(database)},
    )
    con = duckdb.connect(str(database), read_only=True)
    try:
        events = con.execute("select count(*) from raw_product.events").fetchone()[0]
        movements = con.execute("select count(*) from marts.fct_mrr_movements").fetchone()[0]
    finally:
        con.close()
    return {
        "accounts": accounts,
        "events": events,
        "movements": movements,
        "generate_s": generate_s,
        "build_s": build_s,
        "size_mb": database.stat().st_size / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, nargs="+", default=[1000, 10000], help="company sizes to measure")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/csra-bench"), help="where the DuckDB files go")
    parser.add_argument("--as-of-date", default="2026-11-24", help="as_of_date var for dbt (default: %(default)s)")
    parser.add_argument("--start-month", default="2023-12", help="first generated month (default: %(default)s)")
    parser.add_argument("--months", type=int, default=36, help="generated months (default: %(default)s)")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for accounts in sorted(args.accounts):
        result = measure(accounts, args.workdir, args.as_of_date, args.start_month, args.months)
        results.append(result)
        print(
            f"{accounts:>7,} accounts  {result['events']:>12,} events  generate {result['generate_s']:7.1f} s"
            f"  dbt build {result['build_s']:7.1f} s  {result['size_mb']:8.1f} MB",
            flush=True,
        )
    base = results[0]
    for result in results[1:]:
        print(
            f"{result['accounts']:,} vs {base['accounts']:,} accounts: "
            f"generate x{result['generate_s'] / base['generate_s']:.1f}, "
            f"dbt build x{result['build_s'] / base['build_s']:.1f}, "
            f"events x{result['events'] / max(base['events'], 1):.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
