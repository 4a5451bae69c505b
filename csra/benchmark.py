"""Where the time goes: full build, nightly run and the floor, at S, M and L.

    python -m csra.benchmark --scale S M L [--runs 3] [--workdir /tmp/csra-bench]

For each scale (S 1,000, M 10,000, L 50,000 accounts; or --accounts N), in
one run on one machine:
  1. generation: the company (seed 42, Dec 2023 - Nov 2026) is generated
     once into <workdir>/company_<accounts>.duckdb and reused on later runs
     (its generation time is kept beside it);
  then --runs times (medians reported), on a fresh copy of that company:
  2. the last day's load is held back (csra.generator.append_day: the day's
     events with late and duplicate deliveries, a day of billing and CRM
     changes);
  3. FULL: `dbt build --full-refresh` (models, seeds, data and unit tests);
  4. the held-back day is appended;
  5. NIGHTLY: `dbt build --exclude-resource-type unit_test` with
     event_tests_recent_loads_only (the production command after an OK
     nightly run, csra.nightly: unit tests check code, not data, and run in
     CI and on the full build; the incremental models take only the new
     loads, and the raw events' redelivery test compares the event_ids
     loaded since the watermark);
  6. FLOOR: one DuckDB query per table that reads every value of every raw
     column once (a sum of hashes per column, which no engine answers from
     metadata), with the same memory limit and threads as dbt; and the same
     over the event columns the two event rollups read.
Seconds are wall clock of the dbt process (start-up and parsing included);
per-node seconds come from run_results.json; peak memory is the maximum
resident set of the dbt process (getrusage of a wrapper around it), and a
sampler (every 0.5 s) notes when the resident set was highest and which
nodes were running then (from run_results.json's execute timings).
Results go to benchmarks/<date>-<scale>.json and .md (--out). The machine is
shared and noisy: compare ratios measured in one run, not seconds across runs.

The memory budget comes from the profile (DBT_DUCKDB_MEMORY_LIMIT,
DBT_DUCKDB_TEMP_DIRECTORY, DBT_THREADS); --memory-limit sets the first.

    python -m csra.benchmark --scale M --runs 1 --engine duckdb postgres spark

builds the same company, held-back day and nightly run on each target of
profiles.yml: DuckDB first, then a throwaway PostgreSQL server
(csra.engines.postgres, sized by POSTGRES_SETTINGS) and Spark in dbt's
process (a local session, its metastore under <workdir>/spark_<accounts>).
The raw tables are copied from the DuckDB company by csra.engines' loaders
before the full build and again before the nightly run (not timed). After
each other engine's nightly run every mart is compared row by row with
DuckDB's (csra.engines.compare): the incremental runs of each engine must
give the same numbers. Reports: <date>-<scale>-<engine>.json/.md and
<date>-<scale>-engines.md, the engines side by side in ratios to DuckDB.

    python -m csra.benchmark compare A.duckdb B.duckdb [--schemas marts]

compares every table of the given schemas in two warehouse files with EXCEPT
ALL both ways (the proof that a change left the marts identical).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from csra.dbt_invoke import PROJECT_DIR
from csra.generator.append_day import append_held_back, hold_back_last_day
from csra.marts_diff import relation_differences
from csra.nightly import RECENT_LOADS_VAR

SCALES = {"S": 1_000, "M": 10_000, "L": 50_000}
ROLLUPS = ("model int_product_user_days_rolled_up", "model int_product_feature_days_rolled_up")
# the raw event columns the project reads (staging de-duplicates on event_id)
EVENT_COLUMNS = ("event_id", "account_id", "user_id", "event_name", "feature_key", "occurred_at", "loaded_at")
RAW_SCHEMAS = ("raw_billing", "raw_crm", "raw_survey", "raw_product")


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _env(database: Path, engine: Engine | None = None) -> dict[str, str]:
    env = {**os.environ, "DBT_DUCKDB_PATH": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return {**env, **(engine.env() if engine else {})}


ENGINES = ("duckdb", "postgres", "spark")
# The benchmark's PostgreSQL server: a throwaway cluster (csra.engines.postgres)
# sized like a modest dedicated database host instead of PostgreSQL's 128 MB
# defaults, within the same 16 GB machine the DuckDB budget is chosen for.
POSTGRES_SETTINGS = {
    "shared_buffers": "2GB",
    "work_mem": "128MB",
    "maintenance_work_mem": "512MB",
    "effective_cache_size": "8GB",
    "max_parallel_workers_per_gather": "2",
}


class Engine:
    """Where dbt builds: the DuckDB file itself (the default target), a
    throwaway PostgreSQL server, or Spark in dbt's process (`method: session`).

    The company is always generated, held back and appended in its DuckDB
    file; for PostgreSQL and Spark that file's raw schemas are copied in by
    csra.engines' loaders before the full build and again (whole) before the
    nightly run. Loading is not part of the measured dbt time.
    """

    def __init__(self, name: str, workdir: Path, accounts: int) -> None:
        if name not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {name!r}")
        self.name = name
        self.spark_dir = workdir / f"spark_{accounts}"
        self.server = None

    def __enter__(self) -> Engine:
        if self.name == "postgres":
            from csra.engines.postgres import DEFAULT_BI_ROLE, PostgresServer

            self.server = PostgresServer(settings=POSTGRES_SETTINGS).start()
            self.server.create_role(os.environ.get("DBT_BI_ROLE", DEFAULT_BI_ROLE))
        if self.name == "spark":
            shutil.rmtree(self.spark_dir, ignore_errors=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.name == "spark":
            shutil.rmtree(self.spark_dir, ignore_errors=True)

    def env(self) -> dict[str, str]:
        if self.name == "postgres":
            return {"DBT_TARGET": "postgres", **self.server.env()}
        if self.name == "spark":
            return {"DBT_TARGET": "spark", "CSRA_SPARK_DIR": str(self.spark_dir)}
        return {"DBT_TARGET": "duckdb"}

    def server_pids(self) -> tuple[int, ...]:
        """The PostgreSQL postmaster (its backends are its children): sampled with dbt."""
        if self.server is None:
            return ()
        return (int((self.server.data_dir / "postmaster.pid").read_text().split()[0]),)

    def settings(self) -> dict[str, object]:
        if self.name == "postgres":
            return {"postgres": POSTGRES_SETTINGS, "dbt_threads": 2}  # profiles.yml's postgres target
        if self.name == "spark":  # the session settings profiles.yml's spark target mirrors
            from csra.engines.spark import spark_conf

            conf = spark_conf(self.spark_dir)
            return {key: conf[key] for key in ("spark.master", "spark.driver.memory")} | {"dbt_threads": 2}
        return {
            "memory_limit": _duckdb_settings()["memory_limit"],
            "dbt_threads": os.environ.get("DBT_THREADS", "1"),  # profiles.yml's default
        }

    def load(self, database: Path) -> float:
        """Copy the raw schemas of ``database`` into the engine; seconds taken."""
        started = time.perf_counter()
        if self.name == "postgres":
            from csra.engines.postgres import connect_from_env, load_raw_into_postgres

            con = connect_from_env(self.server.connect_kwargs())
            try:
                load_raw_into_postgres(database, con)
            finally:
                con.close()
        elif self.name == "spark":
            # in a process of its own: the Derby metastore admits one JVM, dbt's
            loaded = subprocess.run(
                [sys.executable, "-m", "csra.engines", "spark-load", "--duckdb", str(database),
                 "--spark-dir", str(self.spark_dir)],
                cwd=PROJECT_DIR, env=_env(database, self), capture_output=True, text=True,
            )  # fmt: skip
            if loaded.returncode != 0:
                sys.stderr.write(loaded.stderr[-6000:])
                raise SystemExit(f"spark-load failed (exit {loaded.returncode})")
        return time.perf_counter() - started

    def verify(self, reference: Path, manifest: Path, database: Path) -> dict[str, object]:
        """Every mart against the DuckDB build of the same data (``reference``), row by row."""
        completed = subprocess.run(
            [sys.executable, "-m", "csra.benchmark", "verify", "--engine", self.name,
             "--reference", str(reference), "--manifest", str(manifest)],
            cwd=PROJECT_DIR, env=_env(database, self), capture_output=True, text=True,
        )  # fmt: skip
        sys.stderr.write(completed.stdout)
        if completed.returncode not in (0, 1):
            sys.stderr.write(completed.stderr[-4000:])
            raise SystemExit(f"verifying the {self.name} marts failed (exit {completed.returncode})")
        return json.loads(completed.stdout.strip().splitlines()[-1])


# Runs a command and prints its peak resident set (KiB) to stderr's last line:
# the wrapper's RUSAGE_CHILDREN covers only the one child it waited for.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _process_tree(pid: int) -> list[int]:
    """A process and all its descendants (dbt's Spark JVM is a grandchild of the wrapper)."""
    tree, pending = [], [pid]
    while pending:
        each = pending.pop()
        tree.append(each)
        try:  # a process (or thread) may end between the listing and the read
            for children in Path(f"/proc/{each}/task").glob("*/children"):
                pending += [int(child) for child in children.read_text().split()]
        except (OSError, ValueError):
            continue
    return tree


def _resident_mb(*roots: int) -> float:
    """Resident set (MB) of processes and their descendants (0 for those gone)."""
    total = 0
    for each in (pid for root in roots for pid in _process_tree(root)):
        try:
            total += int(Path(f"/proc/{each}/statm").read_text().split()[1])
        except (OSError, ValueError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


class _PeakSampler(threading.Thread):
    """Samples a process tree's resident set; keeps the highest and when (UTC)."""

    def __init__(self, pid: int, every_s: float = 0.5, also: tuple[int, ...] = ()) -> None:
        super().__init__(daemon=True)
        self.pids, self.every_s = (pid, *also), every_s
        self.peak_mb, self.peak_at = 0.0, None
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every_s):
            resident = _resident_mb(*self.pids)
            if resident > self.peak_mb:
                self.peak_mb, self.peak_at = resident, dt.datetime.now(dt.UTC)


def nodes_running_at(results: dict, moment: dt.datetime | None) -> list[str]:
    """The nodes (as in _node_name) whose execute step spans `moment` (UTC)."""
    if moment is None:
        return []
    running = []
    for result in results["results"]:
        for step in result.get("timing", []):
            if step.get("name") != "execute" or not step.get("started_at") or not step.get("completed_at"):
                continue
            started, completed = (
                dt.datetime.fromisoformat(step[key].replace("Z", "+00:00")) for key in ("started_at", "completed_at")
            )
            if started.tzinfo is None:
                started, completed = started.replace(tzinfo=dt.UTC), completed.replace(tzinfo=dt.UTC)
            if started <= moment <= completed:
                running.append(_node_name(result["unique_id"]))
    return sorted(running)


def run_dbt_measured(
    database: Path,
    target: Path,
    as_of_date: str,
    *args: str,
    engine: Engine | None = None,
    dbt_vars: dict[str, object] | None = None,
) -> dict[str, object]:
    """`dbt <args>` as a subprocess: wall seconds, peak RSS (MB), per-node seconds,
    and the nodes running when the sampled resident set was highest."""
    dbt = str(Path(sys.executable).with_name("dbt"))
    command = [
        sys.executable, "-c", _WRAPPER, dbt, *args,
        "--vars", json.dumps({"as_of_date": as_of_date, **(dbt_vars or {})}),
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=_env(database, engine), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = _PeakSampler(process.pid, also=engine.server_pids() if engine else ())
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.done.set()
    sampler.join()
    wall_s = time.perf_counter() - started
    if process.returncode != 0:
        sys.stderr.write(stdout[-6000:])
        raise SystemExit(f"dbt {' '.join(args)} failed (exit {process.returncode})")
    peak_kb = next(int(line.split()[1]) for line in reversed(stderr.splitlines()) if line.startswith("PEAK_RSS_KB"))
    results = json.loads((target / "run_results.json").read_text())
    # "model stg_product__events", "test <name>.<hash>", "unit_test <model>.<name>"
    nodes = {_node_name(r["unique_id"]): float(r["execution_time"]) for r in results["results"]}
    return {
        "wall_s": wall_s,
        # the wrapper's figure covers dbt and the children it waited for; the
        # sampled one also a Spark JVM and a PostgreSQL server's processes
        "peak_rss_mb": max(peak_kb / 1024, sampler.peak_mb),
        "nodes": nodes,
        "sampled_peak_mb": sampler.peak_mb,
        "running_at_peak": nodes_running_at(results, sampler.peak_at),
    }


def _node_name(unique_id: str) -> str:
    resource_type, _package, name = unique_id.split(".", 2)
    return f"{resource_type} {name}"


def company(workdir: Path, accounts: int, seed: int, start_month: str, months: int) -> tuple[Path, float]:
    """The cached generated company (generated when missing) and its generation seconds."""
    database = workdir / f"company_{accounts}_seed{seed}_{start_month}_{months}.duckdb"
    meta = database.with_suffix(".json")
    if database.exists() and meta.exists():
        return database, json.loads(meta.read_text())["generate_s"]
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "csra.generate", "--database", str(database), "--accounts", str(accounts),
         "--seed", str(seed), "--start-month", start_month, "--months", str(months), "--quiet"],
        check=True, cwd=PROJECT_DIR,
    )  # fmt: skip
    generate_s = time.perf_counter() - started
    meta.write_text(json.dumps({"generate_s": generate_s}))
    return database, generate_s


def _duckdb_settings() -> dict[str, object]:
    """The profile's DuckDB budget, for the floor queries."""
    settings: dict[str, object] = {"memory_limit": os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "4GB")}
    if os.environ.get("DBT_DUCKDB_TEMP_DIRECTORY"):
        settings["temp_directory"] = os.environ["DBT_DUCKDB_TEMP_DIRECTORY"]
    return settings


def floor_queries(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per raw table, one query summing a hash of every value of every column."""
    queries = {}
    rows = con.execute(
        "select schema_name, table_name, list(column_name order by column_index) from duckdb_columns() "
        f"where schema_name in {RAW_SCHEMAS!r} group by all order by all"
    ).fetchall()
    for schema, table, columns in rows:
        sums = ", ".join(f'sum(hash("{column}"))' for column in columns)
        queries[f"{schema}.{table}"] = f"select {sums} from {schema}.{table}"
    return queries


def measure_floor(database: Path) -> tuple[float, float]:
    """Seconds to read every raw column once, and the event columns of the rollups once."""
    con = duckdb.connect(str(database), read_only=True, config=_duckdb_settings())
    try:
        queries = floor_queries(con)
        started = time.perf_counter()
        for sql in queries.values():
            con.execute(sql).fetchall()
        all_s = time.perf_counter() - started
        sums = ", ".join(f"sum(hash({column}))" for column in EVENT_COLUMNS)
        started = time.perf_counter()
        con.execute(f"select {sums} from raw_product.events").fetchall()
        events_s = time.perf_counter() - started
    finally:
        con.close()
    return all_s, events_s


def one_run(
    source: Path,
    workdir: Path,
    accounts: int,
    as_of_date: str,
    run: int,
    engine_name: str = "duckdb",
    reference: Path | None = None,
) -> dict[str, object]:
    """Full build, append a day, nightly run, floor; on a fresh copy of the company.

    With ``reference`` (the DuckDB warehouse after its nightly run on the same
    data), another engine's marts are then compared with it row by row.
    """
    database = workdir / (
        f"run_{accounts}.duckdb" if engine_name == "duckdb" else f"run_{accounts}_{engine_name}.duckdb"
    )
    for stale in (database, database.with_name(database.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(database.with_name(database.name + ".tmp"), ignore_errors=True)
    shutil.copyfile(source, database)
    con = duckdb.connect(str(database))
    try:
        day, held = hold_back_last_day(con)
    finally:
        con.close()
    targets = workdir / f"target_{accounts}_{engine_name}"
    with Engine(engine_name, workdir, accounts) as engine:
        load_s = engine.load(database)
        _progress(
            f"  run {run}: held back {day}: {held['raw_product.events']:,} event rows; FULL build ({engine_name})"
        )
        full = run_dbt_measured(database, targets / "full", as_of_date, "build", "--full-refresh", engine=engine)
        con = duckdb.connect(str(database))
        try:
            append_held_back(con)
            events = con.execute("select count(*) from raw_product.events").fetchone()[0]
        finally:
            con.close()
        load_s += engine.load(database)
        _progress(f"  run {run}: full {full['wall_s']:.1f} s; NIGHTLY run ({engine_name})")
        nightly = run_dbt_measured(
            database,
            targets / "nightly",
            as_of_date,
            "build",
            "--exclude-resource-type",
            "unit_test",
            engine=engine,
            dbt_vars={RECENT_LOADS_VAR: True},
        )
        _progress(f"  run {run}: nightly {nightly['wall_s']:.1f} s")
        verified = None
        if reference is not None:
            verified = engine.verify(reference, targets / "nightly" / "manifest.json", database)
            _progress(f"  run {run}: marts equal to DuckDB's: {verified['equal']} of {verified['marts']}")
    floor_s, floor_events_s = measure_floor(database)
    _progress(f"  run {run}: floor {floor_s:.2f} s")
    return {
        "engine": engine_name,
        "load_s": load_s,
        "verified": verified,
        "day": str(day),
        "held_back": held,
        "events": events,
        "size_mb": database.stat().st_size / 1e6,
        "full": full,
        "nightly": nightly,
        "floor_s": floor_s,
        "floor_events_s": floor_events_s,
    }


def ratios(seconds: dict[str, float]) -> dict[str, float]:
    """The time ratios of issue 16 from the median seconds (keys as in the report)."""
    return {
        "nightly_over_full": seconds["nightly_s"] / seconds["full_build_s"],
        "full_over_floor": seconds["full_build_s"] / seconds["floor_s"],
        "rollups_over_events_floor": seconds["event_rollups_s"] / seconds["floor_events_s"],
    }


def summarise(
    scale: str,
    accounts: int,
    generate_s: float,
    runs: list[dict],
    engine: Engine | None = None,
    date: dt.date | None = None,
) -> dict[str, object]:
    """Medians over the runs, in the report's keys (``date``: the day the benchmark started)."""

    def median(values: list[float]) -> float:
        return statistics.median(values)

    def node_medians(kind: str) -> dict[str, float]:
        names = set().union(*(run[kind]["nodes"] for run in runs))
        return {name: median([run[kind]["nodes"].get(name, 0.0) for run in runs]) for name in names}

    full_nodes, nightly_nodes = node_medians("full"), node_medians("nightly")
    full_s = median([run["full"]["wall_s"] for run in runs])
    nightly_s = median([run["nightly"]["wall_s"] for run in runs])
    floor_s = median([run["floor_s"] for run in runs])
    floor_events_s = median([run["floor_events_s"] for run in runs])
    rollups_s = median([sum(run["full"]["nodes"].get(name, 0.0) for name in ROLLUPS) for run in runs])
    unit_tests_s = median(
        [sum(s for name, s in run["full"]["nodes"].items() if name.startswith("unit_test ")) for run in runs]
    )
    rollups_nightly_s = median([sum(run["nightly"]["nodes"].get(name, 0.0) for name in ROLLUPS) for run in runs])
    slowest = sorted(full_nodes, key=full_nodes.get, reverse=True)[:15]
    engine = engine or Engine("duckdb", Path(), accounts)
    return {
        "scale": scale,
        "engine": engine.name,
        "accounts": accounts,
        "events": runs[0]["events"],
        "runs": len(runs),
        "date": (date or dt.date.today()).isoformat(),
        "machine": {"cpus": os.cpu_count(), **engine.settings()},
        "load_s": median([run.get("load_s", 0.0) for run in runs]),
        "marts_verified": runs[-1].get("verified"),
        "generate_s": generate_s,
        "full_build_s": full_s,
        "nightly_s": nightly_s,
        "floor_s": floor_s,
        "floor_events_s": floor_events_s,
        "event_rollups_s": rollups_s,
        "event_rollups_nightly_s": rollups_nightly_s,
        "unit_tests_s": unit_tests_s,
        "peak_rss_mb": max(max(run["full"]["peak_rss_mb"], run["nightly"]["peak_rss_mb"]) for run in runs),
        "peak_rss_full_mb": median([run["full"]["peak_rss_mb"] for run in runs]),
        "peak_rss_nightly_mb": median([run["nightly"]["peak_rss_mb"] for run in runs]),
        "size_mb": runs[0]["size_mb"],
        **ratios(
            {
                "full_build_s": full_s,
                "nightly_s": nightly_s,
                "floor_s": floor_s,
                "floor_events_s": floor_events_s,
                "event_rollups_s": rollups_s,
            }
        ),
        "nodes": len(full_nodes),
        "slowest_nodes": [
            {
                "name": name,
                "seconds": round(full_nodes[name], 3),
                "nightly_seconds": round(nightly_nodes.get(name, 0.0), 3),
            }
            for name in slowest
        ],
        "slowest_nightly_nodes": [
            {"name": name, "seconds": round(nightly_nodes[name], 3)}
            for name in sorted(nightly_nodes, key=nightly_nodes.get, reverse=True)[:15]
        ],
        "running_at_peak": _running_at_peak(runs),
        "all_runs": [
            {
                "full_s": run["full"]["wall_s"],
                "nightly_s": run["nightly"]["wall_s"],
                "floor_s": run["floor_s"],
                "peak_rss_full_mb": run["full"]["peak_rss_mb"],
                "peak_rss_nightly_mb": run["nightly"]["peak_rss_mb"],
            }
            for run in runs
        ],
    }


def _running_at_peak(runs: list[dict]) -> dict[str, object]:
    """Of every build measured, the one with the highest sampled resident set:
    which build, the sample (MB) and the nodes running then."""
    builds = [(run[kind].get("sampled_peak_mb", 0.0), kind, run[kind]) for run in runs for kind in ("full", "nightly")]
    peak_mb, kind, build = max(builds, key=lambda item: item[0])
    return {"build": kind, "sampled_mb": round(peak_mb), "nodes": build.get("running_at_peak", [])}


# issue 16's ratios, each measured within one run: (key, what, limit)
TARGETS = (
    ("nightly_over_full", "nightly run / full build", 0.10),
    ("full_over_floor", "full build / floor of every raw column", 50.0),
    ("rollups_over_events_floor", "event rollups / floor of their columns", 4.0),
    ("peak_rss_gb", "peak RSS of dbt (GB)", 6.0),
    ("time_growth_over_event_growth", "full build growth / event growth from the smaller scale", 1.1),
)


def targets(result: dict[str, object], smaller: dict[str, object] | None = None) -> list[dict[str, object]]:
    """Each ratio of TARGETS with its value and whether it is met (value <= limit).

    The growth ratio compares ``result`` with ``smaller``, a smaller scale of
    the same run: (full build time ratio) / (event count ratio); 1.0 is
    linear. Without ``smaller`` it is left out.
    """
    values = {**ratios(result), "peak_rss_gb": result["peak_rss_mb"] / 1024}
    if smaller is not None:
        values["time_growth_over_event_growth"] = (result["full_build_s"] / smaller["full_build_s"]) / (
            result["events"] / smaller["events"]
        )
    return [
        {"ratio": key, "what": what, "value": round(values[key], 4), "limit": limit, "met": values[key] <= limit}
        for key, what, limit in TARGETS
        if key in values
    ]


def targets_markdown(rows: list[dict[str, object]], against: str | None) -> list[str]:
    """The targets as a Markdown table (``against``: the smaller scale's name)."""
    lines = ["", "| target (issue 16) | value | limit | met |", "|---|---:|---:|---|"]
    for row in rows:
        what = row["what"] + (f" ({against})" if row["ratio"] == "time_growth_over_event_growth" and against else "")
        lines.append(f"| {what} | {row['value']:.3g} | {row['limit']:g} | {'yes' if row['met'] else '**no**'} |")
    return lines


def markdown(result: dict[str, object]) -> str:
    """The report as a Markdown section."""
    r = result
    engine = r.get("engine", "duckdb")
    lines = [
        f"## {r['scale']}{'' if engine == 'duckdb' else ' on ' + ENGINE_LABELS[engine]}:"
        f" {r['accounts']:,} accounts, {r['events']:,} raw events"
        f" ({r['date']}, {'medians of ' + str(r['runs']) if r['runs'] > 1 else 'one run'})",
        "",
        "| measure | seconds | ratio |",
        "|---|---:|---:|",
        f"| generation | {r['generate_s']:.1f} | |",
        f"| full `dbt build` ({r['nodes']} nodes) | {r['full_build_s']:.1f} | {r['full_over_floor']:.0f} x floor |",
        f"| nightly `dbt build` (one day appended) | {r['nightly_s']:.1f} | {r['nightly_over_full']:.1%} of full |",
        f"| floor: every raw column hashed once | {r['floor_s']:.2f} | |",
        f"| event rollups (full build, summed) | {r['event_rollups_s']:.1f} |"
        f" {r['rollups_over_events_floor']:.1f} x their columns' floor ({r['floor_events_s']:.2f} s) |",
        f"| event rollups (nightly, summed) | {r['event_rollups_nightly_s']:.1f} | |",
        f"| unit tests in the full build (summed node time) | {r['unit_tests_s']:.1f} | |",
        "",
        f"Peak RSS of the dbt process: {r['peak_rss_mb']:,.0f} MB (full {r['peak_rss_full_mb']:,.0f},"
        f" nightly {r['peak_rss_nightly_mb']:,.0f}); {_settings_text(r['machine'])},"
        f" dbt threads {r['machine']['dbt_threads']}, {r['machine']['cpus']} CPUs; file {r['size_mb']:,.0f} MB.",
        *_peak_line(r.get("running_at_peak")),
        *_engine_lines(r),
        "",
        "| slowest nodes (full build) | full s | nightly s |",
        "|---|---:|---:|",
    ]
    if r.get("targets"):
        # right below the measures table
        after_measures = lines.index("", 2)
        lines[after_measures:after_measures] = targets_markdown(r["targets"], r.get("targets_against"))
    lines += [f"| `{n['name']}` | {n['seconds']:.1f} | {n['nightly_seconds']:.1f} |" for n in r["slowest_nodes"]]
    lines += ["", "| slowest nodes (nightly) | s |", "|---|---:|"]
    lines += [f"| `{n['name']}` | {n['seconds']:.1f} |" for n in r["slowest_nightly_nodes"]]
    return "\n".join(lines) + "\n"


ENGINE_LABELS = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "spark": "Spark"}


def _settings_text(machine: dict[str, object]) -> str:
    if "postgres" in machine:
        return "PostgreSQL " + ", ".join(f"{name} {value}" for name, value in machine["postgres"].items())
    if "spark.master" in machine:
        return f"Spark {machine['spark.master']}, driver memory {machine['spark.driver.memory']}"
    return f"DuckDB memory_limit {machine['memory_limit']}"


def _engine_lines(r: dict[str, object]) -> list[str]:
    """Another engine's report: what the peak covers, loading, the check against DuckDB, the ratios."""
    if r.get("engine", "duckdb") == "duckdb":
        return []
    lines = [
        "",
        f"Raw tables copied in from the DuckDB company (before the full build and again before the nightly"
        f" run, not in the seconds above): {r['load_s']:.0f} s. The floor is DuckDB's, over the same raw data."
        " The peak covers dbt's process tree (a Spark JVM included) and, for PostgreSQL, the server's processes.",
    ]
    verified = r.get("marts_verified")
    if verified:
        differing = ", ".join(f"`{name}`" for name in verified["differing"]) or "none"
        lines.append(
            f"After the nightly run, {verified['equal']} of {verified['marts']} marts equal the DuckDB build's"
            f" row by row (differing: {differing})."
        )
    against = r.get("against_duckdb")
    if against:
        lines.append(
            f"Against DuckDB in the same run: full build {against['full_build']:.1f} x,"
            f" nightly run {against['nightly']:.1f} x."
        )
    return lines


def _peak_line(peak: dict[str, object] | None) -> list[str]:
    if not peak or not peak.get("nodes"):
        return []
    names = ", ".join(f"`{name}`" for name in peak["nodes"])
    return [f"Highest sample ({peak['sampled_mb']:,} MB, {peak['build']} build) while running: {names}."]


def compare(left: Path, right: Path, schemas: list[str]) -> int:
    """EXCEPT ALL both ways for every table of `schemas`; prints one line a table; 1 if any differs."""
    con = duckdb.connect()
    con.execute(f"attach '{left}' as a (read_only)")
    con.execute(f"attach '{right}' as b (read_only)")
    differing = 0
    for schema in schemas:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'a' and schema_name = ? order by 1",
                [schema],
            ).fetchall()
        ]
        for table in tables:
            a, b = f"a.{schema}.{table}", f"b.{schema}.{table}"
            rows, _, only_a, only_b = relation_differences(con, a, b)
            differing += bool(only_a or only_b)
            flag = "" if only_a == only_b == 0 else "   DIFFERENT"
            print(f"{schema}.{table}: {rows:,} rows, only in A {only_a}, only in B {only_b}{flag}")
    print(f"{differing} table(s) differ")
    return 1 if differing else 0


def verify(engine: str, reference: Path, manifest: Path) -> int:
    """Every mart of the engine's build (connection from the environment Engine.env
    sets) against the DuckDB warehouse ``reference``; prints a JSON summary last."""
    from csra.engines.compare import compare_marts, duckdb_columns, duckdb_fetcher, marts_from_manifest

    marts = marts_from_manifest(manifest, duckdb_columns(reference))
    left = duckdb_fetcher(reference)
    spark = None
    if engine == "postgres":
        from csra.engines.compare import postgres_fetcher
        from csra.engines.postgres import connect_from_env

        right = postgres_fetcher(connect_from_env)
    else:
        from csra.engines.compare import spark_fetcher
        from csra.engines.spark import get_spark

        spark = get_spark(catalog="hive")
        right = spark_fetcher(spark)
    differing = []
    try:
        for diff in compare_marts(marts, left, right):
            print(f"{diff.mart}: {diff.left_rows:,} rows on DuckDB, {diff.right_rows:,} on {engine}"
                  + ("" if diff.equal else "   DIFFERENT: " + "; ".join(diff.differences[:3])))  # fmt: skip
            if not diff.equal:
                differing.append(diff.mart)
    finally:
        if spark is not None:
            spark.stop()
    print(json.dumps({"marts": len(marts), "equal": len(marts) - len(differing), "differing": differing}))
    return 1 if differing else 0


def engines_markdown(results: list[dict[str, object]]) -> str:
    """One scale on each engine: seconds and the ratios to DuckDB's, measured in one run."""
    duckdb_result = next(r for r in results if r["engine"] == "duckdb")
    first = results[0]
    lines = [
        f"## {first['scale']} on each engine: {first['accounts']:,} accounts, {first['events']:,} raw events"
        f" ({first['date']}, {'medians of ' + str(first['runs']) if first['runs'] > 1 else 'one run'} each)",
        "",
        "| engine | full build s | x DuckDB | nightly s | x DuckDB | nightly / full | peak GB | marts as DuckDB's |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verified = r.get("marts_verified")
        equal = "(reference)" if r["engine"] == "duckdb" else (
            f"{verified['equal']} of {verified['marts']}" if verified else "not checked"
        )  # fmt: skip
        lines.append(
            f"| {ENGINE_LABELS[r['engine']]} | {r['full_build_s']:.1f}"
            f" | {r['full_build_s'] / duckdb_result['full_build_s']:.1f}"
            f" | {r['nightly_s']:.1f} | {r['nightly_s'] / duckdb_result['nightly_s']:.1f}"
            f" | {r['nightly_over_full']:.0%} | {r['peak_rss_mb'] / 1024:.1f} | {equal} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["verify"]:
        parser = argparse.ArgumentParser(prog="python -m csra.benchmark verify")
        parser.add_argument("--engine", choices=("postgres", "spark"), required=True)
        parser.add_argument("--reference", type=Path, required=True, help="the DuckDB warehouse to compare with")
        parser.add_argument("--manifest", type=Path, required=True, help="manifest.json naming the marts")
        args = parser.parse_args(argv[1:])
        return verify(args.engine, args.reference, args.manifest)
    if argv[:1] == ["compare"]:
        parser = argparse.ArgumentParser(prog="python -m csra.benchmark compare")
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path)
        parser.add_argument("--schemas", nargs="+", default=["marts"])
        args = parser.parse_args(argv[1:])
        return compare(args.left, args.right, args.schemas)

    parser = argparse.ArgumentParser(
        prog="python -m csra.benchmark", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", nargs="+", choices=sorted(SCALES), default=["S"], help="scales to measure")
    parser.add_argument("--accounts", type=int, nargs="+", help="sizes instead of named scales")
    parser.add_argument("--runs", type=int, default=3, help="runs per scale; medians reported (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/csra-bench"), help="companies and dbt targets")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks", help="where the reports go")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 5GB (sets DBT_DUCKDB_MEMORY_LIMIT)")
    parser.add_argument("--as-of-date", default="2026-11-30", help="as_of_date var (default: %(default)s)")
    parser.add_argument("--start-month", default="2023-12", help="first generated month (default: %(default)s)")
    parser.add_argument("--months", type=int, default=36, help="generated months (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default: %(default)s)")
    parser.add_argument(
        "--engine", nargs="+", choices=ENGINES, default=["duckdb"],
        help="targets to build on (default: %(default)s); with more than one, each scale runs on DuckDB first, "
        "every other engine's marts are compared with DuckDB's row by row, reports are named "
        "<date>-<scale>-<engine> and <date>-<scale>-engines.md puts them side by side",
    )  # fmt: skip
    args = parser.parse_args(argv)
    engines = sorted(set(args.engine), key=ENGINES.index)
    if len(engines) > 1 and engines[0] != "duckdb":
        engines.insert(0, "duckdb")  # the reference the others are compared with
    if args.memory_limit:
        os.environ["DBT_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [(f"{n}", n) for n in args.accounts] if args.accounts else [(s, SCALES[s]) for s in args.scale]
    sizes.sort(key=lambda size: size[1])
    smaller: dict[str, object] | None = None
    started = dt.datetime.now(dt.UTC).date()  # one date names every report of the run, past midnight too
    for scale, accounts in sizes:
        _progress(f"{scale}: {accounts:,} accounts")
        source, generate_s = company(args.workdir, accounts, args.seed, args.start_month, args.months)
        results: list[dict[str, object]] = []
        for engine_name in engines:
            reference = args.workdir / f"run_{accounts}.duckdb" if results and engine_name != "duckdb" else None
            runs = [
                one_run(source, args.workdir, accounts, args.as_of_date, run, engine_name, reference)
                for run in range(1, args.runs + 1)
            ]
            result = summarise(scale, accounts, generate_s, runs, Engine(engine_name, args.workdir, accounts), started)
            if engine_name == "duckdb":
                # issue 16's targets are the default engine's
                result["targets"] = targets(result, smaller)
                result["targets_against"] = smaller["scale"] if smaller else None
                smaller = result
            else:
                result["against_duckdb"] = {
                    "full_build": result["full_build_s"] / results[0]["full_build_s"],
                    "nightly": result["nightly_s"] / results[0]["nightly_s"],
                } if results else None  # fmt: skip
            results.append(result)
            suffix = "" if engines == ["duckdb"] else f"-{engine_name}"
            stem = args.out / f"{result['date']}-{scale}{suffix}"
            stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
            stem.with_suffix(".md").write_text(markdown(result))
            print(markdown(result), flush=True)
        if len(results) > 1:
            side_by_side = engines_markdown(results)
            (args.out / f"{results[0]['date']}-{scale}-engines.md").write_text(side_by_side)
            print(side_by_side, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
