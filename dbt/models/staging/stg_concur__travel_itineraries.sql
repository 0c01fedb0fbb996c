with trips as (
    {{ concur.latest_version(source('concur', 'travel_itineraries'), 'tripid', 'datemodifiedutc') }}
)

select
    tripid as trip_id,
    tripname as trip_name,
    cast(tripstatus as integer) as trip_status,
    userloginid as traveler_login_id,
    travelerfirst as traveler_first_name,
    travelerlast as traveler_last_name,
    bookingsource as booking_source,
    recordlocator as record_locators,
    cast(startdatelocal as timestamp) as starts_at_local,
    cast(enddatelocal as timestamp) as ends_at_local,
    cast(datemodifiedutc as timestamp) as modified_at_utc,
    _airbyte_extracted_at as synced_at
from trips
