with types as (
    {{ concur.latest_version(source('concur', 'expense_attendee_types'), 'id') }}
)

select
    id as attendee_type_id,
    code as attendee_type_code,
    name as attendee_type_name,
    attendeeformid as attendee_form_id,
    allowmanuallyenteredattendees as allows_manually_entered_attendees,
    allowattendeecountediting as allows_attendee_count_editing,
    _airbyte_extracted_at as synced_at
from types
