{#-
    Stripe amounts are integers in the currency's minor unit: 1000 is 10.00
    USD but 1,000 yen, because JPY (like the other zero-decimal currencies
    below) has no minor unit. Returns the amount in major units as an exact
    decimal(18,2). The lists follow Stripe's currency documentation; the
    three-decimal currencies (BHD, JOD, KWD, OMR, TND) are divided by 1000,
    which decimal(18,2) can hold only because Stripe requires their amounts
    to be multiples of 10. Override the var stripe_zero_decimal_currencies
    if Stripe adds one.
-#}
{% macro stripe_minor_to_major(amount, currency) -%}
    {%- set zero_decimal = var('stripe_zero_decimal_currencies', [
        'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA',
        'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']) -%}
    {%- set three_decimal = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'] -%}
    cast(
        cast({{ amount }} as decimal(38, 3))
        / case
            when upper({{ currency }}) in ('{{ zero_decimal | join("', '") }}') then 1
            when upper({{ currency }}) in ('{{ three_decimal | join("', '") }}') then 1000
            else 100
        end
        as decimal(18, 2)
    )
{%- endmacro %}
