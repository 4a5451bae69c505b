{#-
    Whole calendar days from a signing date to a later event date (metrics.md,
    Time to value): an event on or before the signing day (during a trial)
    counts as day 0; no event date, no days. Used for time to value and for
    the days to complete each onboarding milestone.
-#}
{% macro days_from_signing(signed_date, event_date) -%}
    case
        when {{ event_date }} is null then null
        when {{ event_date }} <= {{ signed_date }} then 0
        else
            cast(
                {{ dbt.datediff(signed_date, event_date, 'day') }}
                as {{ dbt.type_int() }}
            )
    end
{%- endmacro %}
