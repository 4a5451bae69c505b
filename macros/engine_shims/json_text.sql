{#-
    The text value of one top-level key of a JSON object stored as text
    (Stripe `metadata` as Fivetran lands it); null when the key is absent.
    Dispatched: each engine spells JSON access differently.
-#}
{% macro json_text(column, key) -%}
    {{ return(adapter.dispatch('json_text', 'cs_revenue_analytics')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro postgres__json_text(column, key) -%}
    (cast({{ column }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__json_text(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}
