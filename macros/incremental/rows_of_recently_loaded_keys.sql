{#-
    What a nightly run's redelivery test reads on the raw events
    (duplicates_are_identical with `recent_loads_column`). With the var
    event_tests_recent_loads_only true (csra nightly sets it when a
    previous nightly run ended OK and this one is no --full-refresh): every
    row of the `scope_keys` (event_id) that have a row loaded after the
    relation's incremental watermark (events_reprocess_after: its newest
    load, not after the run's clock, minus events_lookback_days) or a row
    without a load time. A key a new delivery reached is so compared with
    all its rows, old ones included; a key whose rows are all older was
    compared by the run that loaded them. Otherwise (the default, every
    --full-refresh, the test suite) the relation itself: every key.
    Only for a key each new row carries itself: a key test on a table an
    incremental run rewrites by a wider key (the rollups' account and
    date) or with an older load time (staging keeps an event's first
    copy) stays in full. The subquery keeps the relation's columns, so a
    test reads it as it reads the relation.
-#}
{% macro rows_of_recently_loaded_keys(relation, scope_keys, loaded_at_column) -%}
    {%- if loaded_at_column is none or (var('event_tests_recent_loads_only', false) | string | lower) != 'true' -%}
        {{ relation }}
    {%- else -%}
        (
            select rows_of_keys.*
            from (select * from {{ relation }}) as rows_of_keys
            inner join (
                select distinct {{ dq_select_columns(scope_keys) }}
                from {{ relation }}
                where
                    {{ loaded_at_column }} > {{ events_reprocess_after(relation, loaded_at_column) }}
                    or {{ loaded_at_column }} is null
            ) as recently_loaded_keys
                on
                {%- for column in scope_keys %}
                    {{ 'and ' if not loop.first }}rows_of_keys.{{ column }} = recently_loaded_keys.{{ column }}
                {%- endfor %}
        ) as rows_of_recently_loaded_keys
    {%- endif -%}
{%- endmacro %}
