-- Why: a response's ARR band is found by lower_usd <= arr < upper_usd; a gap
-- or overlap in the arr_bands seed would drop a response or count it twice in
-- mart_experience. The bands must start at 0, each upper edge must be the
-- next band's lower edge, and only the last band may be open.
with

arr_bands as (

    select
        arr_band,
        lower_usd,
        upper_usd,
        band_order
    from {{ ref('arr_bands') }}

),

bands_with_next as (

    select
        arr_band,
        lower_usd,
        upper_usd,
        band_order,
        lead(lower_usd) over (order by band_order) as next_lower_usd,
        min(band_order) over () as first_band_order
    from arr_bands

),

final as (

    select
        arr_band,
        lower_usd,
        upper_usd,
        next_lower_usd
    from bands_with_next
    where
        (band_order = first_band_order and lower_usd <> 0)
        or (next_lower_usd is null and upper_usd is not null)
        or (next_lower_usd is not null and (upper_usd is null or upper_usd <> next_lower_usd))
        or lower_usd >= coalesce(upper_usd, lower_usd + 1)

)

select * from final
