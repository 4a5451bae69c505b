-- A host-project model reading a mart of the installed package, as a team
-- would build its own reporting on top of it.
with

revenue_retention as (

    select
        month_start,
        segment,
        ending_mrr
    from {{ ref('cs_revenue_analytics', 'mart_revenue_retention') }}

),

company as (

    select
        month_start,
        ending_mrr
    from revenue_retention
    where segment = 'all'

)

select * from company
