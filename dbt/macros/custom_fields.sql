{#-
  Concur's configurable fields of a record (OrgUnit1..n and Custom1..n objects: Type, Value, Code, ListItemID), one
  row per field that holds a value. form_id says which form's labels apply: the record's own form where it names
  one, else null (the label then comes from the form type; see stg_concur__custom_field_values).
-#}
{% macro unpivot_custom_fields(relation, record_type, record_id, report_id, form_id, form_code, org_units, customs) %}
{%- set fields = [] -%}
{%- for n in range(1, org_units + 1) %}{% do fields.append('OrgUnit' ~ n) %}{% endfor -%}
{%- for n in range(1, customs + 1) %}{% do fields.append('Custom' ~ n) %}{% endfor -%}
{%- for field in fields %}
select
    '{{ record_type }}' as record_type,
    {{ record_id }} as record_id,
    {{ report_id }} as report_id,
    {{ form_id }} as form_id,
    '{{ form_code }}' as form_code,
    '{{ field }}' as field_id,
    {{ concur.json_text(field | lower, 'Type') }} as field_type,
    {{ concur.json_text(field | lower, 'Value') }} as field_value,
    {{ concur.json_text(field | lower, 'Code') }} as list_item_code,
    {{ concur.json_text(field | lower, 'ListItemID') }} as list_item_id
from {{ relation }}
where {{ concur.json_text(field | lower, 'Value') }} is not null
   or {{ concur.json_text(field | lower, 'Code') }} is not null
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
