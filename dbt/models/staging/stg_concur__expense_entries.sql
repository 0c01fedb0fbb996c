-- One row per entry currently on its report (current_children says why the others are dropped).
with entries as (
    {{ concur.current_children(source('concur', 'expense_entries'), 'id') }}
)

select
    id as entry_id,
    current_report_id as report_id,
    reportownerid as owner_login_id,
    expensetypecode as expense_type_code,
    expensetypename as expense_type_name,
    spendcategorycode as spend_category_code,
    spendcategoryname as spend_category_name,
    paymenttypeid as payment_type_id,
    paymenttypename as payment_type_name,
    cast(transactiondate as timestamp) as transaction_date,
    transactioncurrencycode as transaction_currency_code,
    cast(transactionamount as numeric(38, 9)) as transaction_amount,
    cast(exchangerate as numeric(38, 9)) as exchange_rate,
    cast(postedamount as numeric(38, 9)) as posted_amount,
    cast(approvedamount as numeric(38, 9)) as approved_amount,
    vendordescription as vendor_description,
    vendorlistitemname as vendor_list_item_name,
    locationname as location_name,
    locationcountry as location_country,
    locationsubdivision as location_subdivision,
    description,
    ispersonal as is_personal,
    isbillable as is_billable,
    ispersonalcardcharge as is_personal_card_charge,
    hasimage as has_image,
    receiptreceived as receipt_received,
    hasitemizations as has_itemizations,
    hasattendees as has_attendees,
    allocationtype as allocation_type,
    companycardtransactionid as company_card_transaction_id,
    tripid as trip_id,
    formid as form_id,
    -- Mileage: the nested Journey object, unpacked.
    {{ concur.json_text('journey', 'StartLocation') }} as journey_start_location,
    {{ concur.json_text('journey', 'EndLocation') }} as journey_end_location,
    cast({{ concur.json_text('journey', 'BusinessDistance') }} as numeric(38, 9)) as journey_business_distance,
    {{ concur.json_text('journey', 'UnitOfMeasure') }} as journey_unit_of_measure,
    cast(lastmodified as timestamp) as last_modified_at,
    cast(reportlastmodifieddate as timestamp) as report_last_modified_at,
    _airbyte_extracted_at as synced_at
from entries
