"""The nightly entry point (csra.nightly) on a small generated company: exit codes and faults.

One "production" warehouse (200 accounts, Nov 2024 - Oct 2026, loads made
fresh) is built once by a nightly run with a known e-mail hash key; each
test works on a copy of that file, so yesterday's marts are the production
ones and every comparison is against them (EXCEPT both ways, row counts).

Exit codes produced here: 0 (fresh data), 1 (a failing data test),
3 (a stale source), 4 (could not run: the DuckDB file held by another
process, another nightly run holding the lock, no key, a raw column
missing or of the wrong type).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fixtures.environment import environment

from csra import nightly
from csra.dbt_invoke import PROJECT_DIR, run_dbt
from csra.marts_diff import relation_differences

ACCOUNTS = 200
AS_OF_DATE = "2026-10-31"
KNOWN_KEY = "nightly-test-key-4f0c9e2b7a61d3"
MARTS_SQL = "select table_name from information_schema.tables where table_schema = 'marts' order by 1"


def _make_loads_fresh(path: Path, hours_old: float) -> None:
    """Shift every load stamp so the newest one is `hours_old` hours before now."""
    con = duckdb.connect(str(path))
    try:
        for table, column in (("raw_product.events", "loaded_at"), ("raw_crm.accounts", "updated_at")):
            con.execute(
                f"update {table} set {column} = {column} + ("
                f"  (cast(now() as timestamp) - interval ({hours_old} * 60) minute)"
                f"  - (select max({column}) from {table}))"
            )
    finally:
        con.close()


def _nightly(database: Path, artifacts: Path, *extra: str, key: str | None = KNOWN_KEY) -> int:
    """Run csra.nightly.main in-process (dbt runs in child processes)."""
    with environment({"DBT_DUCKDB_PATH": str(database), "CSRA_EMAIL_SALT": key}):
        return nightly.main(["--artifacts-dir", str(artifacts), "--as-of-date", AS_OF_DATE, *extra])


def _run_dirs(artifacts: Path) -> list[Path]:
    """Per-run folders <artifacts>/<YYYY-MM-DD>/<HHMMSS>Z, oldest first."""
    return sorted(
        path for day in artifacts.iterdir() if day.name[:2] == "20" for path in day.iterdir() if path.is_dir()
    )


def _last_summary(artifacts: Path) -> str:
    return (_run_dirs(artifacts)[-1] / "summary.txt").read_text(encoding="utf-8")


# Incremental bookkeeping: the watermark an incremental model stamps on the
# rows it (re)computes. A row built in an earlier run keeps that run's
# watermark, so it differs from a full refresh's by design (the model's yml);
# every other column must equal a full refresh's.
WATERMARK_COLUMNS = {
    ("intermediate", "int_account_weeks_users_counted"): ("user_days_loaded_through",),
    ("intermediate", "int_account_months_users_counted"): ("user_days_loaded_through",),
}


def _mart_differences(
    left: Path, right: Path, schema: str = "marts", *, except_watermarks: bool = False
) -> dict[str, tuple[int, int, int, int]]:
    """Per table of `schema`: (left rows, right rows, left-only, right-only) where they differ.

    Rows are compared on every column (but the WATERMARK_COLUMNS with
    `except_watermarks`: an incremental run against a full refresh).
    """
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as left_db (read_only)")
        con.execute(f"attach '{right}' as right_db (read_only)")
        tables = [
            row[0]
            for row in con.execute(
                # tables only: a view names its own catalog, unknown under an alias
                "select table_name from information_schema.tables where table_catalog = 'left_db' "
                "and table_schema = ? and table_type = 'BASE TABLE' order by 1",
                [schema],
            ).fetchall()
        ]
        assert tables, f"no tables in {schema} of {left}"
        differences = {}
        for table in tables:
            a, b = f"left_db.{schema}.{table}", f"right_db.{schema}.{table}"
            skipped = WATERMARK_COLUMNS.get((schema, table)) if except_watermarks else None
            columns = f"* exclude ({', '.join(skipped)})" if skipped else "*"
            counts = relation_differences(con, a, b, columns)
            if counts[2] or counts[3] or counts[0] != counts[1]:
                differences[table] = counts
        return differences
    finally:
        con.close()


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """(warehouse, artifacts dir, exit code) of one nightly run on fresh data."""
    from csra.generate import generate

    folder = tmp_path_factory.mktemp("nightly_production")
    path = folder / "warehouse.duckdb"
    generate(str(path), accounts=ACCOUNTS, seed=1313, start_month="2024-11", months=24, progress=False)
    _make_loads_fresh(path, hours_old=2)
    artifacts = folder / "artifacts"
    code = _nightly(path, artifacts)
    return path, artifacts, code


@pytest.fixture
def copy_of_production(production, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A copy of the production warehouse (same file name) and a fresh artifacts dir."""
    source, _, code = production
    assert code == nightly.EXIT_OK
    folder = tmp_path / "copy"
    folder.mkdir()
    path = folder / source.name
    shutil.copy2(source, path)
    yield path, tmp_path / "artifacts"


# ------------------------------------------------------------------ exit 0


def test_fresh_data_exits_0_with_artifacts_summary_and_stored_failures(production) -> None:
    path, artifacts, code = production
    assert code == nightly.EXIT_OK
    run_dir = _run_dirs(artifacts)[-1]
    for name in ("run_results.json", "manifest.json", "sources.json", "dbt.log", "summary.txt"):
        assert (run_dir / name).exists(), name
    assert (run_dir / "exit_code").read_text().strip() == "0"
    assert (artifacts / "latest" / "manifest.json").exists()
    freshness = json.loads((run_dir / "sources.json").read_text())
    assert {result["status"] for result in freshness["results"]} == {"pass"}
    results = json.loads((run_dir / "run_results.json").read_text())["results"]
    ran = {result["unique_id"] for result in results}
    # the incremental rollups ran as part of the build
    assert "model.cs_revenue_analytics.int_product_user_days_rolled_up" in ran
    summary = (run_dir / "summary.txt").read_text()
    assert "Headline numbers" in summary and "exit 0: OK" in summary
    # the first nightly run on a warehouse compares every event_id
    assert "Redelivery test: only" not in summary
    con = duckdb.connect(str(path), read_only=True)
    try:
        stored = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'audit'"
        ).fetchone()[0]
    finally:
        con.close()
    # one stored-failures table per data test, in the audit schema
    assert stored == sum(1 for uid in ran if uid.startswith("test.") and ".unit_test." not in uid) > 400


def test_event_key_tests_narrow_only_after_an_ok_nightly_run(tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts"
    # no run ended OK yet: every key
    assert not nightly.tests_recent_loads_only(artifacts, full_refresh=False, slim=False)
    (artifacts / "latest").mkdir(parents=True)
    (artifacts / "latest" / "run_results.json").write_text("{}")
    assert nightly.tests_recent_loads_only(artifacts, full_refresh=False, slim=False)
    # the weekly --full-refresh run and slim CI: every key
    assert not nightly.tests_recent_loads_only(artifacts, full_refresh=True, slim=False)
    assert not nightly.tests_recent_loads_only(artifacts, full_refresh=False, slim=True)


# ------------------------------------------------------------------ exit 3


def test_stale_source_exits_3_and_leaves_the_marts_alone(copy_of_production) -> None:
    path, artifacts = copy_of_production
    before = path.parent / "before.duckdb"
    shutil.copy2(path, before)
    # the loader stopped four days ago: error_after is 72 hours
    _make_loads_fresh(path, hours_old=96)
    assert _nightly(path, artifacts) == nightly.EXIT_STALE_SOURCES
    summary = _last_summary(artifacts)
    assert "stale" in summary and "product.events (96 h old)" in summary
    assert not (_run_dirs(artifacts)[-1] / "run_results.json").exists()
    assert _mart_differences(path, before) == {}


# ------------------------------------------------------------------ exit 4


def test_duckdb_file_held_by_another_process_exits_4_without_traceback(copy_of_production, capsys) -> None:
    path, artifacts = copy_of_production
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); "
         "time.sleep(120)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert _nightly(path, artifacts) == nightly.EXIT_COULD_NOT_RUN
    finally:
        holder.kill()
        holder.wait()
    out = capsys.readouterr().out
    assert f"warehouse file {path} is open in another process (PID {holder.pid})" in out
    assert "Traceback" not in out


def test_second_nightly_run_on_the_same_warehouse_exits_4(copy_of_production, capsys) -> None:
    path, artifacts = copy_of_production
    with nightly.warehouse_lock(Path(f"{path}.nightly.lock")):
        assert _nightly(path, artifacts) == nightly.EXIT_COULD_NOT_RUN
    assert "another nightly run holds" in capsys.readouterr().out
    assert not (_run_dirs(artifacts)[-1] / "run_results.json").exists()


def test_missing_key_exits_4_unless_sample(copy_of_production, capsys) -> None:
    path, artifacts = copy_of_production
    assert _nightly(path, artifacts, key=None) == nightly.EXIT_COULD_NOT_RUN
    assert "CSRA_EMAIL_SALT is not set" in capsys.readouterr().out
    assert "run_results.json" not in {p.name for p in _run_dirs(artifacts)[-1].iterdir()}


def test_missing_column_and_wrong_type_stop_before_any_mart_is_replaced(copy_of_production, capsys) -> None:
    path, artifacts = copy_of_production
    before = path.parent / "before.duckdb"
    shutil.copy2(path, before)
    con = duckdb.connect(str(path))
    try:
        con.execute("alter table raw_crm.cases drop column is_escalated")
        con.execute("alter table raw_billing.subscription_items alter column unit_amount type double")
    finally:
        con.close()
    assert _nightly(path, artifacts) == nightly.EXIT_COULD_NOT_RUN
    out = capsys.readouterr().out
    assert "raw_crm.cases.is_escalated: column missing (contract type boolean)" in out
    assert "raw_billing.subscription_items.unit_amount: unexpected type DOUBLE (contract type decimal(18,2))" in out
    # a plain `dbt build` is stopped by the same check (on-run-start hook);
    # in a child process, as a user runs it (and so it lets go of the file)
    plain = subprocess.run(
        [sys.executable, "-c", "import sys; from dbt.cli.main import cli; sys.exit(cli())", "build",
         "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(path.parent / "target"), "--log-path", str(path.parent / "logs"),
         "--vars", json.dumps({"as_of_date": AS_OF_DATE})],
        cwd=PROJECT_DIR, env={**os.environ, "DBT_DUCKDB_PATH": str(path)},
        capture_output=True, text=True, check=False,
    )
    assert plain.returncode != 0
    assert "raw_crm.cases.is_escalated: column missing" in plain.stdout
    assert "OK created" not in plain.stdout and "START sql" not in plain.stdout
    # yesterday's marts are still there, readable and unchanged
    assert _mart_differences(path, before) == {}
    assert _mart_differences(path, before, schema="intermediate") == {}


# ------------------------------------------------------------------ exit 1


@pytest.mark.slow
def test_failing_data_test_exits_1_and_names_the_rows(copy_of_production) -> None:
    path, artifacts = copy_of_production
    con = duckdb.connect(str(path))
    try:
        # a second row for an existing account: bad input
        con.execute(
            "insert into raw_crm.accounts select * replace ('Copy of ' || account_name as account_name) "
            "from raw_crm.accounts order by account_id limit 1"
        )
        account = con.execute("select min(account_id) from raw_crm.accounts").fetchone()[0]
    finally:
        con.close()
    assert _nightly(path, artifacts) == nightly.EXIT_TESTS_FAILED
    summary = _last_summary(artifacts)
    assert "FAIL crm_accounts__account_id__is_unique" in summary
    assert f"raw_crm.accounts account_id={account}" in summary
    con = duckdb.connect(str(path), read_only=True)
    try:
        stored = con.execute("select count(*) from audit.crm_accounts__account_id__is_unique").fetchone()[0]
    finally:
        con.close()
    assert stored >= 1


# ------------------------------------------------------------------ faults survived


@pytest.mark.slow
def test_same_night_twice_gives_identical_marts(production, copy_of_production) -> None:
    path, artifacts = copy_of_production
    assert _nightly(path, artifacts) == nightly.EXIT_OK
    assert _mart_differences(path, production[0]) == {}
    # the e-mail hash is stable across runs (staging views name their own
    # catalog, so each file is read on its own connection)
    hashes = []
    for database in (path, production[0]):
        con = duckdb.connect(str(database), read_only=True)
        try:
            hashes.append(dict(con.execute(
                "select response_id, contact_email_hash from staging.stg_survey__responses"
            ).fetchall()))
        finally:
            con.close()
    assert hashes[0] == hashes[1] and len(hashes[0]) > 100


def _append_new_day_of_events(path: Path) -> int:
    """The last day's events again as a new day (new ids, loaded now); returns their count."""
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "insert into raw_product.events "
            "select 'late_' || event_id, account_id, user_id, event_name, feature_key, "
            "occurred_at + interval 1 day, cast(now() as timestamp) - interval 30 minute "
            "from raw_product.events where cast(occurred_at as date) = "
            "(select max(cast(occurred_at as date)) from raw_product.events)"
        )
        return con.execute("select count(*) from raw_product.events where event_id like 'late_%'").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_during_incremental_models_then_rerun_equals_clean_full_build(copy_of_production) -> None:
    path, artifacts = copy_of_production
    assert _append_new_day_of_events(path) > 0
    clean = path.parent.parent / "clean" / path.name
    clean.parent.mkdir()
    shutil.copy2(path, clean)

    env = {**os.environ, "DBT_DUCKDB_PATH": str(path), "CSRA_EMAIL_SALT": KNOWN_KEY}
    killed = subprocess.Popen(
        [sys.executable, "-m", "csra.nightly", "--artifacts-dir", str(artifacts), "--as-of-date", AS_OF_DATE],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 300
    marker = "START sql incremental model intermediate.int_product_"
    seen = False
    while time.monotonic() < deadline and killed.poll() is None:
        logs = list(artifacts.glob("20*/*/dbt.log"))
        if logs and marker in logs[0].read_text(encoding="utf-8", errors="replace"):
            seen = True
            os.killpg(killed.pid, signal.SIGKILL)  # the nightly run and its dbt child
            break
        time.sleep(0.05)
    killed.wait()
    assert seen, "the run never reached the incremental models"
    assert killed.returncode == -signal.SIGKILL
    assert not (_run_dirs(artifacts)[-1] / "exit_code").exists()

    # the kernel frees the lock once the killed processes are gone (the dbt
    # child dies a moment after the nightly process): nothing to clean up
    released = False
    for _ in range(600):
        try:
            with nightly.warehouse_lock(Path(f"{path}.nightly.lock")):
                released = True
                break
        except nightly.CouldNotRun:
            time.sleep(0.1)
    assert released, "the lock outlived the killed run"
    # the next night: the rerun completes
    assert _nightly(path, artifacts) == nightly.EXIT_OK
    assert _nightly(clean, path.parent.parent / "clean_artifacts", "--full-refresh") == nightly.EXIT_OK
    assert _mart_differences(path, clean) == {}
    # the incremental rollups (and the other intermediate tables) too, and
    # the incremental de-duplicated events (the one staging table)
    assert _mart_differences(path, clean, schema="intermediate", except_watermarks=True) == {}
    assert _mart_differences(path, clean, schema="staging") == {}
    # the weekly active users' watermark is not ahead of what the rerun
    # processed (a watermark ahead would skip loads on the next night)
    con = duckdb.connect(str(path), read_only=True)
    try:
        watermark, newest_load = con.execute(
            "select (select max(user_days_loaded_through) from intermediate.int_account_weeks_users_counted), "
            "(select max(max_loaded_at) from intermediate.int_product_user_days_rolled_up)"
        ).fetchone()
    finally:
        con.close()
    assert watermark is not None and watermark <= newest_load


def test_events_loaded_before_the_lookback_window_fail_reconciliation_until_full_refresh(
    copy_of_production,
) -> None:
    """Rule (README, Nightly runs): an incremental run reprocesses only the
    (account, day) keys of events loaded after the newest processed loaded_at
    minus events_lookback_days. An event stamped earlier than that (a late
    commit older than the look-back) is not rolled up: the nightly's
    reconciliation test fails naming its account and day, and
    `csra nightly --full-refresh` takes it in.
    Since stg_product__events is incremental on the same rule, such an event
    is not staged either: the check must compare with the raw events. The
    same holds for an earlier copy of an event already staged (a redelivery
    committed late): a full refresh keeps that first loaded copy."""
    path, _ = copy_of_production
    con = duckdb.connect(str(path))
    try:
        account, day, watermark = con.execute(
            "select account_id, activity_date, "
            "(select max(max_loaded_at) from intermediate.int_product_user_days_rolled_up) "
            "from intermediate.int_product_user_days_rolled_up order by activity_date, account_id limit 1"
        ).fetchone()
        con.execute(
            "insert into raw_product.events values "
            "('too_late_1', ?, 'u_late', 'feature_used', null, cast(? as timestamp) + interval 1 hour, "
            "cast(? as timestamp) - interval 10 day)",
            [account, day, watermark],
        )
        # an earlier copy of a staged event, stamped a day before the kept one
        redelivered, redelivered_account, redelivered_day = con.execute(
            "select event_id, account_id, cast(occurred_at as date) from staging.stg_product__events "
            "where account_id != ? and loaded_at < cast(? as timestamp) - interval 10 day "
            "order by loaded_at desc, event_id limit 1",
            [account, watermark],
        ).fetchone()
        con.execute(
            "insert into raw_product.events select event_id, account_id, user_id, event_name, feature_key, "
            "occurred_at, loaded_at - interval 1 day from staging.stg_product__events where event_id = ?",
            [redelivered],
        )
    finally:
        con.close()
    selection = ["--select", "stg_product__events", "int_product_user_days_rolled_up",
                 "int_product_feature_days_rolled_up", "assert_product_rollups_reconcile_to_events"]
    target = path.parent / "target"
    incremental = run_dbt(["build", *selection], database=path, dbt_vars={"as_of_date": AS_OF_DATE},
                          target_path=target)
    assert incremental.statuses["assert_product_rollups_reconcile_to_events"] == "fail"
    from csra.failures import collect_test_problems

    problems = {problem.name: problem for problem in collect_test_problems(target, path)}
    messages = " ".join(problems["assert_product_rollups_reconcile_to_events"].messages)
    assert account in messages and str(day) in messages
    assert f"account {redelivered_account} on {redelivered_day}" in messages and redelivered in messages
    full = run_dbt(["build", *selection, "--full-refresh"], database=path, dbt_vars={"as_of_date": AS_OF_DATE},
                   target_path=target)
    assert full.statuses["assert_product_rollups_reconcile_to_events"] == "pass"


def test_rollups_that_differ_from_staging_fail_reconciliation_naming_each_key(copy_of_production) -> None:
    """Step 2 of the reconciliation compares per date first (counts and a
    checksum of the accounts) and names keys only on the dates that differ.
    Hand-made damage the per-date counts cannot see: one event moved from
    account A's row to account B's row of the same day (the day's totals are
    unchanged), plus a rollup row with no date at all (an orphan). Each key
    must be named with the staged and the rolled-up counts."""
    path, _ = copy_of_production
    rollup = "intermediate.int_product_user_days_rolled_up"
    con = duckdb.connect(str(path))
    try:
        # the first day with two accounts, A holding a user row of at least two events
        day, account_a, user_a, account_b = con.execute(
            f"select a.activity_date, a.account_id, a.user_id, b.account_id from {rollup} as a "
            f"join {rollup} as b on a.activity_date = b.activity_date and a.account_id < b.account_id "
            "where a.event_count >= 2 and a.user_id is not null "
            "order by a.activity_date, a.account_id, a.user_id, b.account_id limit 1"
        ).fetchone()
        staged = {
            account: con.execute(
                "select count(*), count(feature_key) from staging.stg_product__events "
                "where account_id = ? and cast(occurred_at as date) = ?",
                [account, day],
            ).fetchone()
            for account in (account_a, account_b)
        }
        con.execute(
            f"update {rollup} set event_count = event_count - 1 "
            "where account_id = ? and user_id = ? and activity_date = ?",
            [account_a, user_a, day],
        )
        con.execute(
            f"update {rollup} set event_count = event_count + 1 where rowid = ("
            f"select min(rowid) from {rollup} where account_id = ? and activity_date = ?)",
            [account_b, day],
        )
        con.execute(
            f"insert into {rollup} by name select account_id, user_id, cast(null as date) as activity_date, "
            f"3 as event_count, max_loaded_at from {rollup} where account_id = ? and activity_date = ? "
            "and user_id = ?",
            [account_a, day, user_a],
        )
    finally:
        con.close()
    target = path.parent / "target"
    outcome = run_dbt(["test", "--select", "assert_product_rollups_reconcile_to_events"], database=path,
                      dbt_vars={"as_of_date": AS_OF_DATE}, target_path=target)
    assert outcome.statuses["assert_product_rollups_reconcile_to_events"] == "fail"
    from csra.failures import collect_test_problems

    problems = {problem.name: problem for problem in collect_test_problems(target, path)}
    messages = problems["assert_product_rollups_reconcile_to_events"].messages
    (events_a, features_a), (events_b, features_b) = staged[account_a], staged[account_b]
    expected = {
        f"account {account_a} on {day}: staged events (all / with feature) = {events_a} / {features_a} "
        f"but rolled up {events_a - 1} / {features_a}",
        f"account {account_b} on {day}: staged events (all / with feature) = {events_b} / {features_b} "
        f"but rolled up {events_b + 1} / {features_b}",
        f"account {account_a} on null: 3 events rolled up",
    }
    found = {prefix for prefix in expected if any(message.startswith(prefix) for message in messages)}
    assert found == expected, messages
    assert len(messages) == 3, messages


# ------------------------------------------------------------------ e-mail key


def test_email_key_never_in_artifacts_or_logs_and_hashes_with_it(production) -> None:
    path, artifacts, code = production
    assert code == nightly.EXIT_OK
    needle = KNOWN_KEY.encode()
    searched = 0
    for folder in (artifacts, PROJECT_DIR / "target", PROJECT_DIR / "logs"):
        for file in (p for p in folder.rglob("*") if p.is_file()) if folder.exists() else ():
            searched += 1
            assert needle not in file.read_bytes(), f"the e-mail key leaked into {file}"
    assert searched > 10
    # ... yet the hash is keyed with it: sha256(key || lower(trim(address)))
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select r.contact_email, s.contact_email_hash from raw_survey.responses as r "
            "join staging.stg_survey__responses as s using (response_id) where r.contact_email is not null limit 50"
        ).fetchall()
    finally:
        con.close()
    assert rows
    for email, hashed in rows:
        assert hashed == hashlib.sha256((KNOWN_KEY + email.strip().lower()).encode()).hexdigest()


def test_plain_dbt_build_without_key_table_hashes_nothing_and_warns(tmp_path: Path) -> None:
    """A warehouse nobody keyed still builds (a plain `dbt build`): no hash
    under a public default, contact_email_hash null, and a named warning."""
    from csra.raw_schema import load_raw_dataset

    path = tmp_path / "no_key.duckdb"
    load_raw_dataset(
        str(path),
        {"raw_survey.responses": [{"response_id": "r1", "account_id": None, "contact_email": "A@Example.com",
                                   "survey_type": "nps", "touchpoint": "qbr", "score": 9,
                                   "responded_at": "2025-01-02 00:00:00"}]},
    )
    con = duckdb.connect(str(path))
    try:
        con.execute("drop schema csra_private cascade")
    finally:
        con.close()
    outcome = run_dbt(
        ["build", "--select", "stg_survey__responses", "assert_email_hash_key_is_installed"],
        database=path,
        target_path=tmp_path / "t",
    )
    assert outcome.statuses.get("stg_survey__responses") == "success", outcome.statuses
    assert outcome.statuses.get("assert_email_hash_key_is_installed") == "warn", outcome.statuses
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select contact_email_hash from staging.stg_survey__responses").fetchall() == [(None,)]
    finally:
        con.close()


def test_raw_contract_macro_is_generated_from_raw_schema() -> None:
    from csra.raw_schema import DBT_CONTRACT_MACRO_PATH, dbt_contract_macro

    assert (PROJECT_DIR / DBT_CONTRACT_MACRO_PATH).read_text(encoding="utf-8") == dbt_contract_macro(), (
        f"{DBT_CONTRACT_MACRO_PATH} is stale: python -m csra.raw_schema > {DBT_CONTRACT_MACRO_PATH}"
    )


# ------------------------------------------------------------------ slim CI


def test_slim_ci_builds_only_the_modified_model_and_its_children(production, tmp_path: Path) -> None:
    source, artifacts, code = production
    assert code == nightly.EXIT_OK
    project = tmp_path / "project"
    shutil.copytree(
        PROJECT_DIR, project,
        ignore=shutil.ignore_patterns(".venv", "target", "logs", "nightly_runs", "*.duckdb*", ".git", "__pycache__",
                                      ".pytest_cache", ".ruff_cache", ".spark", "data",
                                      # integration_tests links the project into its own dbt_packages
                                      "dbt_packages"),
    )
    model = project / "models" / "marts" / "revenue" / "mart_churn.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- changed in this pull request\n", encoding="utf-8")
    ci = tmp_path / "ci" / source.name  # same file name: deferred refs resolve in the copy
    ci.parent.mkdir()
    shutil.copy2(source, ci)
    code = _nightly(ci, tmp_path / "ci_artifacts", "--slim", "--state", str(artifacts / "latest"),
                    "--project-dir", str(project))
    assert code == nightly.EXIT_OK
    results = json.loads((_run_dirs(tmp_path / "ci_artifacts")[-1] / "run_results.json").read_text())["results"]
    models = {r["unique_id"].split(".")[-1] for r in results if r["unique_id"].startswith("model.")}
    assert "mart_churn" in models
    assert "mart_revenue_retention" not in models and "stg_billing__customers" not in models
    assert models <= {"mart_churn", "mart_cs_scorecard"}, models
    assert any(r["unique_id"].startswith("test.") for r in results)


# ------------------------------------------------------------------ small cases


def test_bad_profile_target_exits_4(tmp_path: Path, capsys) -> None:
    from csra.raw_schema import load_raw_dataset

    path = tmp_path / "warehouse.duckdb"
    load_raw_dataset(str(path), {})
    assert _nightly(path, tmp_path / "artifacts", "--target", "no_such_target") == nightly.EXIT_COULD_NOT_RUN
    out = capsys.readouterr().out
    assert "no_such_target" in out and "preflight  failed" in out


def test_empty_source_table_is_not_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule: the contract allows empty tables (a company without product
    events); dbt reports an empty table's freshness as an error with
    max_loaded_at 0001-01-01, which the nightly run shows as empty, not stale."""
    from csra.raw_schema import load_raw_dataset

    path = tmp_path / "warehouse.duckdb"
    load_raw_dataset(str(path), {"raw_crm.accounts": [{"account_id": "a1", "updated_at": "2026-01-01 00:00:00"}]})
    _make_loads_fresh_accounts_only(path)
    run = nightly.NightlyRun(target="", project_dir=PROJECT_DIR, warehouse=path,
                             run_dir=tmp_path / "run", dbt_target_dir=tmp_path / "target")
    run.run_dir.mkdir()
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(path))
    assert nightly.step_freshness(run, None, {}) is None
    assert run.steps[-1].status == "ok" and "empty: product.events" in run.steps[-1].detail
    # and the accounts going stale is still caught
    con = duckdb.connect(str(path))
    try:
        con.execute("update raw_crm.accounts set updated_at = updated_at - interval 5 day")
    finally:
        con.close()
    assert nightly.step_freshness(run, None, {}) == nightly.EXIT_STALE_SOURCES
    # the thresholds are vars: 120 hours old is only a warning under a 200-hour limit
    assert nightly.step_freshness(run, None, {"source_freshness_error_after_hours": 200}) is None
    assert "warn: crm.accounts (121 h old)" in run.steps[-1].detail


def _make_loads_fresh_accounts_only(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("update raw_crm.accounts set updated_at = cast(now() as timestamp) - interval 1 hour")
    finally:
        con.close()


def test_email_key_cli_installs_the_key_and_refuses_none_or_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csra import email_key

    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    monkeypatch.delenv("CSRA_EMAIL_SALT", raising=False)
    assert email_key.main(["--database", str(path)]) == 4
    monkeypatch.setenv("CSRA_EMAIL_SALT", "too-short")
    assert email_key.main(["--database", str(path)]) == 4
    monkeypatch.setenv("CSRA_EMAIL_SALT", KNOWN_KEY)
    assert email_key.main(["--database", str(path)]) == 0
    assert email_key.main(["--database", str(path)]) == 0  # rerun replaces, still one row
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select key_value from csra_private.email_hash_key").fetchall() == [(KNOWN_KEY,)]
    finally:
        con.close()
