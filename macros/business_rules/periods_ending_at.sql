{#-
    A spine of period starts counted BACKWARDS from the last period the
    marts report (`last_period_start`, e.g. the last complete month), one
    every `step` `datepart`s, column `period_start`. The caller keeps the
    periods on or after its first reporting period, so a spine is exactly
    as long as the reporting window: anchored at the end, a legacy
    placeholder date (1900-01-01 in a billing export) can neither push the
    recent months out of it nor stretch it (metrics.md, Reporting window).
    `max_periods` only bounds how far back it can reach; set it past any
    plausible history (dates before 1990 already warn: date_is_plausible).
-#}
{% macro periods_ending_at(datepart, last_period_start, max_periods, step=1) -%}
    select
        cast(
            {{ dbt.dateadd(datepart, '-' ~ step ~ ' * (period_offsets.generated_number - 1)', last_period_start) }}
            as date
        ) as period_start
    from ({{ dbt.generate_series(max_periods) }}) as period_offsets
{%- endmacro %}
