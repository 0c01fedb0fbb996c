-- One row per expense group and policy that applies to it (Expense Configuration v4): which policy is a group's
-- default, and which are inherited by the groups below.
with policies as (
    select
        hierarchy_node_id,
        group_name,
        {{ concur.json_array_elements('policies') }} as policy
    from {{ ref('stg_concur__expense_group_configurations_v4') }}
)

select
    hierarchy_node_id,
    group_name,
    {{ concur.json_text('policy', 'policyId') }} as policy_id,
    {{ concur.json_text('policy', 'policyName') }} as policy_name,
    cast({{ concur.json_text('policy', 'isDefault') }} as boolean) as is_default,
    cast({{ concur.json_text('policy', 'isInheritable') }} as boolean) as is_inheritable
from policies
