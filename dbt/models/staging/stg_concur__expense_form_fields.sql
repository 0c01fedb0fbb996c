-- One row per field of each form (expense_form holds a form's fields as a nested array).
with forms as (
    {{ concur.latest_version(source('concur', 'expense_form'), 'formid') }}
),

fields as (
    select formid, name, formcode, formtypename, {{ concur.json_array_elements('fields') }} as field
    from forms
)

select
    formid as form_id,
    name as form_name,
    formcode as form_code,
    formtypename as form_type_name,
    {{ concur.json_text('field', 'Id') }} as field_id,
    {{ concur.json_text('field', 'Label') }} as label,
    {{ concur.json_text('field', 'DataType') }} as data_type,
    {{ concur.json_text('field', 'ControlType') }} as control_type,
    cast({{ concur.json_text('field', 'Custom') }} as boolean) as is_custom,
    cast({{ concur.json_text('field', 'Sequence') }} as integer) as sequence
from fields
