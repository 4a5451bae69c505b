with

survey_responses as (

    select
        response_id,
        account_id,
        survey_type,
        touchpoint,
        score,
        responded_at
    from {{ ref('stg_survey__responses') }}

),

reporting_months as (

    select
        month_start,
        month_end
    from {{ ref('int_reporting_months_listed') }}

),

mrr_account_months as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

),

accounts as (

    select
        account_id,
        segment
    from {{ ref('stg_crm__accounts') }}

),

arr_bands as (

    select
        arr_band,
        lower_usd,
        upper_usd
    from {{ ref('arr_bands') }}

),

responses_answered as (

    -- a response without a score is a skipped question (raw_sources.md):
    -- legal, left out of every score and count, and counted by the warning
    -- survey_responses__score__is_skipped_question
    select *
    from survey_responses
    where score is not null

),

responses_dated as (

    select
        *,
        -- a timestamp is dated by its UTC calendar date (metrics.md, Precision and grids)
        cast(responded_at as date) as response_date,
        cast({{ dbt.date_trunc('month', 'responded_at') }} as date) as month_start
    from responses_answered

),

-- marts cover complete months only: a response in the month that is still
-- open on as_of_date (and so any response after as_of_date) is left out,
-- as is one before the first month with any MRR (metrics.md, Reporting window)
responses_in_window as (

    select
        responses_dated.response_id,
        responses_dated.account_id,
        responses_dated.survey_type,
        responses_dated.touchpoint,
        responses_dated.score,
        responses_dated.responded_at,
        responses_dated.response_date,
        responses_dated.month_start
    from responses_dated
    inner join reporting_months
        on responses_dated.month_start = reporting_months.month_start

),

-- ARR of a response = 12 x the account's MRR at the end of the response's
-- month; no MRR row means MRR 0 (metrics.md, Experience)
responses_with_arr as (

    select
        responses_in_window.response_id,
        responses_in_window.account_id,
        responses_in_window.survey_type,
        responses_in_window.touchpoint,
        responses_in_window.score,
        responses_in_window.responded_at,
        responses_in_window.response_date,
        responses_in_window.month_start,
        cast(12 * coalesce(mrr_account_months.mrr_usd, 0) as decimal(18, 2)) as arr_usd
    from responses_in_window
    left join mrr_account_months
        on
            responses_in_window.account_id = mrr_account_months.account_id
            and responses_in_window.month_start = mrr_account_months.month_start

),

final as (

    select
        responses_with_arr.response_id,
        responses_with_arr.account_id,
        accounts.segment,
        responses_with_arr.survey_type,
        responses_with_arr.touchpoint,
        responses_with_arr.score,
        responses_with_arr.arr_usd,
        arr_bands.arr_band,
        responses_with_arr.month_start,
        responses_with_arr.response_date,
        responses_with_arr.responded_at
    from responses_with_arr
    -- left joins: an orphan response keeps a null segment and fails the
    -- not_null test instead of vanishing
    left join accounts
        on responses_with_arr.account_id = accounts.account_id
    -- bands are lower-edge inclusive: 10000.00 is 10k-50k
    left join arr_bands
        on
            responses_with_arr.arr_usd >= arr_bands.lower_usd
            and (arr_bands.upper_usd is null or responses_with_arr.arr_usd < arr_bands.upper_usd)

)

select * from final
