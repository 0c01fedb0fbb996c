with locations as (
    {{ concur.latest_version(source('concur', 'locations'), 'id') }}
)

select
    id as location_id,
    name as location_name,
    country,
    countrysubdivision as country_subdivision,
    administrativeregion as administrative_region,
    iatacode as iata_code,
    isairport as is_airport,
    cast(latitude as numeric(12, 8)) as latitude,
    cast(longitude as numeric(12, 8)) as longitude,
    _airbyte_extracted_at as synced_at
from locations
