{#-
    What a nightly run's key tests read on an event-sized relation
    (key_is_unique, duplicates_are_identical with `recent_loads_column`).
    With the var event_tests_recent_loads_only true (csra nightly sets it
    when a previous nightly run ended OK and this one is no --full-refresh):
    every row of the keys that have a row loaded after the relation's
    incremental watermark (events_reprocess_after: its newest load, not
    after the run's clock, minus events_lookback_days) or a row without a
    load time. A key the run wrote or a new delivery reached is so checked
    against all its rows, old ones included; a key whose rows are all older
    was checked by the run that loaded them. Otherwise (the default, every
    --full-refresh, the test suite) the relation itself: every key.
    The subquery keeps the relation's columns, so a test reads it as it
    reads the relation.
-#}
{% macro rows_of_recently_loaded_keys(relation, key_columns, loaded_at_column) -%}
    {%- if loaded_at_column is none or (var('event_tests_recent_loads_only', false) | string | lower) != 'true' -%}
        {{ relation }}
    {%- else -%}
        (
            select rows_of_keys.*
            from (select * from {{ relation }}) as rows_of_keys
            inner join (
                select distinct {{ dq_select_columns(key_columns) }}
                from {{ relation }}
                where
                    {{ loaded_at_column }} > {{ events_reprocess_after(relation, loaded_at_column) }}
                    or {{ loaded_at_column }} is null
            ) as recently_loaded_keys
                on
                {%- for column in key_columns %}
                    {{ 'and ' if not loop.first }}rows_of_keys.{{ column }} = recently_loaded_keys.{{ column }}
                {%- endfor %}
        ) as rows_of_recently_loaded_keys
    {%- endif -%}
{%- endmacro %}
