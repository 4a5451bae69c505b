{#- A table, not a view like the rest of the folder: the monthly usage mart,
    the health usage component, fct_expansion_signals and
    int_account_period_ends_features_used all read it, and as a view each
    would repeat the range join of every entitlement phase to every week. -#}
{{ config(materialized='table') }}

with

period_ends as (

    select
        cadence,
        period_start,
        period_end
    from {{ ref('int_period_ends_listed') }}

),

entitlements as (

    select
        account_id,
        valid_from,
        valid_to,
        licensed_tier,
        licensed_tier_rank,
        licensed_seats
    from {{ ref('int_account_entitlements_phased') }}

),

tiers_features_counted as (

    select
        tier_rank,
        licensed_features
    from {{ ref('int_tiers_features_counted') }}

),

entitlements_at_period_end as (

    -- what the account is licensed for on the period's last day (phases in
    -- force then, the same instant MRR is measured on: metrics.md, Usage)
    select
        entitlements.account_id,
        period_ends.cadence,
        period_ends.period_start,
        period_ends.period_end,
        entitlements.licensed_tier,
        entitlements.licensed_tier_rank,
        entitlements.licensed_seats
    from period_ends
    inner join entitlements
        on {{ is_in_force_on('period_ends.period_end', 'entitlements') }}

),

final as (

    select
        entitlements_at_period_end.account_id,
        entitlements_at_period_end.cadence,
        entitlements_at_period_end.period_start,
        entitlements_at_period_end.period_end,
        entitlements_at_period_end.licensed_tier,
        entitlements_at_period_end.licensed_tier_rank,
        entitlements_at_period_end.licensed_seats,
        -- no tier (add-ons only) licenses no feature
        cast(coalesce(tiers_features_counted.licensed_features, 0) as {{ dbt.type_bigint() }}) as licensed_features
    from entitlements_at_period_end
    left join tiers_features_counted
        on coalesce(entitlements_at_period_end.licensed_tier_rank, 0) = tiers_features_counted.tier_rank

)

select * from final
