-- Every report's Total is the sum of its current expense lines (posted amounts, report currency): a removed
-- entry left in, or an itemized entry counted with its itemizations, shows up here.
with line_sums as (
    select report_id, sum(posted_amount) as lines_total
    from {{ ref('fct_expense_lines') }}
    group by report_id
)

select reports.report_id, reports.total, coalesce(line_sums.lines_total, 0) as lines_total
from {{ ref('stg_concur__expense_reports') }} as reports
left join line_sums on line_sums.report_id = reports.report_id
where abs(reports.total - coalesce(line_sums.lines_total, 0)) >= 0.005
