-- One row per attendee type as Attendee Types v4 lists it, deleted types included (is_deleted): the v4 ids are
-- UUIDs that share nothing with stg_concur__expense_attendee_types; the code is the common key.
with types as (
    {{ concur.latest_version(source('concur', 'attendee_types_v4'), 'id') }}
)

select
    id as attendee_type_id,
    code as attendee_type_code,
    name as attendee_type_name,
    {{ concur.json_text('form', 'id') }} as attendee_form_id,
    {{ concur.json_text('form', 'name') }} as attendee_form_name,
    ispublic as is_public,
    isactive as is_active,
    isdeleted as is_deleted,
    permitadds as permits_adds,
    allowmanuallyenteredattendees as allows_manually_entered_attendees,
    allowattendeecountediting as allows_attendee_count_editing,
    searchpreference as search_preference,
    systemrecord as is_system_record,
    externalconnectorid as external_connector_id,
    _airbyte_extracted_at as synced_at
from types
