{#-
    The closing date of the books as a SQL date literal. `as_of_date` is a
    project var (YYYY-MM-DD); empty or unset means today's UTC date at
    compile time, so one nightly run uses one date everywhere.
-#}
{% macro as_of_date() -%}
    {%- set configured = var('as_of_date', '') | string | trim -%}
    {%- if configured == '' or configured | lower == 'none' -%}
        {%- set configured = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', configured) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be YYYY-MM-DD, got '" ~ configured ~ "'") }}
    {%- endif -%}
    cast('{{ configured }}' as date)
{%- endmacro %}
