-- Suspicious but legal, so a warning: an account with more than
-- `plausible_paid_subscriptions_at_once` (default 10) paid subscriptions in
-- force on one month end (issue 13: one account with a dozen paid
-- subscriptions at once is usually a loader that re-creates subscriptions
-- instead of updating them). MRR still counts every one of them; one row
-- per account with its busiest month end.
{{ config(severity='warn') }}

with

priced_items as (

    select
        account_id,
        subscription_id,
        valid_from,
        valid_to,
        mrr_usd_x1200
    from {{ ref('int_subscription_items_priced') }}

),

calendar_months as (

    select month_end
    from {{ ref('int_calendar_months_listed') }}

),

paid_subscriptions_by_month_end as (

    select
        priced_items.account_id,
        calendar_months.month_end,
        count(distinct priced_items.subscription_id) as paid_subscriptions
    from priced_items
    inner join calendar_months
        on {{ is_in_force_on('calendar_months.month_end', 'priced_items') }}
    where priced_items.mrr_usd_x1200 > 0
    group by priced_items.account_id, calendar_months.month_end

),

busiest_month_end as (

    select
        account_id,
        max(paid_subscriptions) as paid_subscriptions,
        max(month_end) as last_month_end
    from paid_subscriptions_by_month_end
    where paid_subscriptions > {{ var('plausible_paid_subscriptions_at_once', 10) }}
    group by account_id

),

final as (

    select
        account_id,
        paid_subscriptions,
        {{ dbt.concat([
            "'int_subscription_items_priced account_id='",
            dq_value_text('account_id'),
            "': '",
            dq_value_text('paid_subscriptions'),
            "' paid subscriptions in force on one month end (last such month end '",
            dq_value_text('last_month_end'),
            "'); more than " ~ var('plausible_paid_subscriptions_at_once', 10) ~ " looks like re-created subscriptions'",
        ]) }} as failure_message
    from busiest_month_end

)

select * from final
