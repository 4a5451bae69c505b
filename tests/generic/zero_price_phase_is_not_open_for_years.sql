{#-
    Suspicious but legal (use at severity warn): a trial (a price phase at
    zero: quantity or unit amount 0; a 100 % discount is a bundled line, not
    a trial) in force for more than
    `max_days` days, up to its valid_to or, while open, up to as_of_date.
    It still contributes 0 MRR; the warning names the item.
-#}
{% test zero_price_phase_is_not_open_for_years(model, max_days=730, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, 'valid_from') -%}
{%- set phase_end = 'coalesce(valid_to, ' ~ as_of_date() ~ ')' -%}

select
    {{ dq_select_columns(keys + ['valid_from', 'valid_to']) }},
    {{ dq_failure_message(model, keys, [
        dq_literal('zero-priced phase (a trial) from '),
        dq_value_text('valid_from'),
        dq_literal(' to '),
        "coalesce(cast(valid_to as " ~ dbt.type_string() ~ "), 'still open')",
        dq_literal(' lasts more than ' ~ max_days ~ ' days'),
    ]) }} as failure_message
from {{ model }}
where
    (quantity = 0 or unit_amount = 0)
    and valid_from is not null
    and {{ dbt.datediff('valid_from', phase_end, 'day') }} > {{ max_days }}

{% endtest %}
