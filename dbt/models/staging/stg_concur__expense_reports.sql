-- One row per report: its latest version.
with reports as (
    {{ concur.latest_version(source('concur', 'expense_reports'), 'id', 'lastmodifieddate') }}
)

select
    id as report_id,
    name as report_name,
    ownerloginid as owner_login_id,
    ownername as owner_name,
    approverloginid as approver_login_id,
    approvername as approver_name,
    approvalstatuscode as approval_status_code,
    approvalstatusname as approval_status_name,
    paymentstatuscode as payment_status_code,
    paymentstatusname as payment_status_name,
    currencycode as currency_code,
    country,
    countrysubdivision as country_subdivision,
    cast(total as numeric(38, 9)) as total,
    cast(personalamount as numeric(38, 9)) as personal_amount,
    cast(amountdueemployee as numeric(38, 9)) as amount_due_employee,
    cast(amountduecompanycard as numeric(38, 9)) as amount_due_company_card,
    cast(totalclaimedamount as numeric(38, 9)) as total_claimed_amount,
    cast(totalapprovedamount as numeric(38, 9)) as total_approved_amount,
    cast(createdate as timestamp) as created_at,
    cast(submitdate as timestamp) as submitted_at,
    cast(processingpaymentdate as timestamp) as processing_payment_at,
    cast(paiddate as timestamp) as paid_at,
    cast(userdefineddate as timestamp) as user_defined_date,
    cast(lastmodifieddate as timestamp) as last_modified_at,
    receiptsreceived as receipts_received,
    eversentback as ever_sent_back,
    hasexception as has_exception,
    policyid as policy_id,
    ledgername as ledger_name,
    {{ concur.json_text('orgunit1', 'Value') }} as org_unit_1,
    {{ concur.json_text('orgunit2', 'Value') }} as org_unit_2,
    {{ concur.json_text('orgunit3', 'Value') }} as org_unit_3,
    _airbyte_extracted_at as synced_at
from reports
