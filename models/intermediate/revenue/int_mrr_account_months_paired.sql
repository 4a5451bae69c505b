with

mrr_account_months as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

),

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

first_mrr_month_by_account as (

    select
        account_id,
        first_mrr_month
    from {{ ref('int_accounts_mrr_months_bounded') }}

),

mrr_as_current_and_next_previous as (

    -- each positive month is the current MRR of its month and the previous
    -- MRR of the next month; a zero-to-zero month has no row at all
    select
        account_id,
        month_start,
        mrr_usd as current_mrr,
        cast(0 as decimal(18, 2)) as previous_mrr
    from mrr_account_months

    union all

    select
        account_id,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as month_start,
        cast(0 as decimal(18, 2)) as current_mrr,
        mrr_usd as previous_mrr
    from mrr_account_months

),

paired as (

    select
        account_id,
        month_start,
        cast(sum(previous_mrr) as decimal(18, 2)) as previous_mrr,
        cast(sum(current_mrr) as decimal(18, 2)) as current_mrr
    from mrr_as_current_and_next_previous
    group by account_id, month_start

),

final as (

    select
        paired.account_id,
        paired.month_start,
        paired.previous_mrr,
        paired.current_mrr,
        first_mrr_month_by_account.first_mrr_month,
        first_mrr_month_by_account.first_mrr_month < paired.month_start as had_mrr_before_month
    from paired
    inner join reporting_months
        on paired.month_start = reporting_months.month_start
    inner join first_mrr_month_by_account
        on paired.account_id = first_mrr_month_by_account.account_id

)

select * from final
