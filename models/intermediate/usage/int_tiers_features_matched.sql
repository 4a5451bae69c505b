{#-
    The entitlement rule of metrics.md, Usage, in one place: a catalogue
    feature is licensed for a tier when its min_tier ranks at or below the
    tier (macro tier_rank: starter 1 < growth 2 < enterprise 3). Rank 0
    stands for "no tier licensed" (no entitlement in force, or add-ons
    only), which licenses no feature, so every catalogue feature is above
    it. Readers join on (tier_rank, feature_key); a feature missing from the
    catalogue, or whose min_tier is none of the three tiers, has no row and
    is neither licensed nor above the tier.
-#}

with

features as (

    select
        feature_key,
        min_tier
    from {{ ref('stg_product__features') }}

),

tier_ranks as (

    -- no tier (0) and the three licensable tiers
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as tier_rank
    from ({{ dbt.generate_series(4) }}) as tier_numbers

),

features_ranked as (

    select
        feature_key,
        {{ tier_rank('min_tier') }} as min_tier_rank
    from features

),

final as (

    select
        tier_ranks.tier_rank,
        features_ranked.feature_key,
        features_ranked.min_tier_rank,
        features_ranked.min_tier_rank <= tier_ranks.tier_rank as is_licensed
    from tier_ranks
    cross join features_ranked
    where features_ranked.min_tier_rank is not null

)

select * from final
