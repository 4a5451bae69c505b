"""A throwaway local PostgreSQL server and the DuckDB -> PostgreSQL raw loader.

The server lives in a temporary folder (data directory, Unix socket, log),
listens on 127.0.0.1 on a free port, trusts local connections (it is bound
to the loopback interface and lives for one test session) and is removed
when stopped. `initdb` refuses to run as root, so when this process is root
the server is created and run as an unprivileged OS user (`nobody` by
default, CSRA_PG_OS_USER to change it); otherwise as the current user.

Connection settings follow libpq's environment variables (PGHOST, PGPORT,
PGUSER, PGPASSWORD, PGDATABASE), which profiles.yml's `postgres` target
reads too, so `psql`, the loader and dbt all reach the same server.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from csra.raw_schema import columns, create_table_sql, tables_to_copy

DEFAULT_SUPERUSER = "csra"
DEFAULT_DBNAME = "csra"
DEFAULT_BI_ROLE = "bi_reader"


def find_pg_bin() -> Path:
    """Folder with initdb/pg_ctl: $CSRA_PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    configured = os.environ.get("CSRA_PG_BIN")
    if configured:
        return Path(configured)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise FileNotFoundError(
        "PostgreSQL server binaries not found: install them "
        "(apt-get install -y postgresql) or set CSRA_PG_BIN"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """One local PostgreSQL cluster; `start()` creates and runs it, `stop()` removes it."""

    base_dir: Path | None = None
    port: int | None = None
    superuser: str = DEFAULT_SUPERUSER
    dbname: str = DEFAULT_DBNAME
    os_user: str = field(default_factory=lambda: os.environ.get("CSRA_PG_OS_USER", "nobody"))
    host: str = "127.0.0.1"
    # extra server settings (`-c name=value`), e.g. a benchmark's shared_buffers
    settings: Mapping[str, str] = field(default_factory=dict)
    _owns_base_dir: bool = False

    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None, "server not started"
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        assert self.base_dir is not None, "server not started"
        return self.base_dir / "postgres.log"

    def env(self) -> dict[str, str]:
        """libpq variables that reach this server as the superuser."""
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.superuser,
            "PGPASSWORD": "",
            "PGDATABASE": self.dbname,
        }

    def connect_kwargs(self, *, user: str | None = None, dbname: str | None = None) -> dict[str, object]:
        """psycopg2.connect keyword arguments for this server."""
        return {
            "host": self.host,
            "port": self.port,
            "user": user or self.superuser,
            "dbname": dbname or self.dbname,
        }

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, object] = {}
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.os_user)
            kwargs = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(self.base_dir)}
        result = subprocess.run(args, capture_output=True, text=True, env=env, check=False, **kwargs)
        if result.returncode != 0:
            log = self.log_file.read_text() if self.log_file.exists() else ""
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{log}"
            )
        return result

    def start(self) -> PostgresServer:
        """initdb, start on 127.0.0.1:<free port>, create the database."""
        bin_dir = find_pg_bin()
        if self.base_dir is None:
            self.base_dir = Path(tempfile.mkdtemp(prefix="csra-pg-"))
            self._owns_base_dir = True
        self.base_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.os_user)
            os.chown(self.base_dir, entry.pw_uid, entry.pw_gid)
        self.port = self.port or free_port()
        self._run(
            [
                str(bin_dir / "initdb"),
                "--pgdata", str(self.data_dir),
                "--username", self.superuser,
                "--auth", "trust",
                "--encoding", "UTF8",
                "--locale", "C",
                "--no-sync",
            ]
        )
        options = " ".join(
            [
                f"-h {self.host}",
                f"-p {self.port}",
                f"-k {self.base_dir}",
                # a throwaway test server: durability buys nothing here
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c timezone=UTC",
                *(f"-c {name}={value}" for name, value in self.settings.items()),
            ]
        )
        self._run(
            [
                str(bin_dir / "pg_ctl"),
                "--pgdata", str(self.data_dir),
                "--log", str(self.log_file),
                "--options", options,
                "--wait",
                "--timeout", "60",
                "start",
            ]
        )
        self._create_database()
        return self

    def _create_database(self) -> None:
        import psycopg2

        deadline = time.monotonic() + 30
        while True:
            try:
                con = psycopg2.connect(**self.connect_kwargs(dbname="postgres"))
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute("select 1 from pg_database where datname = %s", (self.dbname,))
                if cur.fetchone() is None:
                    cur.execute(f'create database "{self.dbname}"')
        finally:
            con.close()

    def create_role(self, role: str, *, login: bool = True) -> None:
        """Create ``role`` on this server if it is missing (the BI role the marts are granted to)."""
        import psycopg2

        con = psycopg2.connect(**self.connect_kwargs())
        try:
            ensure_role(con, role, login=login)
        finally:
            con.close()

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder if this object made it."""
        if self.base_dir is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run(
                [str(find_pg_bin() / "pg_ctl"), "--pgdata", str(self.data_dir), "--mode", "fast", "--wait", "stop"]
            )
        if self._owns_base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def running_server(**kwargs: object) -> Iterator[PostgresServer]:
    """Context manager: a started server, stopped and removed on exit."""
    server = PostgresServer(**kwargs)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        server.stop()


def connect_from_env(overrides: Mapping[str, object] | None = None):
    """psycopg2 connection from PG* variables (defaults match profiles.yml)."""
    import psycopg2

    kwargs: dict[str, object] = {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": int(os.environ.get("PGPORT", "5432")),
        "user": os.environ.get("PGUSER", DEFAULT_SUPERUSER),
        "dbname": os.environ.get("PGDATABASE", DEFAULT_DBNAME),
    }
    if os.environ.get("PGPASSWORD"):
        kwargs["password"] = os.environ["PGPASSWORD"]
    kwargs.update(overrides or {})
    return psycopg2.connect(**kwargs)


def ensure_role(con, role: str, *, login: bool = True) -> None:
    """Create a role if it is missing (e.g. the BI reader role that marts are granted to)."""
    with con.cursor() as cur:
        cur.execute("select 1 from pg_roles where rolname = %s", (role,))
        if cur.fetchone() is None:
            cur.execute(f'create role "{role}" {"login" if login else "nologin"}')
    con.commit()


def copy_email_hash_key_into_postgres(source, cur) -> None:
    """Copy csra_private.email_hash_key (csra.email_key) when the DuckDB file has one.

    COPY FROM STDIN: the key travels as data, never in a statement's text,
    so it stays out of the server's statement log and pg_stat_statements.
    """
    from csra.email_key import KEY_COLUMN, KEY_SCHEMA, KEY_TABLE, installed_key_rows

    rows = installed_key_rows(source)
    if rows is None:
        return
    cur.execute(f"create schema if not exists {KEY_SCHEMA}")
    cur.execute(f"drop table if exists {KEY_SCHEMA}.{KEY_TABLE} cascade")
    cur.execute(f"create table {KEY_SCHEMA}.{KEY_TABLE} ({KEY_COLUMN} varchar not null)")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cur.copy_expert(f"copy {KEY_SCHEMA}.{KEY_TABLE} ({KEY_COLUMN}) from stdin with (format csv)", buffer)


def load_raw_into_postgres(duckdb_path: str | os.PathLike[str], con) -> dict[str, int]:
    """Copy every raw table of a DuckDB file (raw_stripe too) into PostgreSQL with the contract types.

    Each table is dropped and re-created from csra.raw_schema (so types are the
    contract's, not whatever the DuckDB file holds), then filled with COPY
    FROM STDIN in CSV form: DuckDB writes NULL as an empty unquoted field and
    an empty string as "", which is exactly how PostgreSQL's CSV COPY reads
    them. Returns the row count per "schema.table".
    """
    import duckdb

    counts: dict[str, int] = {}
    source = duckdb.connect(str(duckdb_path), read_only=True)
    with tempfile.TemporaryDirectory(prefix="csra-pgload-") as tmp:
        try:
            with con.cursor() as cur:
                tables = tables_to_copy(source)
                for schema in dict.fromkeys(schema for schema, _ in tables):
                    cur.execute(f"create schema if not exists {schema}")
                for schema, table in tables:
                    names = [name for name, _ in columns(schema, table)]
                    cur.execute(f"drop table if exists {schema}.{table} cascade")
                    cur.execute(create_table_sql(schema, table, or_replace=False))
                    csv_path = Path(tmp) / f"{schema}.{table}.csv"
                    source.execute(
                        f"copy (select {', '.join(names)} from {schema}.{table}) "
                        f"to '{csv_path}' (format csv, header false)"
                    )
                    with csv_path.open("r", encoding="utf-8") as handle:
                        cur.copy_expert(
                            f"copy {schema}.{table} ({', '.join(names)}) from stdin with (format csv)",
                            handle,
                        )
                    cur.execute(f"select count(*) from {schema}.{table}")
                    counts[f"{schema}.{table}"] = int(cur.fetchone()[0])
                copy_email_hash_key_into_postgres(source, cur)
            con.commit()
        finally:
            source.close()
    return counts
