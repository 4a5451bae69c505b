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

    {{ fill_month_segment_grid({
        'renewals_by_month_segment': {
            dbt.type_int(): ['contracts_up', 'contracts_renewed', 'contracts_not_renewed', 'contracts_pending'],
            'decimal(18, 2)': ['arr_up', 'arr_renewed', 'arr_decided'],
        },
    }) }}

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
