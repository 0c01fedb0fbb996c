-- One row per item and list it belongs to (an item can sit in several lists), deleted items included
-- (is_deleted). The ids are List Item v4's UUIDs; the codes are the ones entries and reports carry.
with items as (
    {{ concur.latest_version(source('concur', 'list_items_v4'), 'listid, id') }}
)

select
    listid as list_id,
    id as list_item_id,
    parentid as parent_list_item_id,
    code as list_item_code,
    shortcode as list_item_short_code,
    value as list_item_name,
    level as list_item_level,
    isdeleted as is_deleted,
    _airbyte_extracted_at as synced_at
from items
