{#-
    The columns that identify a row in failure messages of data tests:
    `key_columns` when the test passes them (a string or a list), else the
    `primary_key` list in the tested source table's or model's `meta`, else
    `fallback` (usually the tested column).
-#}
{% macro dq_key_columns(model, key_columns=none, fallback=none) -%}
    {%- if key_columns is string -%}
        {%- do return([key_columns]) -%}
    {%- elif key_columns -%}
        {%- do return(key_columns | list) -%}
    {%- endif -%}
    {%- if execute -%}
        {%- set parts = dq_relation_parts(model) -%}
        {%- set wanted = (parts[0] ~ '.' ~ parts[1]) | lower -%}
        {%- for node in graph.sources.values() | list + graph.nodes.values() | list -%}
            {%- set name = node.get('identifier') or node.get('alias') or node.get('name') -%}
            {%- if ((node.get('schema') ~ '.' ~ name) | lower) == wanted -%}
                {%- set meta = node.get('config', {}).get('meta', {}) or node.get('meta', {}) -%}
                {%- if meta.get('primary_key') -%}
                    {%- set primary_key = meta.get('primary_key') -%}
                    {%- do return([primary_key] if primary_key is string else primary_key | list) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if fallback is string -%}
        {%- do return([fallback]) -%}
    {%- endif -%}
    {%- do return(fallback | list if fallback else []) -%}
{%- endmacro %}
