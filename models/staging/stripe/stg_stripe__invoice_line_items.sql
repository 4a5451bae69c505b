with

source as (

    select * from {{ source('stripe', 'invoice_line_item') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as invoice_line_item_id,
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(subscription_item_id as {{ dbt.type_string() }}) as subscription_item_id,
        cast(price_id as {{ dbt.type_string() }}) as price_id,

        -- strings
        lower(trim(type)) as line_type,
        upper(trim(currency)) as currency,

        -- booleans
        coalesce(proration, false) as is_proration,

        -- numbers: minor units -> major units
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        {{ stripe_minor_to_major('amount', 'currency') }} as amount,

        -- the billed service period [period_start, period_end), as dates
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end

    from source
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
