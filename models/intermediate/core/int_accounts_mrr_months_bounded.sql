{#-
    The first and the last month in which each account has MRR > 0, and its
    MRR in the last complete month (the last month of the reporting window,
    metrics.md, Reporting window): the bounds that dim_accounts publishes,
    that the MRR bridge reads to tell a new account from a reactivation, and
    whose earliest opens the reporting window.
-#}

with

mrr_account_months as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

),

bounds as (

    select
        account_id,
        min(month_start) as first_mrr_month,
        max(month_start) as last_mrr_month
    from mrr_account_months
    group by account_id

),

last_complete_month_mrr as (

    select
        account_id,
        mrr_usd
    from mrr_account_months
    where month_start = {{ last_complete_month_start() }}

),

final as (

    select
        bounds.account_id,
        bounds.first_mrr_month,
        bounds.last_mrr_month,
        -- no row in the last complete month: the account pays nothing now
        cast(coalesce(last_complete_month_mrr.mrr_usd, 0) as decimal(18, 2)) as latest_mrr_usd
    from bounds
    left join last_complete_month_mrr
        on bounds.account_id = last_complete_month_mrr.account_id

)

select * from final
