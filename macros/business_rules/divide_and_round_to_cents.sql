{#-
    Exact `round(numerator / divisor, 2)`, half away from zero, for an exact
    decimal numerator and a positive integer divisor, with integer
    arithmetic only (issue 15: exact for every amount the money type
    decimal(18,2) can hold).

    Why not plain `/`: DuckDB divides decimals in double precision, so a
    half-cent tie such as 28.335 can land on 28.334999... and round down,
    and past 2^53 cents a double cannot even hold the whole cents. Here the
    division is split into an exact remainder (`%` on decimals is exact on
    every engine) and a whole number of cents, `abs(x) - remainder` divided
    by the divisor with an integer quotient (macro integer_quotient); the
    remainder decides the tie, away from zero as metrics.md asks.
-#}
{% macro divide_and_round_to_cents(numerator, divisor) -%}
    {%- set cents_x_divisor = 'abs((' ~ numerator ~ ') * 100)' -%}
    cast(
        (case when ({{ numerator }}) < 0 then -1 else 1 end)
        * (
            {{ integer_quotient(cents_x_divisor ~ ' - ' ~ cents_x_divisor ~ ' % ' ~ divisor, divisor) }}
            + (case when {{ cents_x_divisor }} % {{ divisor }} * 2 >= {{ divisor }} then 1 else 0 end)
        )
        as decimal(38, 0)
    ) * cast(0.01 as decimal(3, 2))
{%- endmacro %}
