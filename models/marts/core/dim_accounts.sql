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

mrr_history as (

    select
        account_id,
        first_mrr_month,
        last_mrr_month,
        latest_mrr_usd
    from {{ ref('int_accounts_mrr_months_bounded') }}

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
        -- an account that never had MRR has no mrr_history row
        cast(coalesce(mrr_history.latest_mrr_usd, 0) as decimal(18, 2)) as latest_mrr_usd,
        cast(coalesce(mrr_history.latest_mrr_usd, 0) * 12 as decimal(18, 2)) as latest_arr_usd,
        coalesce(mrr_history.latest_mrr_usd, 0) > 0 as is_paying,
        accounts.created_at,
        accounts.updated_at
    from accounts
    left join mrr_history
        on accounts.account_id = mrr_history.account_id

)

select * from final
