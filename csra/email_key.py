"""The secret key of the survey e-mail hash, kept out of every dbt artifact.

`stg_survey__responses` replaces each contact e-mail by
``sha256(key || lower(trim(address)))`` (macro ``keyed_email_hash``). The key
is never rendered into SQL: the model reads it at query time from a one-row
table, ``csra_private.email_hash_key``, with a scalar subquery. So
``target/compiled``, ``target/run``, ``logs/dbt.log``, ``manifest.json``,
``partial_parse.msgpack`` and the warehouse's query history only ever show the
table's name. The table is written here, outside dbt, with the key bound as a
query parameter (never spliced into SQL text).

Where the key comes from:
- production: the ``CSRA_EMAIL_SALT`` environment variable, installed by
  ``python -m csra.nightly`` before every run, or once by
  ``python -m csra.email_key --database FILE``;
- the synthetic sample company only: :data:`SAMPLE_KEY`, which is public and
  therefore protects nothing (the generator and the test fixtures install
  it; ``csra nightly`` uses it only when told ``--sample``).

There is no default: without the table every dbt run stops at its start with
a message naming it (macro ``assert_raw_contract``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import duckdb

KEY_ENV_VAR = "CSRA_EMAIL_SALT"
KEY_SCHEMA = "csra_private"
KEY_TABLE = "email_hash_key"
KEY_COLUMN = "key_value"
# Public on purpose: the generated sample company has no real addresses.
SAMPLE_KEY = "csra-sample-company-public-key"
MIN_KEY_LENGTH = 16


class MissingKeyError(RuntimeError):
    """No usable e-mail hash key was given."""


def key_from_environment(*, sample: bool = False) -> str:
    """The key from CSRA_EMAIL_SALT; the public sample key only when ``sample``.

    Raises MissingKeyError when the variable is unset (or too short to be a
    secret) and this is not the sample company.
    """
    key = os.environ.get(KEY_ENV_VAR, "")
    if key:
        if len(key) < MIN_KEY_LENGTH:
            raise MissingKeyError(
                f"{KEY_ENV_VAR} is {len(key)} characters long; use a random secret of at least "
                f"{MIN_KEY_LENGTH} (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return key
    if sample:
        return SAMPLE_KEY
    raise MissingKeyError(
        f"{KEY_ENV_VAR} is not set: it is the secret key of the survey e-mail hash and has no "
        "default. Set it (the same value every night, kept in your secret store), or pass "
        "--sample for the generated sample company."
    )


def install_key(con: duckdb.DuckDBPyConnection, key: str) -> None:
    """(Re)write the one-row key table of a DuckDB warehouse; the key is a bound parameter."""
    if not key:
        raise MissingKeyError("the e-mail hash key is empty")
    con.execute(f"create schema if not exists {KEY_SCHEMA}")
    con.execute(f"create or replace table {KEY_SCHEMA}.{KEY_TABLE} ({KEY_COLUMN} varchar not null)")
    con.execute(f"insert into {KEY_SCHEMA}.{KEY_TABLE} values (?)", [key])


def has_key(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse already holds a key table."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [KEY_SCHEMA, KEY_TABLE],
    ).fetchone()
    return bool(found and found[0])


def installed_key_rows(con: duckdb.DuckDBPyConnection) -> list[tuple] | None:
    """The key table's rows (for the engine loaders to copy), None without a key table."""
    if not has_key(con):
        return None
    return con.execute(f"select {KEY_COLUMN} from {KEY_SCHEMA}.{KEY_TABLE}").fetchall()


def install_sample_key_if_missing(con: duckdb.DuckDBPyConnection) -> None:
    """Synthetic data only (generator, test fixtures): the public key, unless a key is installed."""
    if not has_key(con):
        install_key(con, SAMPLE_KEY)


def install_key_file(database: str | os.PathLike[str], key: str) -> None:
    """Open a DuckDB file, install the key and close it."""
    con = duckdb.connect(str(database))
    try:
        install_key(con, key)
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: install CSRA_EMAIL_SALT (or, with --sample, the public sample key) into a DuckDB file."""
    parser = argparse.ArgumentParser(
        prog="python -m csra.email_key",
        description=(
            f"Write the e-mail hash key from ${KEY_ENV_VAR} into {KEY_SCHEMA}.{KEY_TABLE} of a DuckDB "
            "warehouse, so a plain `dbt build` can hash survey addresses without the key "
            "ever appearing in compiled SQL or logs."
        ),
    )
    parser.add_argument("--database", default=os.environ.get("DBT_DUCKDB_PATH", "warehouse.duckdb"))
    parser.add_argument("--sample", action="store_true", help="the generated sample company: public key allowed")
    args = parser.parse_args(argv)
    try:
        install_key_file(args.database, key_from_environment(sample=args.sample))
    except MissingKeyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 4
    print(f"installed the e-mail hash key into {KEY_SCHEMA}.{KEY_TABLE} of {args.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
