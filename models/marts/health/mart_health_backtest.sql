{%- set horizon_days = 90 -%}

with

account_health as (

    select
        account_id,
        week_start,
        week_end,
        health_band
    from {{ ref('fct_account_health') }}

),

mrr_movements as (

    select
        account_id,
        month_start,
        movement_type
    from {{ ref('fct_mrr_movements') }}

),

health_bands as (

    select 'red' as health_band
    union all
    select 'yellow' as health_band
    union all
    select 'green' as health_band

),

churn_dates as (

    -- MRR is measured on month ends, so a churn movement of month M happens
    -- on M's last day (metrics.md, MRR movements)
    select
        account_id,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as churned_on
    from mrr_movements
    where movement_type = 'churn'

),

observable_weeks as (

    -- only weeks whose whole {{ horizon_days }}-day horizon lies on or before
    -- as_of_date: a later horizon is still open, and counting it would read
    -- "not churned yet" as "did not churn"
    select distinct
        week_start,
        week_end
    from account_health
    where {{ dbt.dateadd('day', horizon_days, 'week_end') }} <= {{ as_of_date() }}

),

account_weeks_followed as (

    select
        account_health.account_id,
        account_health.week_start,
        account_health.health_band,
        max(
            case
                when
                    churn_dates.churned_on > account_health.week_end
                    and churn_dates.churned_on <= {{ dbt.dateadd('day', horizon_days, 'account_health.week_end') }}
                    then 1
                else 0
            end
        ) as has_churned_within_90d
    from account_health
    inner join observable_weeks
        on account_health.week_start = observable_weeks.week_start
    left join churn_dates
        on account_health.account_id = churn_dates.account_id
    group by
        account_health.account_id,
        account_health.week_start,
        account_health.health_band

),

band_weeks as (

    select
        week_start,
        health_band,
        count(*) as accounts,
        sum(has_churned_within_90d) as churned_within_90d
    from account_weeks_followed
    group by
        week_start,
        health_band

),

week_band_grid as (

    select
        observable_weeks.week_start,
        observable_weeks.week_end,
        health_bands.health_band
    from observable_weeks
    cross join health_bands

),

-- a week x band with no account counts 0
band_weeks_dense as (

    {{ zero_filled_on('week_band_grid', ['week_start', 'health_band'], {
        'band_weeks': {dbt.type_bigint(): ['accounts', 'churned_within_90d']},
    }, spine_columns=['week_end']) }}

),

final as (

    select
        week_start,
        week_end,
        health_band,
        accounts,
        churned_within_90d,
        {{ safe_ratio('churned_within_90d', 'accounts') }} as churn_rate_90d
    from band_weeks_dense

)

select * from final
