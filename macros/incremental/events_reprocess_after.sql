{#-
    Incremental watermark of the product event models: the newest
    `loaded_at` already processed into `relation` (its max_loaded_at column
    in the rollups, loaded_at in stg_product__events: `loaded_at_column`)
    minus the `events_lookback_days` project var. Events loaded after it
    mark their (account, date) keys for recomputation. An empty relation
    gives a date before any event, so everything is (re)processed.
    A load dated after the run's own clock (events_run_clock: a loader's
    clock skew, a placeholder such as 2099-01-01) cannot have happened yet
    and must not move the watermark: rows whose max_loaded_at is after the
    clock are left out of the maximum (and the events behind them, loaded
    "after" any watermark, are simply reprocessed every run until the clock
    passes them). The warn test product_events__loaded_at__not_after_run_clock
    names such events.
-#}
{% macro events_reprocess_after(relation, loaded_at_column='max_loaded_at') -%}
    (
        select
            coalesce(
                {{ dbt.dateadd('day', -1 * var('events_lookback_days') | int, 'max(' ~ loaded_at_column ~ ')') }},
                cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
            )
        from {{ relation }}
        where {{ loaded_at_column }} <= {{ events_run_clock() }}
    )
{%- endmacro %}

{#-
    The run's own clock: when this dbt invocation started (UTC, dbt's
    run_started_at), as a timestamp literal comparable with loaded_at.
-#}
{% macro events_run_clock() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
