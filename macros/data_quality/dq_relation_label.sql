{#-
    "schema.table" of a relation (e.g. "raw_billing.subscription_items"):
    how failure messages name the table a failing row lives in.
-#}
{% macro dq_relation_label(relation) -%}
    {%- set parts = dq_relation_parts(relation) -%}
    {%- if parts[0] -%}
        {{- parts[0] ~ '.' ~ parts[1] -}}
    {%- else -%}
        {{- parts[1] -}}
    {%- endif -%}
{%- endmacro %}
