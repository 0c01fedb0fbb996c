-- One row per itemization currently on its report.
with itemizations as (
    {{ concur.current_children(source('concur', 'expense_itemizations'), 'id') }}
)

select
    id as itemization_id,
    entryid as entry_id,
    current_report_id as report_id,
    expensetypecode as expense_type_code,
    expensetypename as expense_type_name,
    spendcategorycode as spend_category_code,
    cast(transactiondate as timestamp) as transaction_date,
    cast(transactionamount as numeric(38, 9)) as transaction_amount,
    cast(postedamount as numeric(38, 9)) as posted_amount,
    cast(approvedamount as numeric(38, 9)) as approved_amount,
    locationname as location_name,
    locationcountry as location_country,
    description,
    ispersonal as is_personal,
    isbillable as is_billable,
    cast(lastmodified as timestamp) as last_modified_at,
    cast(reportlastmodifieddate as timestamp) as report_last_modified_at,
    _airbyte_extracted_at as synced_at
from itemizations
