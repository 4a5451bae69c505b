{#-
    The first and the last month in which each account has MRR > 0: the
    bounds that dim_accounts publishes, that the MRR bridge reads to tell a
    new account from a reactivation, and whose earliest opens the reporting
    window (metrics.md, Reporting window).
-#}

with

mrr_account_months as (

    select
        account_id,
        month_start
    from {{ ref('int_mrr_account_months_measured') }}

),

final as (

    select
        account_id,
        min(month_start) as first_mrr_month,
        max(month_start) as last_mrr_month
    from mrr_account_months
    group by account_id

)

select * from final
