{#-
    The closing date of the books as a SQL date literal. `as_of_date` is a
    project var (YYYY-MM-DD); empty or unset means today's UTC date at
    compile time, so one nightly run uses one date everywhere. A value that
    is not a real calendar date ('2026-13-45', '2025-02-29') is refused
    while the project is parsed, before anything runs, with one message
    naming the variable (issue 15: it used to pass the shape check and fail
    later in 21 queries, none naming it).
-#}
{% macro as_of_date() -%}
    {%- set configured = var('as_of_date', '') | string | trim -%}
    {%- if configured == '' or configured | lower == 'none' -%}
        {%- set configured = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- set parts = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', configured) -%}
    {%- if not parts -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a date YYYY-MM-DD, got '" ~ configured ~ "'") }}
    {%- endif -%}
    {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
    {%- set is_real_date = year >= 1 and 1 <= month <= 12 and day >= 1 -%}
    {%- if is_real_date -%}
        {#- days in the month: the day before the first of the next month -#}
        {%- set next_month_first = modules.datetime.date(year + (month // 12), month % 12 + 1, 1) -%}
        {%- set is_real_date = day <= (next_month_first - modules.datetime.timedelta(days=1)).day -%}
    {%- endif -%}
    {%- if not is_real_date -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a real calendar date YYYY-MM-DD, got '" ~ configured ~ "'") }}
    {%- endif -%}
    cast('{{ configured }}' as date)
{%- endmacro %}
