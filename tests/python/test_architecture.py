"""The written dependency order between layers and areas holds (README,
"Architecture"): checked on the manifest of `dbt parse`, and shown to fail
on deliberately wrong refs in a temporary copy of the project."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from csra.architecture import violations
from csra.dbt_invoke import PROJECT_DIR, run_dbt

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests", "seeds", "analyses")


def _parse(project_dir: Path, tmp_path: Path, dbt_vars: dict | None = None) -> dict:
    """The manifest of `dbt parse` on ``project_dir``."""
    target = tmp_path / "target"
    outcome = run_dbt(
        ["parse"], database=tmp_path / "parse.duckdb", target_path=target, project_dir=project_dir, dbt_vars=dbt_vars
    )
    assert outcome.success
    return json.loads((target / "manifest.json").read_text())


@pytest.mark.parametrize("billing_source", ["contract", "stripe"])
def test_the_project_keeps_the_written_order(tmp_path: Path, billing_source: str) -> None:
    manifest = _parse(PROJECT_DIR, tmp_path, {"billing_source": billing_source})
    assert [str(violation) for violation in violations(manifest, "cs_revenue_analytics")] == []


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    for part in PROJECT_PARTS:
        source = PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("python", "__pycache__"))
        elif source.exists():
            shutil.copy(source, copy / part)
    return copy


def test_wrong_refs_are_reported(project_copy: Path, tmp_path: Path) -> None:
    core = project_copy / "models" / "intermediate" / "core"
    # a core model reading a revenue mart: a back-up arrow and an intermediate reading a mart
    (core / "int_accounts_wrongly_read.sql").write_text("select account_id from {{ ref('fct_mrr_movements') }}\n")
    # a revenue model reading the later usage area
    (project_copy / "models" / "intermediate" / "revenue" / "int_usage_wrongly_read.sql").write_text(
        "select account_id from {{ ref('int_product_user_days_rolled_up') }}\n"
    )
    # a staging model reading a model instead of a source
    (project_copy / "models" / "staging" / "crm" / "stg_crm__accounts_reread.sql").write_text(
        "select account_id from {{ ref('stg_crm__accounts') }}\n"
    )
    # onboarding and pipeline are peers
    (project_copy / "models" / "intermediate" / "onboarding" / "int_pipeline_wrongly_read.sql").write_text(
        "select opportunity_id from {{ ref('int_opportunities_priced') }}\n"
    )
    found = {(violation.model, violation.rule) for violation in violations(_parse(project_copy, tmp_path))}
    assert found == {
        ("int_accounts_wrongly_read", "an intermediate model never reads a mart"),
        ("int_usage_wrongly_read", "area revenue may not read the later area usage"),
        ("stg_crm__accounts_reread", "a staging model reads only sources (or a source adapter)"),
        ("int_pipeline_wrongly_read", "areas onboarding and pipeline are peers"),
    }


# An intermediate model is named int_<entities>_<verb>, the verb a past
# participle of what the step did (priced, rolled_up, listed, ...).
INTERMEDIATE_NAME = re.compile(r"^int_[a-z0-9]+(_[a-z0-9]+)*_([a-z]+ed|rolled_up)$")
DISPATCH_PREFIXES = ("default__", "duckdb__", "postgres__", "spark__")


def test_names_and_macro_folders_explain_themselves(tmp_path: Path) -> None:
    manifest = _parse(PROJECT_DIR, tmp_path)
    own = "cs_revenue_analytics"
    unnamed = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["package_name"] == own
        and node["original_file_path"].startswith("models/intermediate/")
        and not INTERMEDIATE_NAME.match(node["name"])
    )
    assert unnamed == []
    macros = [macro for macro in manifest["macros"].values() if macro["package_name"] == own]
    # macros are grouped in folders by concern, each folder with its YAML
    paths = [Path(m["original_file_path"]) for m in macros if m["original_file_path"].startswith("macros/")]
    assert sorted(str(path) for path in paths if len(path.parts) != 3) == []
    folders = {path.parent for path in paths}
    without_yaml = [folder for folder in folders if not (PROJECT_DIR / folder / f"_{folder.name}.yml").exists()]
    assert sorted(map(str, without_yaml)) == []
    # every macro a model calls is documented (adapter implementations are
    # documented with the macro that dispatches to them)
    undocumented = sorted(
        m["name"]
        for m in macros
        if m["original_file_path"].startswith("macros/")
        and not m["name"].startswith(DISPATCH_PREFIXES)
        and not m["description"].strip()
    )
    assert undocumented == []
