-- One row per attendee as Attendees v4 lists it, owner by owner. Deleted attendees are never listed, so an
-- attendee deleted in Concur keeps its last synced row. custom1…custom25 stay in the synced table as Concur's
-- {type, value, code, listItemId} objects.
with attendees as (
    {{ concur.latest_version(source('concur', 'attendees_v4'), 'id') }}
)

select
    id as attendee_id,
    attendeetypecode as attendee_type_code,
    firstname as first_name,
    lastname as last_name,
    company,
    title,
    externalid as external_id,
    owneruserid as owner_user_id,
    ownername as owner_name,
    currencycode as currency_code,
    totalamountytd as total_amount_ytd,
    totalamountprevyear as total_amount_prev_year,
    versionnumber as version_number,
    _airbyte_extracted_at as synced_at
from attendees
