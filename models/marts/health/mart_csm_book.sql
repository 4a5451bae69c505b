{%- set unassigned = 'unassigned' -%}

with

reporting_months as (

    select
        month_start,
        month_end
    from {{ ref('int_reporting_months_listed') }}

),

accounts as (

    select
        account_id,
        csm_user_id
    from {{ ref('dim_accounts') }}

),

mrr_account_months as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

),

t12m_cohort as (

    select
        account_id,
        month_start,
        base_mrr,
        current_mrr,
        retained_mrr
    from {{ ref('int_mrr_t12m_cohorts_formed') }}

),

account_health as (

    select
        account_id,
        week_start,
        week_end,
        health_score,
        health_band
    from {{ ref('fct_account_health') }}

),

books as (

    -- the book is the CSM's current accounts (the CRM keeps no assignment
    -- history); accounts without a CSM form the book `{{ unassigned }}`
    select
        account_id,
        coalesce(csm_user_id, '{{ unassigned }}') as csm_user_id
    from accounts

),

csms as (

    select distinct csm_user_id
    from books

),

csm_month_grid as (

    select
        csms.csm_user_id,
        reporting_months.month_start,
        reporting_months.month_end
    from csms
    cross join reporting_months

),

book_mrr as (

    select
        books.csm_user_id,
        mrr_account_months.month_start,
        count(*) as accounts,
        sum(mrr_account_months.mrr_usd) as mrr_usd
    from mrr_account_months
    inner join books
        on mrr_account_months.account_id = books.account_id
    group by
        books.csm_user_id,
        mrr_account_months.month_start

),

book_t12m as (

    -- NRR/GRR T12M over the book: cohort = the book's accounts with
    -- MRR(M-12) > 0 (metrics.md, Revenue retention)
    select
        books.csm_user_id,
        t12m_cohort.month_start,
        sum(t12m_cohort.base_mrr) as t12m_base_mrr,
        sum(t12m_cohort.current_mrr) as t12m_current_mrr,
        sum(t12m_cohort.retained_mrr) as t12m_retained_mrr
    from t12m_cohort
    inner join books
        on t12m_cohort.account_id = books.account_id
    group by
        books.csm_user_id,
        t12m_cohort.month_start

),

month_last_weeks as (

    -- health mix as of the last complete week that ends inside the month
    select
        reporting_months.month_start,
        max(account_health.week_start) as week_start
    from reporting_months
    inner join account_health
        on
            reporting_months.month_start <= account_health.week_end
            and reporting_months.month_end >= account_health.week_end
    group by reporting_months.month_start

),

book_health as (

    select
        books.csm_user_id,
        month_last_weeks.month_start,
        count(*) as health_scored_accounts,
        sum(case when account_health.health_band = 'red' then 1 else 0 end) as red_accounts,
        sum(case when account_health.health_band = 'yellow' then 1 else 0 end) as yellow_accounts,
        sum(case when account_health.health_band = 'green' then 1 else 0 end) as green_accounts,
        -- the exact decimal sum divided once: a float average would depend on
        -- the summation order (last-bit noise between runs and engines), and
        -- avg of a decimal keeps only scale + 4 digits on Spark
        {{ safe_ratio('sum(account_health.health_score)', 'count(account_health.health_score)') }}
            as avg_health_score
    from month_last_weeks
    inner join account_health
        on month_last_weeks.week_start = account_health.week_start
    inner join books
        on account_health.account_id = books.account_id
    group by
        books.csm_user_id,
        month_last_weeks.month_start

),

-- every CSM's book in every reporting month, zero where it had nothing
book_months_dense as (

    {{ zero_filled_on('csm_month_grid', ['csm_user_id', 'month_start'], {
        'book_mrr': {dbt.type_bigint(): ['accounts'], 'decimal(18, 2)': ['mrr_usd']},
        'book_t12m': {'decimal(18, 2)': ['t12m_base_mrr', 't12m_current_mrr', 't12m_retained_mrr']},
        'book_health': {
            dbt.type_bigint(): ['health_scored_accounts', 'red_accounts', 'yellow_accounts', 'green_accounts'],
            none: ['avg_health_score'],
        },
    }) }}

),

final as (

    select
        csm_user_id,
        month_start,
        accounts,
        mrr_usd,
        cast(mrr_usd * 12 as decimal(18, 2)) as arr_usd,
        t12m_base_mrr,
        t12m_current_mrr,
        {{ safe_ratio('t12m_current_mrr', 't12m_base_mrr') }} as nrr_t12m,
        {{ safe_ratio('t12m_retained_mrr', 't12m_base_mrr') }} as grr_t12m,
        health_scored_accounts,
        red_accounts,
        yellow_accounts,
        green_accounts,
        {{ safe_ratio('red_accounts', 'health_scored_accounts') }} as red_account_share,
        {{ safe_ratio('yellow_accounts', 'health_scored_accounts') }} as yellow_account_share,
        {{ safe_ratio('green_accounts', 'health_scored_accounts') }} as green_account_share,
        cast(avg_health_score as {{ type_ratio() }}) as avg_health_score
    from book_months_dense

)

select * from final
