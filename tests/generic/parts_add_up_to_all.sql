{#-
    A roll-up column (`rollup_column`, default segment) carries its parts and
    an `all` row: within every combination of `grain_columns`, there is
    exactly one `all` row and each of `measure_columns` summed over the
    parts equals its `all` value, exactly (metrics.md: every mart with a
    segment carries `all`, and the segments add up to it; money is rounded
    per row before any sum, so "exactly" is "to the cent"). Null grain
    values group together. One failing row per grain, naming the first
    measure that does not add up.
-#}
{% test parts_add_up_to_all(model, grain_columns, measure_columns, rollup_column='segment', all_value='all') %}

{%- set all_literal = dq_literal(all_value) -%}
{%- set problem = namespace(sql="case when all_rows <> 1 then " ~ dbt.concat([
    dq_value_text('all_rows'),
    dq_literal(' rows with ' ~ rollup_column ~ " = '" ~ all_value ~ "' (expected 1)"),
])) -%}
{%- for measure in measure_columns -%}
    {%- set problem.sql = problem.sql ~ " when parts__" ~ measure ~ " <> all__" ~ measure ~ " then " ~ dbt.concat([
        dq_literal('the parts of ' ~ rollup_column ~ ' sum ' ~ measure ~ ' to '),
        dq_value_text('parts__' ~ measure),
        dq_literal(" but '" ~ all_value ~ "' has "),
        dq_value_text('all__' ~ measure),
    ]) -%}
{%- endfor -%}
{%- set problem.sql = problem.sql ~ " end" -%}

with

grains_summed as (

    select
        {{ dq_select_columns(grain_columns) }},
        count(case when {{ rollup_column }} = {{ all_literal }} then 1 end) as all_rows,
        {%- for measure in measure_columns %}
        sum(case when {{ rollup_column }} <> {{ all_literal }} then cast({{ measure }} as decimal(38, 6)) else 0 end)
            as parts__{{ measure }},
        sum(case when {{ rollup_column }} = {{ all_literal }} then cast({{ measure }} as decimal(38, 6)) else 0 end)
            as all__{{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
    group by {{ grain_columns | join(', ') }}

)

select
    {{ dq_select_columns(grain_columns) }},
    {{ dq_failure_message(model, grain_columns, [problem.sql]) }} as failure_message
from grains_summed
where
    all_rows <> 1
    {%- for measure in measure_columns %}
    or parts__{{ measure }} <> all__{{ measure }}
    {%- endfor %}

{% endtest %}
