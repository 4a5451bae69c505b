"""Least privilege on PostgreSQL: the BI role reads the published marts and nothing upstream.

dbt `grants` (dbt_project.yml, marts) give the role select on every mart and
an on-run-end hook gives it usage on the marts schema only, so staging,
intermediate, seeds and raw tables must be refused to it.
"""

from __future__ import annotations

import json

import psycopg2
import psycopg2.errors
import pytest
from engines_fixtures import EngineBuild

from csra.engines.compare import mart_relations
from csra.engines.postgres import PostgresServer
from csra.raw_schema import all_tables

pytestmark = pytest.mark.engines


def _select_as(server: PostgresServer, role: str, relation: str) -> str:
    """'ok' when `role` may read `relation`, else the error class name."""
    con = psycopg2.connect(**server.connect_kwargs(user=role))
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(f"select count(*) from {relation}")
            cur.fetchone()
        return "ok"
    except psycopg2.Error as exc:
        return type(exc).__name__
    finally:
        con.close()


def _upstream_relations(build: EngineBuild) -> list[str]:
    manifest = json.loads(build.manifest.read_text())
    relations = [
        f'"{node["schema"]}"."{node["alias"] or node["name"]}"'
        for node in manifest["nodes"].values()
        if node["resource_type"] in {"model", "seed"} and node["fqn"][1] != "marts"
        and node["config"].get("enabled", True)
    ]
    relations += [f"{schema}.{table}" for schema, table in all_tables()]
    return sorted(relations)


def test_bi_role_reads_every_mart(postgres_build: EngineBuild, pg_server: PostgresServer, bi_role: str) -> None:
    assert not postgres_build.relations_not_built()
    marts = mart_relations(postgres_build.manifest)
    assert marts
    results = {name: _select_as(pg_server, bi_role, f'"{schema}"."{name}"') for schema, name in marts}
    assert results == {name: "ok" for _, name in marts}


def test_bi_role_is_refused_everything_upstream(
    postgres_build: EngineBuild, pg_server: PostgresServer, bi_role: str
) -> None:
    assert not postgres_build.relations_not_built()
    upstream = _upstream_relations(postgres_build)
    assert any(".\"stg_" in relation for relation in upstream), "no staging model found to check"
    # the owner reads them all (so a refusal below is about privileges, not a missing relation)
    owner = {relation: _select_as(pg_server, pg_server.superuser, relation) for relation in upstream}
    assert set(owner.values()) == {"ok"}, owner
    refused = {relation: _select_as(pg_server, bi_role, relation) for relation in upstream}
    assert refused == {relation: "InsufficientPrivilege" for relation in upstream}
