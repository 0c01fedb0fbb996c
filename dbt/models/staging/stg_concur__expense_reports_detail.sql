-- One row per report as its own GET returns it (expense_reports_detail): the same header as the report list,
-- read one report at a time.
with reports as (
    {{ concur.latest_version(source('concur', 'expense_reports_detail'), 'id', 'lastmodifieddate') }}
)

select
    id as report_id,
    name as report_name,
    ownerloginid as owner_login_id,
    approvalstatuscode as approval_status_code,
    paymentstatuscode as payment_status_code,
    currencycode as currency_code,
    cast(total as numeric(38, 9)) as total,
    cast(amountdueemployee as numeric(38, 9)) as amount_due_employee,
    cast(amountduecompanycard as numeric(38, 9)) as amount_due_company_card,
    cast(createdate as timestamp) as created_at,
    cast(submitdate as timestamp) as submitted_at,
    cast(paiddate as timestamp) as paid_at,
    cast(lastmodifieddate as timestamp) as last_modified_at,
    _airbyte_extracted_at as synced_at
from reports
