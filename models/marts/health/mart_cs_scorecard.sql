with

account_health as (

    select
        account_id,
        week_start,
        health_score,
        health_band
    from {{ ref('fct_account_health') }}

),

revenue_retention as (

    select
        month_start,
        segment,
        grr_t12m,
        nrr_t12m
    from {{ ref('mart_revenue_retention') }}

),

churn as (

    select
        month_start,
        segment,
        logo_churn_rate
    from {{ ref('mart_churn') }}

),

experience as (

    select
        month_start,
        survey_type,
        touchpoint,
        segment,
        arr_band,
        score
    from {{ ref('mart_experience') }}

),

ttv_cohorts as (

    select
        cohort_month,
        segment,
        median_ttv_days
    from {{ ref('mart_ttv_cohorts') }}

),

support_efficiency as (

    select
        month_start,
        segment,
        escalation_rate,
        median_first_response_hours
    from {{ ref('mart_support_efficiency') }}

),

benchmark_bands as (

    select
        metric,
        segment,
        benchmark_low,
        benchmark_high
    from {{ ref('cs_benchmark_bands') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

health_by_week_segment as (

    select
        account_health.week_start,
        accounts_rolled_up.segment,
        count(*) as accounts,
        -- the exact decimal sum divided once: a float average would depend on
        -- the summation order (last-bit noise between runs and engines), and
        -- avg of a decimal keeps only scale + 4 digits on Spark
        {{ safe_ratio('sum(account_health.health_score)', 'count(account_health.health_score)') }}
            as avg_health_score,
        sum(case when account_health.health_band = 'red' then 1 else 0 end) as red_accounts,
        sum(case when account_health.health_band = 'green' then 1 else 0 end) as green_accounts
    from account_health
    inner join accounts_rolled_up
        on account_health.account_id = accounts_rolled_up.account_id
    group by
        account_health.week_start,
        accounts_rolled_up.segment

),

-- weekly leading metrics: where accounts stand now
leading_metrics as (

    select
        'avg_health_score' as metric,
        week_start as period_start,
        segment,
        cast(avg_health_score as {{ type_ratio() }}) as metric_value
    from health_by_week_segment

    union all

    select
        'red_account_share' as metric,
        week_start as period_start,
        segment,
        {{ safe_ratio('red_accounts', 'accounts') }} as metric_value
    from health_by_week_segment

    union all

    select
        'green_account_share' as metric,
        week_start as period_start,
        segment,
        {{ safe_ratio('green_accounts', 'accounts') }} as metric_value
    from health_by_week_segment

),

-- monthly lagging metrics: outcomes of complete months
lagging_metrics as (

    select
        'grr_t12m' as metric,
        month_start as period_start,
        segment,
        grr_t12m as metric_value
    from revenue_retention

    union all

    select
        'nrr_t12m' as metric,
        month_start as period_start,
        segment,
        nrr_t12m as metric_value
    from revenue_retention

    union all

    select
        'logo_churn_rate' as metric,
        month_start as period_start,
        segment,
        logo_churn_rate as metric_value
    from churn

    union all

    -- company NPS is the relationship survey; CSAT is the support survey
    select
        'nps' as metric,
        month_start as period_start,
        segment,
        score as metric_value
    from experience
    where survey_type = 'nps' and touchpoint = 'relationship' and arr_band = 'all'

    union all

    select
        'csat' as metric,
        month_start as period_start,
        segment,
        score as metric_value
    from experience
    where survey_type = 'csat' and touchpoint = 'support' and arr_band = 'all'

    union all

    select
        'median_ttv_days' as metric,
        cohort_month as period_start,
        segment,
        cast(median_ttv_days as {{ type_ratio() }}) as metric_value
    from ttv_cohorts

    union all

    select
        'escalation_rate' as metric,
        month_start as period_start,
        segment,
        escalation_rate as metric_value
    from support_efficiency

    union all

    select
        'median_first_response_hours' as metric,
        month_start as period_start,
        segment,
        median_first_response_hours as metric_value
    from support_efficiency

),

metrics_long as (

    select
        metric,
        'weekly' as cadence,
        period_start,
        segment,
        metric_value
    from leading_metrics

    union all

    select
        metric,
        'monthly' as cadence,
        period_start,
        segment,
        metric_value
    from lagging_metrics

),

metrics_measured as (

    -- a period without a value (no denominator, no responses) has nothing
    -- to compare: it is left out rather than published as a null row
    select
        metric,
        cadence,
        period_start,
        segment,
        metric_value
    from metrics_long
    where metric_value is not null

),

metrics_benchmarked as (

    -- the segment's own band when the seed has one, else the `all` band
    select
        metrics_measured.metric,
        metrics_measured.cadence,
        metrics_measured.period_start,
        metrics_measured.segment,
        metrics_measured.metric_value,
        case
            when segment_band.metric is not null then segment_band.benchmark_low
            else company_band.benchmark_low
        end as benchmark_low,
        case
            when segment_band.metric is not null then segment_band.benchmark_high
            else company_band.benchmark_high
        end as benchmark_high,
        coalesce(segment_band.segment, company_band.segment) as benchmark_segment
    from metrics_measured
    left join benchmark_bands as segment_band
        on
            metrics_measured.metric = segment_band.metric
            and metrics_measured.segment = segment_band.segment
    left join benchmark_bands as company_band
        on
            metrics_measured.metric = company_band.metric
            and company_band.segment = 'all'

),

final as (

    select
        metric,
        cadence,
        period_start,
        segment,
        cast(metric_value as {{ type_ratio() }}) as value,
        cast(benchmark_low as {{ type_ratio() }}) as benchmark_low,
        cast(benchmark_high as {{ type_ratio() }}) as benchmark_high,
        benchmark_segment,
        -- both edges inclusive; a missing edge is unbounded
        case
            when benchmark_segment is null then null
            when metric_value < benchmark_low then 'below'
            when metric_value > benchmark_high then 'above'
            else 'within'
        end as status
    from metrics_benchmarked

)

select * from final
