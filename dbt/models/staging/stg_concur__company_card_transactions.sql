with charges as (
    {{ concur.latest_version(source('concur', 'company_card_transactions'), 'transactionkey') }}
)

select
    transactionkey as transaction_key,
    cardnumber as masked_card_number,
    expkey as expense_type_code,
    expname as expense_type_name,
    merchant,
    cast(transactionamount as numeric(38, 9)) as transaction_amount,
    transactioncrncode as transaction_currency_code,
    cast(transactiondate as timestamp) as transaction_date,
    _airbyte_extracted_at as synced_at
from charges
