-- One row per expense line: an entry, or each of its itemizations where the entry is itemized (an itemized
-- entry's amount is the sum of its itemizations, so counting both would count it twice). Only lines currently
-- on their report. Posted amounts are in the report's currency; they add up to the report's Total.
with entries as (
    select * from {{ ref('stg_concur__expense_entries') }}
),

itemizations as (
    select * from {{ ref('stg_concur__expense_itemizations') }}
),

itemized as (
    select distinct entry_id from itemizations
),

lines as (
    select
        entries.entry_id as line_id,
        'entry' as line_type,
        entries.entry_id,
        entries.report_id,
        entries.expense_type_code,
        entries.expense_type_name,
        entries.spend_category_code,
        entries.transaction_date,
        entries.transaction_amount,
        entries.transaction_currency_code,
        entries.posted_amount,
        entries.approved_amount,
        entries.is_personal,
        entries.is_billable,
        entries.payment_type_name,
        entries.vendor_description,
        entries.location_name,
        entries.description,
        entries.company_card_transaction_id,
        entries.trip_id
    from entries
    left join itemized on itemized.entry_id = entries.entry_id
    where itemized.entry_id is null

    union all

    select
        itemizations.itemization_id,
        'itemization',
        itemizations.entry_id,
        itemizations.report_id,
        itemizations.expense_type_code,
        itemizations.expense_type_name,
        itemizations.spend_category_code,
        itemizations.transaction_date,
        itemizations.transaction_amount,
        -- An itemization is in its entry's transaction currency.
        entries.transaction_currency_code,
        itemizations.posted_amount,
        itemizations.approved_amount,
        itemizations.is_personal,
        itemizations.is_billable,
        entries.payment_type_name,
        entries.vendor_description,
        itemizations.location_name,
        itemizations.description,
        entries.company_card_transaction_id,
        entries.trip_id
    from itemizations
    inner join entries on entries.entry_id = itemizations.entry_id
),

custom_fields as (
    select
        record_id,
        string_agg(label || ': ' || field_value, '; ' order by field_id) as custom_fields
    from {{ ref('stg_concur__custom_field_values') }}
    where record_type in ('entry', 'itemization') and field_value is not null
    group by record_id
)

select
    lines.line_id,
    lines.line_type,
    lines.entry_id,
    lines.report_id,
    reports.report_name,
    reports.owner_login_id as employee_login_id,
    reports.owner_name as employee_name,
    lines.expense_type_code,
    lines.expense_type_name,
    lines.spend_category_code,
    lines.transaction_date,
    lines.transaction_amount,
    lines.transaction_currency_code,
    lines.posted_amount,
    reports.currency_code as posted_currency_code,
    lines.approved_amount,
    lines.is_personal,
    lines.is_billable,
    lines.payment_type_name,
    lines.vendor_description,
    lines.location_name,
    lines.description,
    reports.approval_status_code,
    reports.approval_status_name,
    reports.payment_status_code,
    reports.payment_status_name,
    reports.submitted_at as report_submitted_at,
    reports.paid_at as report_paid_at,
    lines.company_card_transaction_id,
    lines.trip_id,
    custom_fields.custom_fields
from lines
inner join {{ ref('stg_concur__expense_reports') }} as reports on reports.report_id = lines.report_id
left join custom_fields on custom_fields.record_id = lines.line_id
