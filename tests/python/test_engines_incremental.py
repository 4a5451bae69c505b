"""Late and duplicate events: an incremental run of the event rollups equals a full refresh.

On PostgreSQL the rollups use delete+insert on (account_id, activity_date);
on Spark (Parquet, no MERGE) insert_overwrite of activity_date partitions
(macros/incremental/event_rollup_incremental_config.sql). After the engines' builds,
three deliveries land in raw_product.events: a late event of an old date
for a new user, a redelivery of an old event (same event_id, later
loaded_at: must not count twice) and an event of a new date. The rollups
are run incrementally, then rebuilt with --full-refresh: both must give the
same rows, and the late event must show up. Skipped while the rollups are
not in the project (they come with the usage area).
"""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest
from engines_fixtures import ENGINES_VARS, EngineBuild

from csra.dbt_invoke import run_dbt
from csra.engines.postgres import PostgresServer

pytestmark = pytest.mark.engines

ROLLUPS = ("int_product_user_days_rolled_up", "int_product_feature_days_rolled_up")
# incremental on the user-days (a table on Spark); compared without its
# watermark column, which records when each month was computed
MONTHLY = "int_account_months_users_counted"
MONTHLY_COLUMNS = (
    "account_id, month_start, monthly_active_users, active_user_days, active_users_30d, events, "
    "session_starts, session_starts_with_user, are_users_unknown, reporting_months_from"
)
EVENT_COLUMNS = ("event_id", "account_id", "user_id", "event_name", "feature_key", "occurred_at", "loaded_at")


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, dt.datetime):
        return f"cast('{value.isoformat(sep=' ')}' as timestamp)"
    return "'" + str(value).replace("'", "''") + "'"


def _late_deliveries(old: dict[str, object], newest_loaded: dt.datetime) -> list[dict[str, object]]:
    loaded = newest_loaded + dt.timedelta(days=2)
    return [
        {**old, "event_id": "late_event_old_date", "user_id": f"{old['user_id']}_late", "loaded_at": loaded},
        {**old, "loaded_at": loaded},  # redelivery: same event_id
        {**old, "event_id": "late_event_new_date", "occurred_at": newest_loaded + dt.timedelta(days=1),
         "loaded_at": loaded},
    ]


def _insert_sql(rows: list[dict[str, object]]) -> str:
    values = ",\n".join("(" + ", ".join(_literal(row[col]) for col in EVENT_COLUMNS) + ")" for row in rows)
    return f"insert into raw_product.events ({', '.join(EVENT_COLUMNS)}) values\n{values}"


def _run_rollups(build: EngineBuild, *extra: str) -> None:
    # the de-duplicated events are a table: refreshed with the rollups
    outcome = run_dbt(["run", "--target", build.engine, "--select", "stg_product__events", *ROLLUPS, MONTHLY, *extra],
                      database=build.target_path / "unused.duckdb", dbt_vars=ENGINES_VARS,
                      target_path=build.target_path)
    assert outcome.success, outcome.messages


@pytest.mark.parametrize("engine", ["postgres", "spark"])
def test_incremental_rollups_equal_full_refresh(engine: str, request: pytest.FixtureRequest) -> None:
    build: EngineBuild = request.getfixturevalue(f"{engine}_build")
    if not {"int_product_user_days_rolled_up", "int_product_feature_days_rolled_up"} <= set(build.outcome.statuses):
        pytest.skip("the usage event rollups are not in this project yet")
    assert not build.relations_not_built()

    if engine == "postgres":
        server: PostgresServer = request.getfixturevalue("pg_server")

        def query(sql: str) -> list[tuple]:
            con = psycopg2.connect(**server.connect_kwargs())
            try:
                with con.cursor() as cur:
                    cur.execute(sql)
                    rows = cur.fetchall() if cur.description else []
                con.commit()
                return [tuple(row) for row in rows]
            finally:
                con.close()
    else:
        spark = request.getfixturevalue("spark_session")

        def query(sql: str) -> list[tuple]:
            return [tuple(row) for row in spark.sql(sql).collect()]  # type: ignore[attr-defined]

    newest_loaded = query("select max(loaded_at) from raw_product.events")[0][0]
    old_row = query(f"select {', '.join(EVENT_COLUMNS)} from raw_product.events "
                    "where account_id is not null and user_id is not null order by occurred_at, event_id limit 1")[0]
    old = dict(zip(EVENT_COLUMNS, old_row, strict=True))
    query(_insert_sql(_late_deliveries(old, newest_loaded)))

    def snapshot() -> dict[str, list[tuple]]:
        tables = {name: sorted(query(f"select * from intermediate.{name}"), key=repr) for name in ROLLUPS}
        tables[MONTHLY] = sorted(query(f"select {MONTHLY_COLUMNS} from intermediate.{MONTHLY}"), key=repr)
        return tables

    _run_rollups(build)
    incremental = snapshot()
    _run_rollups(build, "--full-refresh")
    full = snapshot()

    late_users = [row for row in full["int_product_user_days_rolled_up"] if f"{old['user_id']}_late" in row]
    assert late_users, "the late event of an old date is missing from the full refresh"
    for name in (*ROLLUPS, MONTHLY):
        only_incremental = set(incremental[name]) - set(full[name])
        only_full = set(full[name]) - set(incremental[name])
        assert (len(incremental[name]), only_incremental, only_full) == (len(full[name]), set(), set()), name
