{#-
    Suspicious but legal (use at severity warn): the tested date or
    timestamp lies where no company's data plausibly does, before
    `earliest` (default 1990-01-01, a legacy placeholder such as
    1900-01-01 in a billing export) or more than `years_after_as_of` years
    after as_of_date (default 10, a placeholder such as 2099-12-31 or
    9999-12-31). Such rows are kept; the warning names each key so the
    data team can ask the source owner. Nulls pass.
-#}
{% test date_is_plausible(model, column_name, earliest='1990-01-01', years_after_as_of=10, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}
{%- set latest = dbt.dateadd('year', years_after_as_of, as_of_date()) -%}

select
    {{ dq_select_columns(keys + [column_name]) }},
    {{ dq_failure_message(model, keys, [
        dq_literal(column_name ~ ' '),
        dq_value_text(column_name),
        "case when cast(" ~ column_name ~ " as date) < cast('" ~ earliest ~ "' as date) then "
            ~ dq_literal(' is before ' ~ earliest ~ ' (a legacy placeholder?)') ~ " else "
            ~ dq_literal(' is more than ' ~ years_after_as_of ~ ' years after as_of_date (a placeholder?)') ~ " end",
    ]) }} as failure_message
from {{ model }}
where
    cast({{ column_name }} as date) < cast('{{ earliest }}' as date)
    or cast({{ column_name }} as date) > cast({{ latest }} as date)

{% endtest %}
