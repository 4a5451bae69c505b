-- mart_csqp's 'all' rows are per month, csm and signal across segments, so
-- for each (month, csm, signal) the segment rows must add up to the 'all'
-- row exactly: counts, and ARR rounded per opportunity before summing.
-- Null csm_user_id (no CSM) is matched as a value.
with

csqp as (

    select * from {{ ref('mart_csqp') }}

),

segments_summed as (

    select
        month_start,
        csm_user_id,
        origin_signal,
        sum(opportunities_created) as opportunities_created,
        sum(arr_created) as arr_created,
        sum(opportunities_qualified) as opportunities_qualified,
        sum(opportunities_won) as opportunities_won,
        sum(arr_won) as arr_won,
        sum(opportunities_lost) as opportunities_lost,
        sum(opportunities_open) as opportunities_open
    from csqp
    where segment != 'all'
    group by
        month_start,
        csm_user_id,
        origin_signal

),

all_rows as (

    select * from csqp
    where segment = 'all'

),

final as (

    select
        coalesce(all_rows.month_start, segments_summed.month_start) as month_start,
        coalesce(all_rows.csm_user_id, segments_summed.csm_user_id) as csm_user_id,
        coalesce(all_rows.origin_signal, segments_summed.origin_signal) as origin_signal,
        all_rows.opportunities_created as all_created,
        segments_summed.opportunities_created as segments_created
    from all_rows
    full outer join segments_summed
        on
            all_rows.month_start = segments_summed.month_start
            and all_rows.origin_signal = segments_summed.origin_signal
            and (
                all_rows.csm_user_id = segments_summed.csm_user_id
                or (all_rows.csm_user_id is null and segments_summed.csm_user_id is null)
            )
    where
        all_rows.month_start is null
        or segments_summed.month_start is null
        or all_rows.opportunities_created != segments_summed.opportunities_created
        or all_rows.arr_created != segments_summed.arr_created
        or all_rows.opportunities_qualified != segments_summed.opportunities_qualified
        or all_rows.opportunities_won != segments_summed.opportunities_won
        or all_rows.arr_won != segments_summed.arr_won
        or all_rows.opportunities_lost != segments_summed.opportunities_lost
        or all_rows.opportunities_open != segments_summed.opportunities_open

)

select * from final
