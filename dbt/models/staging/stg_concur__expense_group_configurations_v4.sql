-- One row per expense group as Expense Configuration v4 reads it. Its policies, payment types and attendee types
-- stay nested (JSON); stg_concur__expense_group_policies_v4 gives the policies a row each.
with groups as (
    {{ concur.latest_version(source('concur', 'expense_group_configurations_v4'), 'hierarchynodeid') }}
)

select
    hierarchynodeid as hierarchy_node_id,
    groupname as group_name,
    allowuserdigitaltaxinvoice as allows_digital_tax_invoices,
    allowuserregisteryodlee as allows_personal_card_registration,
    attendeelistformid as attendee_list_form_id,
    attendeelistformname as attendee_list_form_name,
    {{ concur.json_text('cashadvance', 'workflowId') }} as cash_advance_workflow_id,
    {{ concur.json_text('cashadvance', 'name') }} as cash_advance_workflow_name,
    policies,
    paymenttypes as payment_types,
    attendeetypes as attendee_types,
    _airbyte_extracted_at as synced_at
from groups
