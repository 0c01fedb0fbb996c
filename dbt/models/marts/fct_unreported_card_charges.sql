-- Company card charges not on an expense report yet: what employees still have to expense. Concur's card
-- charge list holds unassigned charges only; a charge that an entry synced since then references is dropped
-- too, so a later expense sync is not contradicted by an older card sync.
with charges as (
    select * from {{ ref('stg_concur__company_card_transactions') }}
),

on_reports as (
    select distinct company_card_transaction_id
    from {{ ref('stg_concur__expense_entries') }}
    where company_card_transaction_id is not null
)

select charges.*
from charges
left join on_reports on on_reports.company_card_transaction_id = charges.transaction_key
where on_reports.company_card_transaction_id is null
