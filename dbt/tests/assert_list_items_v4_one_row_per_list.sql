-- An item belongs to one row per list it sits in: (list_id, list_item_id) is the key.
select list_id, list_item_id, count(*) as rows_per_key
from {{ ref('stg_concur__list_items_v4') }}
group by list_id, list_item_id
having count(*) > 1
