with attendees as (
    {{ concur.latest_version(source('concur', 'expense_attendees'), 'id') }}
)

select
    id as attendee_id,
    attendeetypecode as attendee_type_code,
    firstname as first_name,
    lastname as last_name,
    company,
    title,
    externalid as external_id,
    ownerloginid as owner_login_id,
    currencycode as currency_code,
    cast(totalamountytd as numeric(38, 9)) as total_amount_ytd,
    cast(versionnumber as integer) as version_number,
    _airbyte_extracted_at as synced_at
from attendees
