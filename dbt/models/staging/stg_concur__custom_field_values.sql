-- One row per configurable field (OrgUnitN, CustomN) holding a value on a current report, entry, itemization or
-- allocation, with its label.
--
-- Which label: a CustomN column is the field whose Id is 'CustomN' on the form the record was entered with. An
-- entry names its form (FormID), and an itemization is entered on its entry's form, so both take that form's
-- label. Reports and allocations name no form: they take the label the forms of their form type (RPTINFO,
-- ALLOCINFO) give that field, all distinct labels joined with ' / ' when those forms disagree. A field no
-- form labels keeps its column name as label.
with reports as (
    {{ concur.latest_version(source('concur', 'expense_reports'), 'id', 'lastmodifieddate') }}
),

entries as (
    {{ concur.current_children(source('concur', 'expense_entries'), 'id') }}
),

itemizations as (
    select itemizations.*, entries.formid as parent_form_id
    from ({{ concur.current_children(source('concur', 'expense_itemizations'), 'id') }}) as itemizations
    left join entries on entries.id = itemizations.entryid
),

allocations as (
    {{ concur.current_children(source('concur', 'expense_allocations'), 'id', parent='entry') }}
),

field_values as (
    {{ concur.unpivot_custom_fields('reports', 'report', 'id', 'id', 'cast(null as varchar)', 'RPTINFO', 6, 20) }}
    union all
    {{ concur.unpivot_custom_fields('entries', 'entry', 'id', 'current_report_id', 'formid', 'ENTRYINFO', 6, 40) }}
    union all
    {{ concur.unpivot_custom_fields('itemizations', 'itemization', 'id', 'current_report_id', 'parent_form_id', 'ENTRYINFO', 6, 40) }}
    union all
    {{ concur.unpivot_custom_fields('allocations', 'allocation', 'id', 'current_report_id', 'cast(null as varchar)', 'ALLOCINFO', 0, 20) }}
),

form_fields as (
    select form_id, form_code, field_id, label from {{ ref('stg_concur__expense_form_fields') }}
),

form_type_labels as (
    select form_code, field_id, string_agg(distinct label, ' / ' order by label) as label
    from form_fields
    group by form_code, field_id
)

select
    field_values.record_type,
    field_values.record_id,
    field_values.report_id,
    field_values.field_id,
    coalesce(form_fields.label, form_type_labels.label, field_values.field_id) as label,
    field_values.field_type,
    field_values.field_value,
    field_values.list_item_code,
    field_values.list_item_id,
    field_values.form_id
from field_values
left join form_fields
    on form_fields.form_id = field_values.form_id and form_fields.field_id = field_values.field_id
left join form_type_labels
    on form_type_labels.form_code = field_values.form_code and form_type_labels.field_id = field_values.field_id
