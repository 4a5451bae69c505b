{#-
    Exact `round(numerator / divisor, 2)`, half away from zero, for an exact
    decimal numerator and a positive integer divisor.

    Why not plain `/`: DuckDB divides decimals in double precision, so a
    half-cent tie such as 28.335 can land on 28.334999... and round down.
    Here the division is split into an exact remainder (`%` on decimals is
    exact on every engine) and a quotient that is a whole number of cents,
    so ties round away from zero exactly as metrics.md asks.
-#}
{% macro divide_and_round_to_cents(numerator, divisor) -%}
    cast(
        (case when ({{ numerator }}) < 0 then -1 else 1 end)
        * cast(
            round(
                (abs(({{ numerator }}) * 100) - abs(({{ numerator }}) * 100) % {{ divisor }}) / {{ divisor }}
            ) as decimal(38, 0)
        )
        + (case when ({{ numerator }}) < 0 then -1 else 1 end)
        * (case when abs(({{ numerator }}) * 100) % {{ divisor }} * 2 >= {{ divisor }} then 1 else 0 end)
        as decimal(38, 0)
    ) * cast(0.01 as decimal(3, 2))
{%- endmacro %}
