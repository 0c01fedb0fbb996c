with images as (
    {{ concur.latest_version(source('concur', 'receipt_images'), 'id') }}
)

select
    id as receipt_image_id,
    uri as receipt_image_uri,
    _airbyte_extracted_at as synced_at
from images
