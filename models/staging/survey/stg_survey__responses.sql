with

source as (

    select * from {{ csra_source('survey', 'responses') }}

),

renamed as (

    select
        -- ids
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        -- personal data stops here: only a salted hash of the address travels on
        {{ keyed_email_hash('contact_email') }} as contact_email_hash,
        survey_type,
        touchpoint,
        nullif(trim(comment), '') as comment,

        -- numbers
        cast(score as {{ dbt.type_int() }}) as score,

        -- timestamps
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at

    from source

)

select * from renamed
