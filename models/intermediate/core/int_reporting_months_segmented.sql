with

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

segment_rollup as (

    select reporting_segment
    from {{ ref('segment_rollup') }}

),

reporting_segments as (

    select distinct reporting_segment as segment
    from segment_rollup

),

final as (

    select
        reporting_months.month_start,
        reporting_segments.segment
    from reporting_months
    cross join reporting_segments

)

select * from final
