-- Why: mart_support_efficiency counts accounts and cases per segment and for
-- `all`; the segments must add up to `all` exactly, or an account or a case
-- was lost (or counted twice) on its way to a segment.
with

support_efficiency as (

    select
        month_start,
        segment,
        active_accounts,
        accounts_with_escalation,
        cases_opened,
        cases_escalated,
        cases_responded
    from {{ ref('mart_support_efficiency') }}

),

compared as (

    select
        month_start,
        sum(case when segment <> 'all' then active_accounts else 0 end)
        - sum(case when segment = 'all' then active_accounts else 0 end) as active_accounts_gap,
        sum(case when segment <> 'all' then accounts_with_escalation else 0 end)
        - sum(case when segment = 'all' then accounts_with_escalation else 0 end) as escalated_accounts_gap,
        sum(case when segment <> 'all' then cases_opened else 0 end)
        - sum(case when segment = 'all' then cases_opened else 0 end) as cases_opened_gap,
        sum(case when segment <> 'all' then cases_escalated else 0 end)
        - sum(case when segment = 'all' then cases_escalated else 0 end) as cases_escalated_gap,
        sum(case when segment <> 'all' then cases_responded else 0 end)
        - sum(case when segment = 'all' then cases_responded else 0 end) as cases_responded_gap
    from support_efficiency
    group by month_start

),

final as (

    select *
    from compared
    where
        active_accounts_gap <> 0
        or escalated_accounts_gap <> 0
        or cases_opened_gap <> 0
        or cases_escalated_gap <> 0
        or cases_responded_gap <> 0

)

select * from final
