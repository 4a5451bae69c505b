with

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

opportunities as (

    select
        opportunity_id,
        account_id,
        csm_user_id,
        origin_signal,
        signal_class,
        created_month_start,
        is_cs_expansion,
        is_qualified,
        is_won,
        is_lost,
        is_open,
        amount_arr_usd,
        days_to_close
    from {{ ref('fct_opportunities') }}

),

cs_expansion_opportunities as (

    -- every CS-origin expansion opportunity that exists by as_of_date,
    -- grouped by its month of creation within the reporting window
    -- (complete months only)
    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.csm_user_id,
        -- a null signal is reported as 'none' (metrics.md, CSQP)
        coalesce(opportunities.origin_signal, 'none') as origin_signal,
        opportunities.signal_class,
        opportunities.created_month_start as month_start,
        opportunities.is_qualified,
        opportunities.is_won,
        opportunities.is_lost,
        opportunities.is_open,
        opportunities.amount_arr_usd,
        opportunities.days_to_close
    from opportunities
    inner join reporting_months
        on opportunities.created_month_start = reporting_months.month_start
    where opportunities.is_cs_expansion

),

opportunities_with_all as (

    -- each opportunity counts in its segment and in 'all'
    -- (int_accounts_rolled_up), so 'all' rows are per month, csm and signal across
    -- segments and the segments add up to them
    select
        cs_expansion_opportunities.opportunity_id,
        accounts_rolled_up.segment,
        cs_expansion_opportunities.csm_user_id,
        cs_expansion_opportunities.origin_signal,
        cs_expansion_opportunities.signal_class,
        cs_expansion_opportunities.month_start,
        cs_expansion_opportunities.is_qualified,
        cs_expansion_opportunities.is_won,
        cs_expansion_opportunities.is_lost,
        cs_expansion_opportunities.is_open,
        cs_expansion_opportunities.amount_arr_usd,
        cs_expansion_opportunities.days_to_close
    from cs_expansion_opportunities
    inner join accounts_rolled_up
        on cs_expansion_opportunities.account_id = accounts_rolled_up.account_id

),

aggregated as (

    select
        month_start,
        segment,
        csm_user_id,
        origin_signal,
        signal_class,
        count(*) as opportunities_created,
        sum(coalesce(amount_arr_usd, 0)) as arr_created,
        sum(case when is_qualified then 1 else 0 end) as opportunities_qualified,
        sum(case when is_won then 1 else 0 end) as opportunities_won,
        sum(case when is_won then coalesce(amount_arr_usd, 0) else 0 end) as arr_won,
        sum(case when is_lost then 1 else 0 end) as opportunities_lost,
        sum(case when is_open then 1 else 0 end) as opportunities_open,
        -- days from creation to close over the closed (won or lost) ones
        {{ percentile_cont('days_to_close', 0.5) }} as median_days_to_close
    from opportunities_with_all
    group by
        month_start,
        segment,
        csm_user_id,
        origin_signal,
        signal_class

),

final as (

    select
        month_start,
        segment,
        csm_user_id,
        origin_signal,
        signal_class,
        cast(opportunities_created as {{ dbt.type_bigint() }}) as opportunities_created,
        cast(arr_created as decimal(18, 2)) as arr_created,
        cast(opportunities_qualified as {{ dbt.type_bigint() }}) as opportunities_qualified,
        cast(opportunities_won as {{ dbt.type_bigint() }}) as opportunities_won,
        cast(arr_won as decimal(18, 2)) as arr_won,
        cast(opportunities_lost as {{ dbt.type_bigint() }}) as opportunities_lost,
        cast(opportunities_open as {{ dbt.type_bigint() }}) as opportunities_open,
        -- null when none is closed
        {{ safe_ratio('opportunities_won', 'opportunities_won + opportunities_lost') }} as win_rate,
        cast(median_days_to_close as {{ type_ratio() }}) as median_days_to_close
    from aggregated

)

select * from final
