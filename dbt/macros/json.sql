{#- Destinations store Concur's nested objects as JSON (DuckDB) or JSON/JSONB (PostgreSQL): ->> reads a key as text
    in both. -#}
{% macro json_text(column, key) -%}
({{ column }} ->> '{{ key }}')
{%- endmacro %}

{#- The elements of a JSON array column, one row each (a set-returning select-list expression). -#}
{% macro json_array_elements(column) -%}
{{ return(adapter.dispatch('json_array_elements', 'concur')(column)) }}
{%- endmacro %}

{% macro default__json_array_elements(column) -%}
json_array_elements(cast({{ column }} as json))
{%- endmacro %}

{% macro duckdb__json_array_elements(column) -%}
unnest(cast({{ column }} as json[]))
{%- endmacro %}
