-- Spend per employee, expense type and month of the transaction, per report currency (amounts of different
-- currencies are never added up). Personal lines are left out: the company does not pay them.
with lines as (
    select
        employee_login_id,
        expense_type_code,
        expense_type_name,
        cast(date_trunc('month', transaction_date) as date) as spend_month,
        posted_currency_code,
        posted_amount,
        approved_amount
    from {{ ref('fct_expense_lines') }}
    where not coalesce(is_personal, false)
)

select
    employee_login_id || '|' || expense_type_code || '|' || cast(spend_month as varchar(10)) || '|' || posted_currency_code as spend_key,
    employee_login_id,
    expense_type_code,
    max(expense_type_name) as expense_type_name,
    spend_month,
    posted_currency_code,
    count(*) as line_count,
    sum(posted_amount) as posted_amount,
    sum(approved_amount) as approved_amount
from lines
group by employee_login_id, expense_type_code, spend_month, posted_currency_code
