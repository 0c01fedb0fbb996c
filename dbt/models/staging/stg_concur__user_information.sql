with users as (
    {{ concur.latest_version(source('concur', 'user_information'), 'loginid', 'lastmodified') }}
)

select
    loginid as login_id,
    empid as employee_id,
    firstname as first_name,
    lastname as last_name,
    displayname as display_name,
    emailaddress as email_address,
    title,
    active as is_active,
    ctrycode as country_code,
    crncode as currency_code,
    ledgername as ledger_name,
    costcenter as cost_center,
    department,
    division,
    managerid as manager_id,
    expenseuser as is_expense_user,
    expenseapprover as is_expense_approver,
    cast(startdate as timestamp) as start_date,
    cast(terminationdate as timestamp) as termination_date,
    cast(lastmodified as timestamp) as last_modified_at,
    _airbyte_extracted_at as synced_at
from users
