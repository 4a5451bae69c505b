with

first_values as (

    select
        account_id,
        first_new_contract_id,
        ttv_bucket
    from {{ ref('int_accounts_first_value_dated') }}

),

renewals as (

    select
        contract_id,
        renewal_due_month_start,
        renewal_status
    from {{ ref('int_contract_renewals_judged') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

segments as (

    select distinct reporting_segment as segment
    from {{ ref('segment_rollup') }}

),

ttv_buckets as (

    select
        '0-30' as ttv_bucket,
        1 as ttv_bucket_order
    union all
    select
        '31-60' as ttv_bucket,
        2 as ttv_bucket_order
    union all
    select
        '61-90' as ttv_bucket,
        3 as ttv_bucket_order
    union all
    select
        '>90' as ttv_bucket,
        4 as ttv_bucket_order
    union all
    select
        'never' as ttv_bucket,
        5 as ttv_bucket_order

),

bucket_grid as (

    select
        ttv_buckets.ttv_bucket,
        ttv_buckets.ttv_bucket_order,
        segments.segment
    from ttv_buckets
    cross join segments

),

first_cycles_decided as (

    -- the account's first `new` contract, up for renewal in a complete month
    -- (its last day on or before as_of_date) and decided (metrics.md,
    -- Time to value and Renewals): pending decisions are left out
    select
        first_values.account_id,
        first_values.ttv_bucket,
        renewals.renewal_status = 'renewed' as is_renewed
    from first_values
    inner join renewals
        on first_values.first_new_contract_id = renewals.contract_id
    where
        renewals.renewal_status in ('renewed', 'not_renewed')
        and {{ dbt.dateadd('month', 1, 'renewals.renewal_due_month_start') }}
        <= {{ dbt.dateadd('day', 1, as_of_date()) }}

),

accounts_by_segment as (

    -- every account counts in its own segment and in `all`
    -- (int_accounts_rolled_up); an account without a known segment counts in neither,
    -- as in the revenue marts, so the segments add up to `all`
    select
        accounts_rolled_up.segment,
        first_cycles_decided.ttv_bucket,
        first_cycles_decided.is_renewed
    from first_cycles_decided
    inner join accounts_rolled_up
        on first_cycles_decided.account_id = accounts_rolled_up.account_id

),

buckets_aggregated as (

    select
        ttv_bucket,
        segment,
        count(*) as accounts,
        count(case when is_renewed then 1 end) as accounts_renewed_first_cycle
    from accounts_by_segment
    group by
        ttv_bucket,
        segment

),

-- a bucket x segment with no account counts 0
buckets_dense as (

    {{ zero_filled_on('bucket_grid', ['ttv_bucket', 'segment'], {
        'buckets_aggregated': {dbt.type_bigint(): ['accounts', 'accounts_renewed_first_cycle']},
    }, spine_columns=['ttv_bucket_order']) }}

),

final as (

    select
        ttv_bucket,
        segment,
        accounts,
        accounts_renewed_first_cycle,
        {{ safe_ratio('accounts_renewed_first_cycle', 'accounts') }} as first_renewal_rate,
        ttv_bucket_order
    from buckets_dense

)

select * from final
