-- One row per extract job. Stream field names with hyphens (start-time) land with underscores.
with jobs as (
    {{ concur.latest_version(source('concur', 'extract_jobs'), 'job_id', 'start_time') }}
)

select
    job_id,
    definition_id,
    status as job_status,
    cast(start_time as timestamp) as started_at,
    cast(stop_time as timestamp) as stopped_at,
    file_link as file_uri,
    _airbyte_extracted_at as synced_at
from jobs
