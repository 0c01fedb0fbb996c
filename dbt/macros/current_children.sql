{#-
  A child table limited to its report's current set. A child carries its report's LastModifiedDate as read
  (ReportLastModifiedDate); every sync that re-reads a report re-reads all its children with the new date, so a
  child whose date differs from its report's current LastModifiedDate was not in the report when it was last
  read: Concur removed it. An append-dedup destination keeps such a child forever; this rule drops it.
  Children of an entry (allocations, attendee links) carry no ReportID: they reach their report through their
  entry, which must be current itself.
-#}
{% macro current_children(table, key, parent='report') %}
with latest as (
    {{ concur.latest_version(table, key, 'reportlastmodifieddate') }}
),

{% if parent == 'entry' -%}
parents as (
    select entry_id as parent_id, report_id, report_last_modified_at as current_at
    from {{ ref('stg_concur__expense_entries') }}
)
{%- else -%}
parents as (
    select report_id as parent_id, report_id, last_modified_at as current_at
    from {{ ref('stg_concur__expense_reports') }}
)
{%- endif %}

select latest.*, parents.report_id as current_report_id
from latest
inner join parents on parents.parent_id = latest.{{ 'entryid' if parent == 'entry' else 'reportid' }}
where cast(latest.reportlastmodifieddate as timestamp) = parents.current_at
{% endmacro %}
