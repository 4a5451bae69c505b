with

contracts as (

    select
        contract_id,
        account_id,
        contract_type,
        start_date,
        end_date,
        arr_usd
    from {{ ref('int_contracts_converted') }}

),

mrr_account_months as (

    select
        account_id,
        month_start
    from {{ ref('int_mrr_account_months_measured') }}

),

contracts_up as (

    -- up for renewal in the month of the last covered day: end_date is
    -- exclusive (metrics.md, Renewals)
    select
        *,
        cast({{ dbt.date_trunc('month', dbt.dateadd('day', -1, 'end_date')) }} as date) as renewal_due_month_start
    from contracts

),

renewed_by_contract as (

    -- a renewal contract of the same account starting within 30 days of
    -- end_date, either side inclusive; a contract never renews itself
    select distinct contracts_up.contract_id
    from contracts_up
    inner join contracts as renewal_contracts
        on
            contracts_up.account_id = renewal_contracts.account_id
            and renewal_contracts.contract_type = 'renewal'
            and contracts_up.contract_id != renewal_contracts.contract_id
            and cast({{ dbt.dateadd('day', -30, 'contracts_up.end_date') }} as date) <= renewal_contracts.start_date
            and cast({{ dbt.dateadd('day', 30, 'contracts_up.end_date') }} as date) >= renewal_contracts.start_date

),

renewed_by_mrr as (

    -- or MRR > 0 at the end of the second month after the month it is up in
    select distinct contracts_up.contract_id
    from contracts_up
    inner join mrr_account_months
        on
            contracts_up.account_id = mrr_account_months.account_id
            and cast({{ dbt.dateadd('month', 2, 'contracts_up.renewal_due_month_start') }} as date)
            = mrr_account_months.month_start

),

judged as (

    select
        contracts_up.contract_id,
        contracts_up.account_id,
        contracts_up.contract_type,
        contracts_up.start_date,
        contracts_up.end_date,
        contracts_up.renewal_due_month_start,
        contracts_up.arr_usd,
        renewed_by_contract.contract_id is not null as is_renewed_by_contract,
        renewed_by_mrr.contract_id is not null as is_renewed_by_mrr,
        -- the MRR check is known once the second month after is complete
        cast({{ dbt.dateadd('month', 2, 'contracts_up.renewal_due_month_start') }} as date)
        <= {{ last_complete_month_start() }} as is_mrr_check_complete
    from contracts_up
    left join renewed_by_contract
        on contracts_up.contract_id = renewed_by_contract.contract_id
    left join renewed_by_mrr
        on contracts_up.contract_id = renewed_by_mrr.contract_id

),

final as (

    select
        *,
        case
            when is_renewed_by_contract or is_renewed_by_mrr then 'renewed'
            when is_mrr_check_complete then 'not_renewed'
            else 'pending'
        end as renewal_status
    from judged

)

select * from final
