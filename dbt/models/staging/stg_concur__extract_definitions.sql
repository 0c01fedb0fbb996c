with definitions as (
    {{ concur.latest_version(source('concur', 'extract_definitions'), 'definition_id') }}
)

select
    definition_id,
    name as definition_name,
    id as definition_uri,
    _airbyte_extracted_at as synced_at
from definitions
