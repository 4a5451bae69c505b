with

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

mrr_movements as (

    select
        account_id,
        month_start
    from {{ ref('fct_mrr_movements') }}

),

cases as (

    select
        case_id,
        account_id,
        is_escalated,
        opened_at,
        first_response_at
    from {{ ref('stg_crm__cases') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

cases_timed as (

    -- a case belongs to the month of its UTC opening date; a first response
    -- after as_of_date has not happened yet, so the case counts as not yet
    -- answered (metrics.md, Precision and grids)
    select
        case_id,
        account_id,
        coalesce(is_escalated, false) as is_escalated,
        cast({{ dbt.date_trunc('month', 'opened_at') }} as date) as month_start,
        case
            when cast(first_response_at as date) <= {{ as_of_date() }}
                then
                    -- an 8-byte float before dividing: `/ 3600.0` is decimal
                    -- division on Spark (6 decimals) and PostgreSQL, double on DuckDB
                    cast(
                        {{ dbt.datediff('opened_at', 'first_response_at', 'second') }}
                        as {{ type_ratio() }}
                    )
                    / 3600
        end as first_response_hours
    from cases

),

cases_in_window as (

    select
        cases_timed.case_id,
        cases_timed.account_id,
        cases_timed.is_escalated,
        cases_timed.month_start,
        cases_timed.first_response_hours
    from cases_timed
    inner join reporting_months
        on cases_timed.month_start = reporting_months.month_start

),

active_accounts as (

    -- the month's customer base: accounts with MRR at the start or the end
    -- of the month, i.e. a row in fct_mrr_movements (so an account that
    -- churns this month still counts, with its escalations)
    select
        account_id,
        month_start
    from mrr_movements

),

escalated_account_months as (

    select
        account_id,
        month_start
    from cases_in_window
    where is_escalated
    group by
        account_id,
        month_start

),

active_accounts_flagged as (

    select
        active_accounts.account_id,
        active_accounts.month_start,
        case when escalated_account_months.account_id is not null then 1 else 0 end as has_escalated_case
    from active_accounts
    left join escalated_account_months
        on
            active_accounts.account_id = escalated_account_months.account_id
            and active_accounts.month_start = escalated_account_months.month_start

),

accounts_by_month_segment as (

    select
        active_accounts_flagged.month_start,
        accounts_rolled_up.segment,
        count(*) as active_accounts,
        sum(active_accounts_flagged.has_escalated_case) as accounts_with_escalation
    from active_accounts_flagged
    inner join accounts_rolled_up
        on active_accounts_flagged.account_id = accounts_rolled_up.account_id
    group by
        active_accounts_flagged.month_start,
        accounts_rolled_up.segment

),

cases_by_month_segment as (

    select
        cases_in_window.month_start,
        accounts_rolled_up.segment,
        count(*) as cases_opened,
        sum(case when cases_in_window.is_escalated then 1 else 0 end) as cases_escalated,
        count(cases_in_window.first_response_hours) as cases_responded,
        {{ percentile_cont('cases_in_window.first_response_hours', 0.5) }} as median_first_response_hours
    from cases_in_window
    inner join accounts_rolled_up
        on cases_in_window.account_id = accounts_rolled_up.account_id
    group by
        cases_in_window.month_start,
        accounts_rolled_up.segment

),

-- every month x segment of the reporting window, 0 where nothing
-- happened; a median of no answered case stays null
month_segments_dense as (

    {{ fill_month_segment_grid({
        'accounts_by_month_segment': {
            dbt.type_bigint(): ['active_accounts', 'accounts_with_escalation'],
        },
        'cases_by_month_segment': {
            dbt.type_bigint(): ['cases_opened', 'cases_escalated', 'cases_responded'],
            none: ['median_first_response_hours'],
        },
    }) }}

),

final as (

    select
        month_start,
        segment,
        active_accounts,
        accounts_with_escalation,
        {{ safe_ratio('accounts_with_escalation', 'active_accounts') }} as escalation_rate,
        cases_opened,
        cases_escalated,
        cases_responded,
        cast(median_first_response_hours as {{ type_ratio() }}) as median_first_response_hours
    from month_segments_dense

)

select * from final
