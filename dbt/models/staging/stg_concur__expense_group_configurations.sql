-- One row per expense group configuration. Its payment types, policies and attendee types stay nested (JSON):
-- entries and reports carry the names analysts use.
with groups as (
    {{ concur.latest_version(source('concur', 'expense_group_configurations'), 'id') }}
)

select
    id as group_configuration_id,
    name as group_configuration_name,
    attendeelistformid as attendee_list_form_id,
    attendeelistformname as attendee_list_form_name,
    paymenttypes as payment_types,
    policies,
    attendeetypes as attendee_types,
    _airbyte_extracted_at as synced_at
from groups
