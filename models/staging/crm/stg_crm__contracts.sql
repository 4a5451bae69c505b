with

source as (

    select * from {{ csra_source('crm', 'contracts') }}

),

renamed as (

    select
        -- ids
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        contract_type,
        upper(trim(currency)) as currency,

        -- numbers
        cast(arr_amount as decimal(18, 2)) as arr_amount,

        -- dates (end_date is exclusive)
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,

        -- timestamps
        cast(signed_at as {{ dbt.type_timestamp() }}) as signed_at

    from source

)

select * from renamed
