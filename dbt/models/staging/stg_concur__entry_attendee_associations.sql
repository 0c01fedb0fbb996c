-- One row per attendee link of an entry currently on its report.
with links as (
    {{ concur.current_children(source('concur', 'entry_attendee_associations'), 'id', parent='entry') }}
)

select
    id as association_id,
    entryid as entry_id,
    current_report_id as report_id,
    attendeeid as attendee_id,
    cast(amount as numeric(38, 9)) as amount,
    cast(associatedattendeecount as integer) as associated_attendee_count,
    cast(reportlastmodifieddate as timestamp) as report_last_modified_at,
    _airbyte_extracted_at as synced_at
from links
