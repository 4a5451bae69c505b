"""Write the customer-success report as one self-contained HTML page.

    python -m csra.report --database warehouse.duckdb --out report
    python -m csra.report --target postgres --out report   # or spark

Reads the published marts and the MetricFlow semantic layer through the dbt
adapter of the chosen target (default: the DuckDB file given by --database),
so it needs a warehouse on which `dbt build` has run. Writes DIR/index.html
(inline CSS and SVG charts, no script, nothing fetched from the network) and,
when `dbt docs generate --static` has run, DIR/docs/index.html, the offline
docs site every chart's definition links to.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python -m csra.report", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    result.add_argument("--database", metavar="FILE", default=None,
                        help="DuckDB warehouse built by dbt (default: $DBT_DUCKDB_PATH or warehouse.duckdb)")
    result.add_argument("--target", choices=["duckdb", "postgres", "spark"], default=None,
                        help="dbt target to read (default: $DBT_TARGET or duckdb)")
    result.add_argument("--out", metavar="DIR", type=Path, default=Path("report"),
                        help="folder for index.html (default: %(default)s)")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from csra.report.build import build_report
    from csra.report.warehouse import Warehouse, WarehouseError

    try:
        warehouse = Warehouse(args.database, args.target)
        warehouse.check_built()
        path = build_report(warehouse, args.out)
    except (WarehouseError, ValueError) as exc:
        print(f"csra report: {exc}", file=sys.stderr)
        return 2
    print(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
