{#-
    Rank of a plan tier in the licensing order starter < growth < enterprise
    (1, 2, 3); any other value (addon, null, unknown) ranks null, so it
    licenses nothing. A feature is licensed for an account when
    tier_rank(feature.min_tier) <= tier_rank(account tier).
-#}
{% macro tier_rank(column_name) -%}
    case {{ column_name }}
        when 'starter' then 1
        when 'growth' then 2
        when 'enterprise' then 3
    end
{%- endmacro %}
