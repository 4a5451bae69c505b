{#-
    Which health components the company's systems can measure at all. A
    company without product analytics, a support desk, CS touchpoints and
    surveys, invoices or NPS surveys (raw_sources.md: any table may be
    empty) has no data for that component; scoring it would turn "unknown"
    into a zero or a perfect score for every account (issue 13: a
    billing-only company had every account red and routed to retention).
-#}

with

product_events as (

    select account_id
    from {{ ref('stg_product__events') }}

),

cases as (

    select account_id
    from {{ ref('stg_crm__cases') }}

),

activities as (

    select account_id
    from {{ ref('stg_crm__activities') }}

),

survey_responses as (

    select
        account_id,
        survey_type
    from {{ ref('stg_survey__responses') }}

),

invoices as (

    select customer_id
    from {{ ref('stg_billing__invoices') }}

),

contracts as (

    select contract_type
    from {{ ref('stg_crm__contracts') }}

),

usage_measured as (

    select count(*) > 0 as is_usage_measured
    from product_events

),

support_measured as (

    select count(*) > 0 as is_support_measured
    from cases

),

engagement_measured as (

    select count(*) > 0 as is_engagement_measured
    from (
        select account_id from activities
        union all
        select account_id from survey_responses
    ) as touches

),

payment_measured as (

    select count(*) > 0 as is_payment_measured
    from invoices

),

relationship_measured as (

    select count(*) > 0 as is_relationship_measured
    from survey_responses
    where survey_type = 'nps'

),

first_value_measured as (

    -- the time-to-value clock starts at a `new` contract (metrics.md, Time
    -- to value): without any, whether an account is still onboarding is
    -- unknown
    select count(*) > 0 as is_first_value_measured
    from contracts
    where contract_type = 'new'

),

final as (

    select
        usage_measured.is_usage_measured,
        support_measured.is_support_measured,
        engagement_measured.is_engagement_measured,
        payment_measured.is_payment_measured,
        relationship_measured.is_relationship_measured,
        first_value_measured.is_first_value_measured
    from usage_measured
    cross join support_measured
    cross join engagement_measured
    cross join payment_measured
    cross join relationship_measured
    cross join first_value_measured

)

select * from final
