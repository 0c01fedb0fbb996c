{#-
  The latest version of each primary key of a synced table. An append (or append-dedup with history) destination
  keeps every version a sync wrote; the stream's cursor orders versions by what changed in Concur, and
  _airbyte_extracted_at breaks ties (a full refresh writes the same cursor again) and orders streams without one.
-#}
{% macro latest_version(table, key, cursor=none) %}
select * from (
    select
        synced.*,
        row_number() over (
            partition by {{ key }}
            order by {% if cursor %}{{ cursor }} desc nulls last, {% endif %}_airbyte_extracted_at desc
        ) as _concur_version
    from {{ table }} as synced
) as versions
where _concur_version = 1
{% endmacro %}
