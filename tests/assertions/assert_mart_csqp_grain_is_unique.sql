-- mart_csqp is one row per month x segment x csm x signal, and csm_user_id
-- is null for accounts without a CSM: the generic key test skips keys with a
-- null, so the grain is checked here with null grouped as a value (group by
-- treats nulls as equal).
select
    month_start,
    segment,
    csm_user_id,
    origin_signal,
    count(*) as row_count
from {{ ref('mart_csqp') }}
group by
    month_start,
    segment,
    csm_user_id,
    origin_signal
having count(*) > 1
