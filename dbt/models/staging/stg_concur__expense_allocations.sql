-- One row per allocation of an entry currently on its report.
with allocations as (
    {{ concur.current_children(source('concur', 'expense_allocations'), 'id', parent='entry') }}
)

select
    id as allocation_id,
    entryid as entry_id,
    current_report_id as report_id,
    cast(percentage as numeric(9, 4)) as percentage,
    ispercentedited as is_percent_edited,
    ishidden as is_hidden,
    accountcode1 as account_code_1,
    accountcode2 as account_code_2,
    cast(reportlastmodifieddate as timestamp) as report_last_modified_at,
    _airbyte_extracted_at as synced_at
from allocations
