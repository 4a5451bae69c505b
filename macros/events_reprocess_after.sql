{#-
    Incremental watermark of the product event rollups: the newest
    `loaded_at` already processed into `relation` (its max_loaded_at column)
    minus the `events_lookback_days` project var. Events loaded after it
    mark their (account, date) keys for recomputation. An empty relation
    gives a date before any event, so everything is (re)processed.
-#}
{% macro events_reprocess_after(relation) -%}
    (
        select
            coalesce(
                {{ dbt.dateadd('day', -1 * var('events_lookback_days') | int, 'max(max_loaded_at)') }},
                cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
            )
        from {{ relation }}
    )
{%- endmacro %}
