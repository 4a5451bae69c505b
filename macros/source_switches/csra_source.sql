{#-
    The one place a staging model's `source` CTE gets its relation from
    (`select * from {{ csra_source('crm', 'cases') }}`), so two switches live
    in one macro instead of in every staging model:

    1. billing_source (var, default `contract`): with `stripe` the five
       contract billing tables are not read; the staging models read the
       intermediate models that rebuild exactly those contract tables from
       the Fivetran Stripe tables (models/intermediate/billing_stripe/), and
       every model downstream of staging stays unchanged. The contract source
       tables (and their bad-input tests) are disabled in that mode; the
       Stripe tables carry their own tests.
    2. csra__using_<system> (vars, default true): a company without that
       system gets an empty relation with exactly the contract's columns and
       types, so every mart still builds, dense with zeros and null rates.
       The matching source table is disabled too (its tests need the table).
-#}
{% macro csra_source(source_name, table_name) -%}
    {%- set stripe_model = csra_stripe_contract_models().get(table_name) -%}
    {%- if source_name == 'billing' and stripe_model and csra_billing_source() == 'stripe' -%}
        {{ ref(stripe_model) }}
    {%- elif not csra_source_is_used(source_name, table_name) -%}
        ({{ csra_empty_relation(source_name, table_name) }}) as {{ source_name }}_{{ table_name }}_not_used
    {%- else -%}
        {{ source(source_name, table_name) }}
    {%- endif -%}
{%- endmacro %}


{#- Which billing system the contract billing tables come from: contract or stripe. -#}
{% macro csra_billing_source() -%}
    {%- set billing_source = var('billing_source', 'contract') | trim | lower -%}
    {%- if billing_source not in ['contract', 'stripe'] -%}
        {{ exceptions.raise_compiler_error(
            "var billing_source must be 'contract' or 'stripe', got '" ~ billing_source ~ "'") }}
    {%- endif -%}
    {{ return(billing_source) }}
{%- endmacro %}


{#- Contract billing table -> the intermediate model that rebuilds it from Stripe. -#}
{% macro csra_stripe_contract_models() -%}
    {{ return({
        'customers': 'int_stripe_customers_linked',
        'plans': 'int_stripe_prices_planned',
        'subscriptions': 'int_stripe_subscriptions_mapped',
        'subscription_items': 'int_stripe_subscription_items_phased',
        'invoices': 'int_stripe_invoices_mapped',
    }) }}
{%- endmacro %}


{#-
    The switch (var) of each optional raw table. Tables not listed (billing,
    crm accounts and users) are always read: MRR needs billing and the CRM
    account every customer bills for.
-#}
{% macro csra_optional_source_switches() -%}
    {{ return({
        'survey.responses': 'csra__using_survey',
        'product.events': 'csra__using_product_events',
        'product.features': 'csra__using_product_events',
        'crm.opportunities': 'csra__using_crm_opportunities',
        'crm.contracts': 'csra__using_crm_contracts',
        'crm.cases': 'csra__using_crm_cases',
        'crm.activities': 'csra__using_crm_activities',
        'crm.onboarding_milestones': 'csra__using_crm_onboarding_milestones',
    }) }}
{%- endmacro %}


{% macro csra_source_is_used(source_name, table_name) -%}
    {%- set switch = csra_optional_source_switches().get(source_name ~ '.' ~ table_name) -%}
    {%- if switch is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set value = var(switch, true) -%}
    {#- --vars on the command line may deliver the string 'false' -#}
    {{ return(value not in [false, 'false', 'False', 0, '0']) }}
{%- endmacro %}


{#-
    A zero-row relation with the raw contract's columns and types of an
    optional table (csra/raw_schema.py holds the same list for the
    generator; tests/python/test_csra_source_switches.py keeps them equal).
-#}
{% macro csra_empty_relation(source_name, table_name) -%}
    {%- set columns = csra_optional_source_columns()[source_name ~ '.' ~ table_name] -%}
    select
    {%- for column_name, data_type in columns %}
        cast(null as {{ contract_data_type(data_type) }}) as {{ column_name }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{%- endmacro %}


{% macro csra_optional_source_columns() -%}
    {{ return({
        'survey.responses': [
            ['response_id', 'varchar'], ['account_id', 'varchar'], ['contact_email', 'varchar'],
            ['survey_type', 'varchar'], ['touchpoint', 'varchar'], ['score', 'integer'],
            ['responded_at', 'timestamp'], ['comment', 'varchar'],
        ],
        'product.features': [
            ['feature_key', 'varchar'], ['feature_name', 'varchar'], ['min_tier', 'varchar'],
            ['is_core_workflow', 'boolean'],
        ],
        'product.events': [
            ['event_id', 'varchar'], ['account_id', 'varchar'], ['user_id', 'varchar'],
            ['event_name', 'varchar'], ['feature_key', 'varchar'], ['occurred_at', 'timestamp'],
            ['loaded_at', 'timestamp'],
        ],
        'crm.contracts': [
            ['contract_id', 'varchar'], ['account_id', 'varchar'], ['contract_type', 'varchar'],
            ['signed_at', 'timestamp'], ['start_date', 'date'], ['end_date', 'date'],
            ['arr_amount', 'decimal(18,2)'], ['currency', 'varchar'],
        ],
        'crm.opportunities': [
            ['opportunity_id', 'varchar'], ['account_id', 'varchar'], ['opportunity_type', 'varchar'],
            ['stage', 'varchar'], ['amount_arr', 'decimal(18,2)'], ['currency', 'varchar'],
            ['created_at', 'timestamp'], ['created_by_user_id', 'varchar'], ['owner_user_id', 'varchar'],
            ['origin', 'varchar'], ['origin_signal', 'varchar'], ['qualified_at', 'timestamp'],
            ['closed_at', 'timestamp'],
        ],
        'crm.onboarding_milestones': [
            ['account_id', 'varchar'], ['milestone_key', 'varchar'], ['target_date', 'date'],
            ['completed_at', 'timestamp'],
        ],
        'crm.cases': [
            ['case_id', 'varchar'], ['account_id', 'varchar'], ['opened_at', 'timestamp'],
            ['first_response_at', 'timestamp'], ['resolved_at', 'timestamp'], ['priority', 'varchar'],
            ['is_escalated', 'boolean'],
        ],
        'crm.activities': [
            ['activity_id', 'varchar'], ['account_id', 'varchar'], ['user_id', 'varchar'],
            ['activity_type', 'varchar'], ['occurred_at', 'timestamp'],
        ],
    }) }}
{%- endmacro %}
