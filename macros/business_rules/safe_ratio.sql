{#-
    A ratio stored as a fraction in double precision; null (not 0, not an
    error) when the denominator is 0 or null (metrics.md, Revenue retention).
-#}
{% macro safe_ratio(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast({{ numerator }} as {{ type_ratio() }}) / cast({{ denominator }} as {{ type_ratio() }})
    end
{%- endmacro %}
