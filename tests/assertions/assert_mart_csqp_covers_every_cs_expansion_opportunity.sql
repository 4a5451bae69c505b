-- mart_csqp covers every CS-origin expansion opportunity created in a
-- month of the reporting window (metrics.md, CSQP): per month, its 'all'
-- rows must count exactly the opportunities fct_opportunities flags as CS
-- expansion, with the same ARR, and no opportunity may be left out because
-- its account has no segment.
with

opportunities as (

    select
        created_month_start as month_start,
        amount_arr_usd
    from {{ ref('fct_opportunities') }}
    where is_cs_expansion

),

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months') }}

),

csqp as (

    select * from {{ ref('mart_csqp') }}

),

opportunities_counted as (

    select
        opportunities.month_start,
        count(*) as opportunities_created,
        sum(coalesce(opportunities.amount_arr_usd, 0)) as arr_created
    from opportunities
    inner join reporting_months
        on opportunities.month_start = reporting_months.month_start
    group by opportunities.month_start

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
        coalesce(opportunities_counted.month_start, csqp_counted.month_start) as month_start,
        opportunities_counted.opportunities_created as expected_created,
        csqp_counted.opportunities_created as mart_created,
        csqp_counted.segment_opportunities_created as mart_segment_created
    from opportunities_counted
    full outer join csqp_counted
        on opportunities_counted.month_start = csqp_counted.month_start
    where
        opportunities_counted.month_start is null
        or csqp_counted.month_start is null
        or opportunities_counted.opportunities_created != csqp_counted.opportunities_created
        or opportunities_counted.arr_created != csqp_counted.arr_created
        or opportunities_counted.opportunities_created != csqp_counted.segment_opportunities_created

)

select * from final
