{#-
    Incremental settings of the product-event rollups (int_product_user_days_rolled_up,
    int_product_feature_days_rolled_up), per engine; use as
    `{{ config(**event_rollup_incremental_config()) }}`.
    Every engine recomputes the touched activity dates from ALL their events
    (late deliveries and redeliveries included), so an incremental run gives
    the same rows as a full refresh:
    - DuckDB, PostgreSQL: delete+insert on (account_id, activity_date).
    - Spark without Delta/Iceberg/Hudi has no MERGE or DELETE: insert_overwrite
      of Parquet partitions by activity_date (dynamic partition overwrite).
      A partition holds every account of that date, so the incremental batch
      must carry whole dates, not single (account, date) keys: see
      spark__in_reprocessed_event_keys.
-#}
{% macro event_rollup_incremental_config() -%}
    {{ return(adapter.dispatch('event_rollup_incremental_config', 'cs_revenue_analytics')()) }}
{%- endmacro %}

{% macro default__event_rollup_incremental_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': ['account_id', 'activity_date'],
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__event_rollup_incremental_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': ['activity_date'],
        'file_format': 'parquet',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{#-
    Materialization of stg_product__events, the de-duplicated events, per
    engine; use as `{{ config(**staged_events_config()) }}`. DuckDB,
    PostgreSQL: incremental, delete+insert on event_id, so a nightly run
    de-duplicates only the new loads (against the copies already kept)
    instead of a window over every event. Spark (Parquet, no DELETE or
    MERGE; event_id is no partition key): a table rebuilt every run.
-#}
{% macro staged_events_config() -%}
    {{ return(adapter.dispatch('staged_events_config', 'cs_revenue_analytics')()) }}
{%- endmacro %}

{% macro default__staged_events_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'event_id',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__staged_events_config() -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#-
    Materialization of the active-user counts per period
    (int_account_weeks_users_counted: period_key 'week_start';
    int_account_months_users_counted: 'month_start'), per engine; use as
    `{{ config(**period_users_counted_config('week_start')) }}`.
    DuckDB, PostgreSQL: incremental, delete+insert of whole periods (every
    account's row of a recomputed period is replaced). Spark (no DELETE or
    MERGE on Parquet): a table rebuilt every run.
-#}
{% macro period_users_counted_config(period_key) -%}
    {{ return(adapter.dispatch('period_users_counted_config', 'cs_revenue_analytics')(period_key)) }}
{%- endmacro %}

{% macro default__period_users_counted_config(period_key) -%}
    {#- append_new_columns: a warehouse built when the model was a plain
        table (without its watermark columns) gets them on its first
        incremental run, which finds no watermark column and recomputes every
        period (the models check the built columns: their SQL would otherwise
        read a missing column before the schema change is applied) -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': period_key,
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{% macro spark__period_users_counted_config(period_key) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
