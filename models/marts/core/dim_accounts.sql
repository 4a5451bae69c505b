with

accounts as (

    select
        account_id,
        account_name,
        segment,
        industry,
        region,
        csm_user_id,
        ae_user_id,
        created_at,
        updated_at
    from {{ ref('stg_crm__accounts') }}

),

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

mrr_history as (

    select
        account_id,
        first_mrr_month,
        last_mrr_month
    from {{ ref('int_accounts_mrr_months_bounded') }}

),

last_reporting_month as (

    select max(month_start) as month_start
    from reporting_months

),

latest_mrr as (

    select
        mrr_account_months.account_id,
        mrr_account_months.mrr_usd
    from mrr_account_months
    inner join last_reporting_month
        on mrr_account_months.month_start = last_reporting_month.month_start

),

final as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.segment,
        accounts.industry,
        accounts.region,
        accounts.csm_user_id,
        accounts.ae_user_id,
        mrr_history.first_mrr_month,
        mrr_history.last_mrr_month,
        cast(coalesce(latest_mrr.mrr_usd, 0) as decimal(18, 2)) as latest_mrr_usd,
        cast(coalesce(latest_mrr.mrr_usd, 0) * 12 as decimal(18, 2)) as latest_arr_usd,
        coalesce(latest_mrr.mrr_usd, 0) > 0 as is_paying,
        accounts.created_at,
        accounts.updated_at
    from accounts
    left join mrr_history
        on accounts.account_id = mrr_history.account_id
    left join latest_mrr
        on accounts.account_id = latest_mrr.account_id

)

select * from final
