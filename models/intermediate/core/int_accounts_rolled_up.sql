{#-
    The one way every mart builds its `all` rows: each account once in its
    own (current CRM) segment and once in `all`, as the segment_rollup seed
    maps them. A mart joins its facts to this spine on account_id and
    groups by its segment, so the three segments add up to `all` by
    construction (tested by parts_add_up_to_all on each mart).
-#}

with

accounts as (

    select
        account_id,
        segment
    from {{ ref('stg_crm__accounts') }}

),

segment_rollup as (

    select
        segment,
        reporting_segment
    from {{ ref('segment_rollup') }}

),

final as (

    select
        accounts.account_id,
        segment_rollup.reporting_segment as segment
    from accounts
    inner join segment_rollup
        on accounts.segment = segment_rollup.segment

)

select * from final
