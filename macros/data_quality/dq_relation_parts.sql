{#-
    [schema, identifier] of the relation a data test runs on, for failure
    messages and key look-ups. A test with a `where` config receives
    "(select * from <relation> where ...) dbt_subquery" instead of a
    relation; the name is then read back from that text.
-#}
{% macro dq_relation_parts(relation) -%}
    {%- if relation.identifier is defined and relation.identifier -%}
        {%- do return([relation.schema | string, relation.identifier | string]) -%}
    {%- endif -%}
    {%- set found = modules.re.search('from\\s+([^\\s()]+)', relation | string, modules.re.IGNORECASE) -%}
    {%- if not found -%}
        {%- do return(['', relation | string]) -%}
    {%- endif -%}
    {%- set parts = found.group(1).replace('"', '').replace('`', '').split('.') -%}
    {%- if parts | length >= 2 -%}
        {%- do return([parts[-2], parts[-1]]) -%}
    {%- endif -%}
    {%- do return(['', parts[-1]]) -%}
{%- endmacro %}
