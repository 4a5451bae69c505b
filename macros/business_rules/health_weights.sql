{#-
    The health-score component weights from the `health_weights` project var,
    validated: exactly the five components usage, support, engagement,
    payment and relationship, each a number in [0, 1], summing to 1 (within
    1e-9). Returns a dict of floats. A bad set raises a compiler error that
    names the sum and every weight, e.g.
    "health_weights must sum to 1, got 0.9: usage=0.3, support=0.2, ...".
    It is called while fct_account_health is parsed, so a bad set stops every
    dbt command of the project before anything runs.
-#}
{% macro health_weights() -%}
    {%- set components = ['usage', 'support', 'engagement', 'payment', 'relationship'] -%}
    {%- set configured = var('health_weights', none) -%}
    {%- if configured is none or configured is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "health_weights must be a mapping of " ~ components | join(', ')
            ~ " to weights, got " ~ configured) }}
    {%- endif -%}
    {%- set unknown = configured.keys() | reject('in', components) | list -%}
    {%- set missing = components | reject('in', configured.keys() | list) | list -%}
    {%- if unknown or missing -%}
        {{ exceptions.raise_compiler_error(
            "health_weights must name exactly " ~ components | join(', ')
            ~ "; missing: " ~ (missing | join(', ') or 'none')
            ~ "; unknown: " ~ (unknown | join(', ') or 'none')) }}
    {%- endif -%}
    {%- set weights = {} -%}
    {%- set listing = [] -%}
    {%- for component in components -%}
        {%- set raw = configured[component] -%}
        {%- if raw is not number -%}
            {%- set raw_text = raw | string | trim -%}
            {%- if not modules.re.match('^[0-9]*[.]?[0-9]+$', raw_text) -%}
                {{ exceptions.raise_compiler_error(
                    "health_weights." ~ component ~ " must be a number in [0, 1], got '" ~ raw ~ "'") }}
            {%- endif -%}
            {%- set raw = raw_text | float -%}
        {%- endif -%}
        {%- set weight = raw | float -%}
        {%- if weight < 0 or weight > 1 -%}
            {{ exceptions.raise_compiler_error(
                "health_weights." ~ component ~ " must be in [0, 1], got " ~ raw) }}
        {%- endif -%}
        {%- do weights.update({component: weight}) -%}
        {%- do listing.append(component ~ '=' ~ raw) -%}
    {%- endfor -%}
    {%- set total = weights.values() | sum -%}
    {%- if (total - 1) | abs > 0.000000001 -%}
        {{ exceptions.raise_compiler_error(
            "health_weights must sum to 1, got " ~ (total | round(9)) ~ ": " ~ listing | join(', ')) }}
    {%- endif -%}
    {{ return(weights) }}
{%- endmacro %}
