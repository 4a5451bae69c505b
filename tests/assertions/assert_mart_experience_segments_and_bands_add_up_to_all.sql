-- Why: every response counts in four rows of mart_experience, (segment,
-- band), (segment, all), (all, band) and (all, all). If the fan-out ever
-- drops or doubles a response, the `all` rows stop being the sum of their
-- parts. Responses and ARR weight must add up across segments (per band)
-- and across bands (per segment), exactly.
with

experience as (

    select
        month_start,
        survey_type,
        touchpoint,
        segment,
        arr_band,
        responses,
        arr_weight_usd
    from {{ ref('mart_experience') }}

),

by_segment as (

    select
        month_start,
        survey_type,
        touchpoint,
        arr_band,
        sum(case when segment <> 'all' then responses else 0 end) as parts_responses,
        sum(case when segment = 'all' then responses else 0 end) as all_responses,
        sum(case when segment <> 'all' then arr_weight_usd else 0 end) as parts_arr_usd,
        sum(case when segment = 'all' then arr_weight_usd else 0 end) as all_arr_usd
    from experience
    group by
        month_start,
        survey_type,
        touchpoint,
        arr_band

),

by_band as (

    select
        month_start,
        survey_type,
        touchpoint,
        segment,
        sum(case when arr_band <> 'all' then responses else 0 end) as parts_responses,
        sum(case when arr_band = 'all' then responses else 0 end) as all_responses,
        sum(case when arr_band <> 'all' then arr_weight_usd else 0 end) as parts_arr_usd,
        sum(case when arr_band = 'all' then arr_weight_usd else 0 end) as all_arr_usd
    from experience
    group by
        month_start,
        survey_type,
        touchpoint,
        segment

),

final as (

    select
        'segments' as rollup,
        month_start,
        survey_type,
        touchpoint,
        arr_band as fixed_dimension,
        parts_responses,
        all_responses
    from by_segment
    where parts_responses <> all_responses or parts_arr_usd <> all_arr_usd

    union all

    select
        'bands' as rollup,
        month_start,
        survey_type,
        touchpoint,
        segment as fixed_dimension,
        parts_responses,
        all_responses
    from by_band
    where parts_responses <> all_responses or parts_arr_usd <> all_arr_usd

)

select * from final
