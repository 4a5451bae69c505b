with

tiers_features_matched as (

    select
        tier_rank,
        feature_key,
        is_licensed
    from {{ ref('int_tiers_features_matched') }}

),

final as (

    select
        tier_rank,
        count(case when is_licensed then feature_key end) as licensed_features
    from tiers_features_matched
    group by tier_rank

)

select * from final
