-- One row per trip, canceled ones flagged rather than dropped (a cancellation is a fact analysts count), with
-- what current expense entries were filed against it.
with trips as (
    select * from {{ ref('stg_concur__travel_itineraries') }}
),

expensed as (
    select trip_id, count(*) as entry_count
    from {{ ref('stg_concur__expense_entries') }}
    where trip_id is not null
    group by trip_id
)

select
    trips.trip_id,
    trips.trip_name,
    trips.trip_status,
    case trips.trip_status
        when 0 then 'Confirmed' when 1 then 'Ticketed' when 2 then 'Canceled'
        when 6 then 'Proposal' when 7 then 'Booked Proposal'
    end as trip_status_name,
    trips.trip_status = 2 as is_canceled,
    trips.traveler_login_id,
    trips.booking_source,
    trips.starts_at_local,
    trips.ends_at_local,
    cast(trips.ends_at_local as date) - cast(trips.starts_at_local as date) + 1 as trip_days,
    coalesce(expensed.entry_count, 0) as expense_entry_count,
    trips.modified_at_utc
from trips
left join expensed on expensed.trip_id = trips.trip_id
