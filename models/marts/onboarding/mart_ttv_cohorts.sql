with

first_values as (

    select
        account_id,
        cohort_month,
        days_since_signing,
        has_reached_value,
        ttv_days
    from {{ ref('int_accounts_first_value_dated') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

accounts_by_segment as (

    -- every account counts in its own segment and in `all`
    -- (int_accounts_rolled_up); an account without a known segment counts in neither,
    -- as in the revenue marts, so the segments add up to `all`
    select
        accounts_rolled_up.segment,
        first_values.cohort_month,
        first_values.days_since_signing,
        first_values.has_reached_value,
        first_values.ttv_days
    from first_values
    inner join accounts_rolled_up
        on first_values.account_id = accounts_rolled_up.account_id

),

accounts_censored as (

    -- right-censoring (metrics.md, Time to value): an account observed for
    -- fewer than N days that has not reached value is pending for the N-day
    -- share, left out of its denominator
    select
        cohort_month,
        segment,
        has_reached_value,
        ttv_days,
        not has_reached_value and days_since_signing < 30 as is_pending_30d,
        not has_reached_value and days_since_signing < 60 as is_pending_60d,
        not has_reached_value and days_since_signing < 90 as is_pending_90d
    from accounts_by_segment

),

cohorts_aggregated as (

    select
        cohort_month,
        segment,
        count(*) as accounts_signed,
        count(case when has_reached_value then 1 end) as accounts_reached_value,
        count(case when ttv_days <= 30 then 1 end) as accounts_within_30d,
        count(case when ttv_days <= 60 then 1 end) as accounts_within_60d,
        count(case when ttv_days <= 90 then 1 end) as accounts_within_90d,
        count(case when is_pending_30d then 1 end) as accounts_pending_30d,
        count(case when is_pending_60d then 1 end) as accounts_pending_60d,
        count(case when is_pending_90d then 1 end) as accounts_pending_90d,
        -- ttv_days is null for accounts without value: they are ignored
        cast({{ percentile_cont('ttv_days', 0.5) }} as {{ type_ratio() }}) as median_ttv_days,
        cast({{ percentile_cont('ttv_days', 0.75) }} as {{ type_ratio() }}) as p75_ttv_days
    from accounts_censored
    group by
        cohort_month,
        segment

),

-- every month of the reporting window is a signing cohort, even where
-- nobody signed; a percentile of nobody stays null
cohorts_dense as (

    {{ fill_month_segment_grid({
        'cohorts_aggregated': {
            dbt.type_bigint(): [
                'accounts_signed', 'accounts_reached_value', 'accounts_within_30d', 'accounts_within_60d',
                'accounts_within_90d', 'accounts_pending_30d', 'accounts_pending_60d', 'accounts_pending_90d',
            ],
            none: ['median_ttv_days', 'p75_ttv_days'],
        },
    }, month_column='cohort_month') }}

),

final as (

    select
        cohort_month,
        segment,
        accounts_signed,
        accounts_reached_value,
        median_ttv_days,
        p75_ttv_days,
        -- pending accounts are right-censored: out of the denominator
        {{ safe_ratio('accounts_within_30d', 'accounts_signed - accounts_pending_30d') }} as share_within_30d,
        -- pending accounts are right-censored: out of the denominator
        {{ safe_ratio('accounts_within_60d', 'accounts_signed - accounts_pending_60d') }} as share_within_60d,
        -- pending accounts are right-censored: out of the denominator
        {{ safe_ratio('accounts_within_90d', 'accounts_signed - accounts_pending_90d') }} as share_within_90d,
        accounts_within_30d,
        accounts_within_60d,
        accounts_within_90d,
        accounts_pending_30d,
        accounts_pending_60d,
        accounts_pending_90d
    from cohorts_dense

)

select * from final
