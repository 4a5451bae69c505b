{#-
    The trailing-window rule of the health components, written once: the
    date falls in the `days` days ending on `window_end`, both ends counted
    as whole days (window_end - days < date <= window_end), e.g. the 90 days
    ending on the week's Sunday.
-#}
{% macro is_within_days_before(date_expression, window_end, days) -%}
    {{ date_expression }} <= {{ window_end }}
    and {{ date_expression }} > {{ dbt.dateadd('day', -days, window_end) }}
{%- endmacro %}
