with

survey_responses as (

    select
        month_start,
        survey_type,
        touchpoint,
        account_id,
        arr_band,
        score,
        arr_usd
    from {{ ref('int_survey_responses_weighted') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

-- a response is reported at its own ARR band and at `all`
band_levels as (

    select true as is_detailed
    union all
    select false as is_detailed

),

-- every response counts in four rows: (segment, band), (segment, all),
-- (all, band) and (all, all) (metrics.md: every segment mart carries `all`;
-- bands include `all`); the segments through the account spine, as in
-- every segment mart
responses_fanned_out as (

    select
        survey_responses.month_start,
        survey_responses.survey_type,
        survey_responses.touchpoint,
        accounts_rolled_up.segment,
        case when band_levels.is_detailed then survey_responses.arr_band else 'all' end as arr_band,
        survey_responses.score,
        survey_responses.arr_usd
    from survey_responses
    inner join accounts_rolled_up
        on survey_responses.account_id = accounts_rolled_up.account_id
    cross join band_levels

),

-- "favourable" is the share each score counts: CSAT 4-5, CES 1-3 (low
-- effort), NPS 9-10 (promoters); NPS detractors are 0-6
responses_classified as (

    select
        *,
        (survey_type = 'csat' and score >= 4)
        or (survey_type = 'ces' and score <= 3)
        or (survey_type = 'nps' and score >= 9) as is_favourable,
        survey_type = 'nps' and score <= 6 as is_detractor
    from responses_fanned_out

),

aggregated as (

    select
        month_start,
        survey_type,
        touchpoint,
        segment,
        arr_band,
        count(*) as responses,
        sum(case when arr_usd > 0 then 1 else 0 end) as responses_with_arr,
        sum(arr_usd) as arr_weight_usd,
        sum(score) as score_sum,
        count(case when is_favourable then 1 end) as favourable_responses,
        count(case when is_detractor then 1 end) as detractor_responses,
        sum(arr_usd * score) as arr_score_sum,
        sum(case when is_favourable then arr_usd else 0 end) as favourable_arr_usd,
        sum(case when is_detractor then arr_usd else 0 end) as detractor_arr_usd
    from responses_classified
    group by
        month_start,
        survey_type,
        touchpoint,
        segment,
        arr_band

),

-- response shares for the plain score, ARR shares for the weighted one;
-- the weighted score is null when the total weight is 0 (metrics.md, Experience)
scored as (

    select
        *,
        case survey_type
            when 'csat' then {{ safe_ratio('favourable_responses', 'responses') }}
            when 'ces' then {{ safe_ratio('score_sum', 'responses') }}
            when 'nps' then {{ safe_ratio('100 * (favourable_responses - detractor_responses)', 'responses') }}
        end as score,
        case survey_type
            when 'csat' then {{ safe_ratio('favourable_arr_usd', 'arr_weight_usd') }}
            when 'ces' then {{ safe_ratio('arr_score_sum', 'arr_weight_usd') }}
            -- share first, then x 100: an all-promoter row is exactly 100
            -- (100 x W / W in double precision can land on 100.00000000000001)
            when 'nps' then 100 * {{ safe_ratio('favourable_arr_usd - detractor_arr_usd', 'arr_weight_usd') }}
        end as score_arr_weighted_unclamped,
        case
            when survey_type = 'ces' then {{ safe_ratio('favourable_responses', 'responses') }}
        end as ces_low_effort_share,
        case
            when survey_type = 'ces' then {{ safe_ratio('favourable_arr_usd', 'arr_weight_usd') }}
        end as ces_low_effort_share_arr_weighted,
        case
            when survey_type = 'nps' then {{ safe_ratio('favourable_responses', 'responses') }}
        end as nps_promoter_share,
        case
            when survey_type = 'nps' then {{ safe_ratio('detractor_responses', 'responses') }}
        end as nps_detractor_share
    from aggregated

),

final as (

    select
        month_start,
        survey_type,
        touchpoint,
        segment,
        arr_band,
        cast(responses as {{ dbt.type_bigint() }}) as responses,
        cast(responses_with_arr as {{ dbt.type_bigint() }}) as responses_with_arr,
        cast(arr_weight_usd as decimal(18, 2)) as arr_weight_usd,
        cast(score as {{ type_ratio() }}) as score,
        -- a weighted mean lies between the lowest and highest score; only
        -- double rounding (7 x W / W = 7.000000000000001) can step outside
        -- the CES scale, so it is clamped to [1, 7]
        cast(
            case
                when survey_type = 'ces' and score_arr_weighted_unclamped > 7 then 7
                when survey_type = 'ces' and score_arr_weighted_unclamped < 1 then 1
                else score_arr_weighted_unclamped
            end as {{ type_ratio() }}
        ) as score_arr_weighted,
        cast(ces_low_effort_share as {{ type_ratio() }}) as ces_low_effort_share,
        cast(ces_low_effort_share_arr_weighted as {{ type_ratio() }}) as ces_low_effort_share_arr_weighted,
        cast(nps_promoter_share as {{ type_ratio() }}) as nps_promoter_share,
        cast(nps_detractor_share as {{ type_ratio() }}) as nps_detractor_share
    from scored

)

select * from final
