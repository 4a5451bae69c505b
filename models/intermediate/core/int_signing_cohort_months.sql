with

reporting_months as (

    select
        month_start,
        month_end
    from {{ ref('int_reporting_months') }}

),

final as (

    -- every month of the reporting window is a signing cohort, even where no
    -- contract exists at all (metrics.md, Precision and grids): a company
    -- without CRM contracts still gets its dense TTV and onboarding grids
    select
        month_start as cohort_month,
        month_end as cohort_month_end
    from reporting_months

)

select * from final
