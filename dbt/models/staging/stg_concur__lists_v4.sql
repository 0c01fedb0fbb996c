-- One row per list as List v4 lists it (the live lists; a list deleted later keeps its last synced row).
with lists as (
    {{ concur.latest_version(source('concur', 'lists_v4'), 'id') }}
)

select
    id as list_id,
    value as list_name,
    levelcount as level_count,
    {{ concur.json_text('category', 'type') }} as list_category,
    displayformat as display_format,
    isreadonly as is_read_only,
    isdeleted as is_deleted,
    managedby as managed_by,
    _airbyte_extracted_at as synced_at
from lists
