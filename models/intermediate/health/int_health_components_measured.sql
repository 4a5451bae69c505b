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

nps_responses as (

    select account_id
    from survey_responses
    where survey_type = 'nps'

),

new_contracts as (

    select contract_type
    from contracts
    where contract_type = 'new'

),

final as (

    -- whether each system has any row at all
    select
        (select count(*) from product_events) > 0 as is_usage_measured,
        (select count(*) from cases) > 0 as is_support_measured,
        (select count(*) from activities) + (select count(*) from survey_responses) > 0 as is_engagement_measured,
        (select count(*) from invoices) > 0 as is_payment_measured,
        (select count(*) from nps_responses) > 0 as is_relationship_measured,
        -- the time-to-value clock starts at a `new` contract (metrics.md,
        -- Time to value): without any, whether an account is still
        -- onboarding is unknown
        (select count(*) from new_contracts) > 0 as is_first_value_measured

)

select * from final
