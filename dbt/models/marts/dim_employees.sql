-- One row per Concur user, with what their expense reports add up to (report currencies can differ, so
-- amounts stay per line in fct_expense_lines; here only counts and dates).
with users as (
    select * from {{ ref('stg_concur__user_information') }}
),

reports as (
    select
        owner_login_id,
        count(*) as report_count,
        min(created_at) as first_report_created_at,
        max(submitted_at) as last_report_submitted_at
    from {{ ref('stg_concur__expense_reports') }}
    group by owner_login_id
)

select
    users.login_id,
    users.employee_id,
    users.display_name,
    users.first_name,
    users.last_name,
    users.email_address,
    users.title,
    users.department,
    users.cost_center,
    users.country_code,
    users.currency_code,
    users.manager_id,
    users.is_active,
    coalesce(reports.report_count, 0) as report_count,
    reports.first_report_created_at,
    reports.last_report_submitted_at
from users
left join reports on reports.owner_login_id = users.login_id
