with

source as (

    select * from {{ source('stripe', 'product') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as product_id,

        -- strings
        trim(name) as product_name,
        -- the project's plan attributes live in product metadata (keys:
        -- vars stripe_product_tier_metadata_key, stripe_product_pricing_model_metadata_key)
        lower(trim({{ json_text('metadata', var('stripe_product_tier_metadata_key', 'tier')) }})) as tier,
        lower(trim({{ json_text('metadata', var('stripe_product_pricing_model_metadata_key', 'pricing_model')) }}))
            as pricing_model

    from source
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
