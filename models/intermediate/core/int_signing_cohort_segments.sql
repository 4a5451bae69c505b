with

cohort_months as (

    select cohort_month
    from {{ ref('int_signing_cohort_months') }}

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
        cohort_months.cohort_month,
        reporting_segments.segment
    from cohort_months
    cross join reporting_segments

)

select * from final
