-- The token user's delegators (who may act for them, and how).
with delegators as (
    {{ concur.latest_version(source('concur', 'expense_delegators'), 'delegatorxuserid') }}
)

select
    delegatorxuserid as delegator_user_id,
    canprepare as can_prepare,
    cansubmit as can_submit,
    canapprove as can_approve,
    cantemporaryapprove as can_temporary_approve,
    canviewreceipts as can_view_receipts,
    receivesemails as receives_emails,
    receiveapprovalemails as receives_approval_emails,
    _airbyte_extracted_at as synced_at
from delegators
