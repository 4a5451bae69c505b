{#-
    Filter of the incremental event rollups. On a full refresh: every event
    (1 = 1). On an incremental run: the events of every (account_id,
    activity_date) key that has an event loaded after the watermark
    (events_reprocess_after) or without loaded_at, so those keys are
    re-aggregated from ALL their events and replace their old rows.
    `events` names the relation (CTE) being filtered; it needs account_id,
    activity_date and loaded_at.
-#}
{% macro in_reprocessed_event_keys(events) -%}
    {%- if is_incremental() -%}
        exists (
            select 1
            from {{ events }} as touched
            where
                touched.account_id = {{ events }}.account_id
                and touched.activity_date = {{ events }}.activity_date
                and (touched.loaded_at > {{ events_reprocess_after(this) }} or touched.loaded_at is null)
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
