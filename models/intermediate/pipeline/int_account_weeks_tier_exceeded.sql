with

feature_days as (

    select
        account_id,
        feature_key,
        activity_date
    from {{ ref('int_product_feature_days_rolled_up') }}

),

features as (

    select
        feature_key,
        min_tier
    from {{ ref('stg_product__features') }}

),

entitlements as (

    select
        account_id,
        valid_from,
        valid_to,
        licensed_tier_rank
    from {{ ref('int_account_entitlements_phased') }}

),

feature_days_in_scope as (

    -- an event after as_of_date has not happened yet
    select
        account_id,
        feature_key,
        activity_date
    from feature_days
    where activity_date <= {{ as_of_date() }}

),

feature_days_licensed as (

    -- each use is compared with the tier licensed on the day of use; a day
    -- with no entitlement in force licenses no tier and raises no signal
    select
        feature_days_in_scope.account_id,
        feature_days_in_scope.feature_key,
        feature_days_in_scope.activity_date,
        {{ tier_rank('features.min_tier') }} as feature_tier_rank,
        entitlements.licensed_tier_rank
    from feature_days_in_scope
    inner join features
        on feature_days_in_scope.feature_key = features.feature_key
    inner join entitlements
        on
            feature_days_in_scope.account_id = entitlements.account_id
            and {{ is_in_force_on('feature_days_in_scope.activity_date', 'entitlements') }}

),

feature_days_above_tier as (

    select
        account_id,
        feature_key,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as week_start
    from feature_days_licensed
    where feature_tier_rank > licensed_tier_rank

),

final as (

    select
        account_id,
        week_start,
        count(distinct feature_key) as features_above_tier
    from feature_days_above_tier
    -- only complete weeks are measured
    where cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) <= {{ as_of_date() }}
    group by
        account_id,
        week_start

)

select * from final
