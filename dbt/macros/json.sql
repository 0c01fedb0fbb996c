{#- A key of a JSON object column, as text. DuckDB's JSON and PostgreSQL's json/jsonb (how destinations store
    Concur's nested objects) both read it with ->>; another warehouse adds its own version here. -#}
{% macro json_text(column, key) -%}
{{ return(adapter.dispatch('json_text', 'concur')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
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
