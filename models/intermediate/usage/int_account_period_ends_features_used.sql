{#- A table, not a view like the rest of the folder: the monthly usage mart
    and the health usage component both read it, and it scans every
    feature-day. -#}
{{ config(materialized='table') }}

with

feature_days as (

    select
        account_id,
        feature_key,
        activity_date
    from {{ ref('int_product_feature_days_rolled_up') }}

),

period_windows_spanned as (

    select
        cadence,
        period_start,
        period_end,
        trailing_30d_start,
        spanned_period_start
    from {{ ref('int_period_windows_spanned') }}

),

account_period_ends_entitled as (

    select
        account_id,
        cadence,
        period_start,
        licensed_tier_rank
    from {{ ref('int_account_period_ends_entitled') }}

),

tiers_features_matched as (

    select
        tier_rank,
        feature_key,
        is_licensed
    from {{ ref('int_tiers_features_matched') }}

),

feature_periods as (

    -- the last day in each month and in each Monday-Sunday week on which
    -- the account used a feature (any event carrying its feature_key)
    select
        account_id,
        feature_key,
        'month' as cadence,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as spanned_period_start,
        max(activity_date) as last_used_date
    from feature_days
    group by
        account_id,
        feature_key,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date)
    union all
    select
        account_id,
        feature_key,
        'week' as cadence,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as spanned_period_start,
        max(activity_date) as last_used_date
    from feature_days
    group by
        account_id,
        feature_key,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date)

),

feature_periods_sequenced as (

    -- the next period (same cadence) in which the account used the feature
    select
        account_id,
        feature_key,
        cadence,
        spanned_period_start,
        last_used_date,
        lead(spanned_period_start) over (
            partition by account_id, feature_key, cadence
            order by spanned_period_start
        ) as next_used_period_start
    from feature_periods

),

features_in_window as (

    -- a feature is used in the trailing 30 days of a period end when its
    -- last use on or before the period end is on or after the window's
    -- first day. That last use is in the latest period with a use among
    -- those the window spans (periods are complete, so none holds a day
    -- after the period end): only that period reaches the period end, so
    -- each feature counts once without a DISTINCT over every spanned period
    -- (62 M joined rows for 31 M at 50,000 accounts)
    select
        feature_periods_sequenced.account_id,
        feature_periods_sequenced.feature_key,
        period_windows_spanned.cadence,
        period_windows_spanned.period_start
    from feature_periods_sequenced
    inner join period_windows_spanned
        on
            feature_periods_sequenced.cadence = period_windows_spanned.cadence
            and feature_periods_sequenced.spanned_period_start = period_windows_spanned.spanned_period_start
    where
        feature_periods_sequenced.last_used_date >= period_windows_spanned.trailing_30d_start
        and feature_periods_sequenced.last_used_date <= period_windows_spanned.period_end
        and (
            feature_periods_sequenced.next_used_period_start is null
            or feature_periods_sequenced.next_used_period_start > period_windows_spanned.period_start
        )

),

features_matched as (

    -- licensed or above the tier licensed on the period end (no
    -- entitlement in force: tier rank 0, every catalogue feature is above
    -- it); a feature missing from the catalogue is neither
    select
        features_in_window.account_id,
        features_in_window.cadence,
        features_in_window.period_start,
        features_in_window.feature_key,
        tiers_features_matched.is_licensed
    from features_in_window
    left join account_period_ends_entitled
        on
            features_in_window.account_id = account_period_ends_entitled.account_id
            and features_in_window.cadence = account_period_ends_entitled.cadence
            and features_in_window.period_start = account_period_ends_entitled.period_start
    left join tiers_features_matched
        on
            coalesce(account_period_ends_entitled.licensed_tier_rank, 0) = tiers_features_matched.tier_rank
            and features_in_window.feature_key = tiers_features_matched.feature_key

),

final as (

    select
        account_id,
        cadence,
        period_start,
        cast(count(case when is_licensed then feature_key end) as {{ dbt.type_bigint() }})
            as licensed_features_used_30d,
        cast(count(case when not is_licensed then feature_key end) as {{ dbt.type_bigint() }})
            as unlicensed_features_used_30d
    from features_matched
    group by
        account_id,
        cadence,
        period_start

)

select * from final
