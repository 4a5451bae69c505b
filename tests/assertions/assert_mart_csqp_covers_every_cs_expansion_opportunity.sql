-- mart_csqp covers every CS-origin expansion opportunity (metrics.md, CSQP)
-- created in a month of the reporting window: per month, its 'all' rows
-- must count exactly the CS expansion opportunities of the CRM, with the
-- ARR fct_opportunities priced them at, and its segment rows must add up
-- to the same count. Counted from staging, not from the fact, so an
-- opportunity that a step drops (an undated one, issue 15) shows up here as
-- a month the mart lacks instead of passing unseen; one created after
-- as_of_date has not happened yet and is not expected.
with

cs_expansion_opportunities as (

    select
        opportunity_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start
    from {{ ref('stg_crm__opportunities') }}
    where
        opportunity_type = 'expansion'
        and origin = 'cs'
        and (created_at is null or cast(created_at as date) <= {{ as_of_date() }})

),

priced_opportunities as (

    select
        opportunity_id,
        amount_arr_usd
    from {{ ref('fct_opportunities') }}

),

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

csqp as (

    select * from {{ ref('mart_csqp') }}

),

opportunities_expected as (

    -- every undated one, and every one dated in a reporting month
    select
        cs_expansion_opportunities.month_start,
        priced_opportunities.amount_arr_usd
    from cs_expansion_opportunities
    left join reporting_months
        on cs_expansion_opportunities.month_start = reporting_months.month_start
    left join priced_opportunities
        on cs_expansion_opportunities.opportunity_id = priced_opportunities.opportunity_id
    where
        cs_expansion_opportunities.month_start is null
        or reporting_months.month_start is not null

),

opportunities_counted as (

    select
        month_start,
        count(*) as opportunities_created,
        sum(coalesce(amount_arr_usd, 0)) as arr_created
    from opportunities_expected
    group by month_start

),

csqp_counted as (

    select
        month_start,
        sum(case when segment = 'all' then opportunities_created else 0 end) as opportunities_created,
        sum(case when segment = 'all' then arr_created else 0 end) as arr_created,
        sum(case when segment != 'all' then opportunities_created else 0 end) as segment_opportunities_created
    from csqp
    group by month_start

),

final as (

    select
        opportunities_counted.month_start as expected_month_start,
        csqp_counted.month_start as mart_month_start,
        opportunities_counted.opportunities_created as expected_created,
        csqp_counted.opportunities_created as mart_created,
        csqp_counted.segment_opportunities_created as mart_segment_created
    from opportunities_counted
    full outer join csqp_counted
        on opportunities_counted.month_start = csqp_counted.month_start
    where
        opportunities_counted.opportunities_created is null
        or csqp_counted.opportunities_created is null
        or opportunities_counted.opportunities_created != csqp_counted.opportunities_created
        or opportunities_counted.arr_created != csqp_counted.arr_created
        or opportunities_counted.opportunities_created != csqp_counted.segment_opportunities_created

)

select * from final
