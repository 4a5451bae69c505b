with

renewals as (

    select
        account_id,
        renewal_due_month_start,
        arr_usd,
        renewal_status
    from {{ ref('int_contract_renewals_judged') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

month_segment_grid as (

    select
        month_start,
        segment
    from {{ ref('int_reporting_months_segmented') }}

),

renewals_by_month_segment as (

    select
        renewals.renewal_due_month_start as month_start,
        accounts_rolled_up.segment,
        count(*) as contracts_up,
        sum(case when renewals.renewal_status = 'renewed' then 1 else 0 end) as contracts_renewed,
        sum(case when renewals.renewal_status = 'not_renewed' then 1 else 0 end) as contracts_not_renewed,
        sum(case when renewals.renewal_status = 'pending' then 1 else 0 end) as contracts_pending,
        sum(renewals.arr_usd) as arr_up,
        sum(case when renewals.renewal_status = 'renewed' then renewals.arr_usd else 0 end) as arr_renewed,
        sum(case when renewals.renewal_status != 'pending' then renewals.arr_usd else 0 end) as arr_decided
    from renewals
    inner join accounts_rolled_up
        on renewals.account_id = accounts_rolled_up.account_id
    group by renewals.renewal_due_month_start, accounts_rolled_up.segment

),

dense as (

    select
        month_segment_grid.month_start,
        month_segment_grid.segment,
        cast(coalesce(renewals_by_month_segment.contracts_up, 0) as {{ dbt.type_int() }}) as contracts_up,
        cast(coalesce(renewals_by_month_segment.contracts_renewed, 0) as {{ dbt.type_int() }})
            as contracts_renewed,
        cast(coalesce(renewals_by_month_segment.contracts_not_renewed, 0) as {{ dbt.type_int() }})
            as contracts_not_renewed,
        cast(coalesce(renewals_by_month_segment.contracts_pending, 0) as {{ dbt.type_int() }})
            as contracts_pending,
        cast(coalesce(renewals_by_month_segment.arr_up, 0) as decimal(18, 2)) as arr_up,
        cast(coalesce(renewals_by_month_segment.arr_renewed, 0) as decimal(18, 2)) as arr_renewed,
        cast(coalesce(renewals_by_month_segment.arr_decided, 0) as decimal(18, 2)) as arr_decided
    from month_segment_grid
    left join renewals_by_month_segment
        on
            month_segment_grid.month_start = renewals_by_month_segment.month_start
            and month_segment_grid.segment = renewals_by_month_segment.segment

),

final as (

    select
        month_start,
        segment,
        contracts_up,
        contracts_renewed,
        contracts_not_renewed,
        contracts_pending,
        arr_up,
        arr_renewed,
        arr_decided,
        -- pending contracts count in contracts_up and arr_up but in neither
        -- rate (metrics.md, Renewals)
        {{ safe_ratio('contracts_renewed', 'contracts_renewed + contracts_not_renewed') }} as logo_renewal_rate,
        {{ safe_ratio('arr_renewed', 'arr_decided') }} as arr_renewal_rate
    from dense

)

select * from final
