{#-
    Which periods of the same cadence hold days of each period end's
    trailing 30-day window, so that activity summed per period (with its
    last active day) reaches the windows by equi-joins instead of a range
    join over every active day. A 30-day window ending on a month end
    starts in that month or the one before (February: from January 30 or
    31); one ending on a Sunday starts on the Saturday of the fourth week
    before. Activity of a spanned period is in the window when its last day
    in that period is on or after trailing_30d_start.
-#}

{%- set start = 'period_ends.period_start' -%}
{%- set offset = 'period_offsets.period_offset' %}

with

period_ends as (

    select
        cadence,
        period_start,
        period_end,
        trailing_30d_start
    from {{ ref('int_period_ends_listed') }}

),

period_offsets as (

    -- 0 = the period itself, 1 .. 4 = the periods before it
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as period_offset
    from ({{ dbt.generate_series(5) }}) as offset_numbers

),

periods_spanned as (

    select
        period_ends.cadence,
        period_ends.period_start,
        period_ends.period_end,
        period_ends.trailing_30d_start,
        case period_ends.cadence
            when 'month'
                then cast({{ dbt.dateadd('month', '-1 * ' ~ offset, start) }} as date)
            when 'week'
                then cast({{ dbt.dateadd('day', '-7 * ' ~ offset, start) }} as date)
        end as spanned_period_start,
        case period_ends.cadence
            when 'month'
                then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', '1 - ' ~ offset, start)) }} as date)
            when 'week'
                then cast({{ dbt.dateadd('day', '6 - 7 * ' ~ offset, start) }} as date)
        end as spanned_period_end
    from period_ends
    cross join period_offsets

),

final as (

    select
        cadence,
        period_start,
        period_end,
        trailing_30d_start,
        spanned_period_start
    from periods_spanned
    where spanned_period_end >= trailing_30d_start

)

select * from final
