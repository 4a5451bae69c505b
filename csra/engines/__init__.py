"""Run the project on engines other than DuckDB: PostgreSQL and Apache Spark.

- `postgres`: a throwaway local PostgreSQL server (initdb as an unprivileged
  user, 127.0.0.1, free port) and the loader that copies a DuckDB raw
  dataset into it with the exact contract types.
- `spark`: a local SparkSession with its metastore and warehouse under one
  folder, shared with dbt-spark's `session` method, and the Parquet loader.
- `compare`: reads every published mart from each engine and compares them
  row by row (money to the cent, ratios to 1e-9).

`python -m csra.engines --help` is the command line for humans.
"""
