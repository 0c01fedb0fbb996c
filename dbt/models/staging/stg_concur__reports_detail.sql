-- One row per report of Expense Report v2 (deprecated API; the v3 models are the ones to build on). Its entry
-- list stays nested: expense_entries holds the same entries, with the current-children rule applied. The
-- owner's nested employee data is unpacked; the bank account is left out.
with reports as (
    {{ concur.latest_version(source('concur', 'reports_detail'), 'reportid', 'reportmodifiedbefore') }}
)

select
    reportid as report_id,
    reportkey as report_key,
    reportname as report_name,
    userloginid as owner_login_id,
    employeename as employee_name,
    {{ concur.json_text('reportowner', 'EmployeeID') }} as employee_id,
    {{ concur.json_text('reportowner', 'ReimbursementMethodCode') }} as reimbursement_method_code,
    purpose,
    approvalstatuscode as approval_status_code,
    paymentstatuscode as payment_status_code,
    currencycode as currency_code,
    cast(reporttotal as numeric(38, 9)) as report_total,
    cast(personalexpenses as numeric(38, 9)) as personal_expenses,
    cast(amountdueemployee as numeric(38, 9)) as amount_due_employee,
    cast(reportdate as timestamp) as report_date,
    cast(creationdate as timestamp) as created_at,
    cast(submitdate as timestamp) as submitted_at,
    cast(paiddate as timestamp) as paid_at,
    cast(reportmodifiedbefore as timestamp) as modified_before,
    _airbyte_extracted_at as synced_at
from reports
