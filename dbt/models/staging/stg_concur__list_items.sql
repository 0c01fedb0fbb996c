with items as (
    {{ concur.latest_version(source('concur', 'list_items'), 'id') }}
)

select
    id as list_item_id,
    listid as list_id,
    parentid as parent_list_item_id,
    name as list_item_name,
    level1code as level_1_code,
    level2code as level_2_code,
    level3code as level_3_code,
    _airbyte_extracted_at as synced_at
from items
