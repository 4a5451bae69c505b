"""The written dependency order of the project, checked on dbt's manifest.

Layers: staging reads only sources; intermediate and marts read staging,
intermediate, marts and seeds; an intermediate model never reads a mart.
Areas, in order (README, "Architecture"):

    core -> revenue -> usage -> onboarding, pipeline, experience -> health

Source adapters (models/intermediate/billing_stripe, enabled with
billing_source=stripe) rebuild raw contract tables; the contract's staging
models read them in place of the source.

A model may read its own area or an earlier one; onboarding, pipeline and
experience are peers and do not read each other. Staging folders are named
after sources, not areas, and every area may read them.

    python -m csra.architecture [--manifest target/manifest.json]

prints each violation (model, what it reads, the rule) and exits 1 if any.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

# Source adapters rebuild a raw contract table from another loader's shape
# (billing_source=stripe): the contract's staging models read them in place
# of the source, and nothing else does.
ADAPTER_AREAS = {"billing_stripe"}
AREA_RANK = {
    "billing_stripe": -1,
    "core": 0,
    "revenue": 1,
    "usage": 2,
    "onboarding": 3,
    "pipeline": 3,
    "experience": 3,
    "health": 4,
}
# models/semantic holds the MetricFlow time spine: no area, reads no model
LAYERS = ("staging", "intermediate", "marts", "semantic")


@dataclass(frozen=True)
class Violation:
    """One arrow that breaks the written order."""

    model: str
    reads: str
    rule: str

    def __str__(self) -> str:
        return f"{self.model} reads {self.reads}: {self.rule}"


def _place(node: dict) -> tuple[str | None, str | None]:
    """(layer, area) of a model from its folder: models/<layer>/<area>/<name>."""
    fqn = node["fqn"]
    layer = fqn[1] if len(fqn) > 2 and fqn[1] in LAYERS else None
    area = fqn[2] if layer in ("intermediate", "marts") and len(fqn) > 3 else None
    return layer, area


def violations(manifest: dict, project: str | None = None) -> list[Violation]:
    """Every dependency of a project model that breaks the layer or area order."""
    nodes = manifest["nodes"]
    found: list[Violation] = []
    for node in nodes.values():
        if node["resource_type"] != "model" or (project and node["package_name"] != project):
            continue
        layer, area = _place(node)
        name = node["name"]
        if layer is None:
            found.append(Violation(name, "-", "a model lives in models/staging, intermediate, marts or semantic"))
            continue
        if layer == "semantic":
            found.extend(
                Violation(name, nodes[parent]["name"], "a semantic-layer model reads no model")
                for parent in node["depends_on"]["nodes"]
                if parent.startswith("model.")
            )
            continue
        if layer != "staging" and area not in AREA_RANK:
            found.append(Violation(name, "-", f"area '{area}' is not one of {', '.join(AREA_RANK)}"))
            continue
        for parent_id in node["depends_on"]["nodes"]:
            if not parent_id.startswith("model."):
                continue
            parent = nodes[parent_id]
            parent_layer, parent_area = _place(parent)
            reads = f"{parent['name']} ({parent_layer}/{parent_area or '-'})"
            if layer == "staging":
                if parent_area not in ADAPTER_AREAS:
                    found.append(Violation(name, reads, "a staging model reads only sources (or a source adapter)"))
            elif layer == "intermediate" and parent_layer == "marts":
                found.append(Violation(name, reads, "an intermediate model never reads a mart"))
            elif parent_layer != "staging" and parent_area in AREA_RANK and area in AREA_RANK:
                if AREA_RANK[parent_area] > AREA_RANK[area]:
                    found.append(Violation(name, reads, f"area {area} may not read the later area {parent_area}"))
                elif AREA_RANK[parent_area] == AREA_RANK[area] and parent_area != area:
                    found.append(Violation(name, reads, f"areas {area} and {parent_area} are peers"))
    return sorted(found, key=lambda violation: (violation.model, violation.reads))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"),
                        help="dbt manifest to check (default: target/manifest.json; run `dbt parse` first)")
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        print(f"error: no manifest at {args.manifest}; run `dbt parse` first", file=sys.stderr)
        return 2
    manifest = json.loads(args.manifest.read_text())
    found = violations(manifest, manifest["metadata"].get("project_name"))
    for violation in found:
        print(violation)
    print(f"{len(found)} violation(s) of the written dependency order")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
