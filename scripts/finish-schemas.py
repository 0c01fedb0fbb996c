#!/usr/bin/env python3
"""One-off dev step after scripts/schemas-from-catalogue.mjs for the fourteen streams outside the expense-report family: the connector's
decisions applied to the drafted schemas (Y/N flags as booleans, synthetic keys, composed rows, fields the
connector adds, deprecation notes). Kept for the record; the committed schemas are the source of truth."""
import json

YN = {
    'expense_delegators': ['CanApprove', 'CanPrepare', 'CanSubmit', 'CanTemporaryApprove', 'CanViewReceipts', 'ReceiveApprovalEmails', 'ReceivesEmails'],
    'reports_detail': ['EverSentBack', 'HasException', 'ReceiptsReceived',
                       'ExpenseEntriesList.HasVat', 'ExpenseEntriesList.HasComments', 'ExpenseEntriesList.IsItemized',
                       'ExpenseEntriesList.HasExceptions', 'ExpenseEntriesList.IsPersonal', 'ExpenseEntriesList.HasAttendees',
                       'ExpenseEntriesList.HasAllocation', 'ExpenseEntriesList.IsCreditCardCharge', 'ExpenseEntriesList.IsPersonalCardCharge',
                       'ExpenseEntriesList.ReceiptRequired', 'ExpenseEntriesList.ImageRequired', 'ExpenseEntriesList.ReportEntryReceiptReceived',
                       'ExpenseEntriesList.ExpensePay',
                       'ExpenseEntriesList.ItemizationsList.HasComments', 'ExpenseEntriesList.ItemizationsList.IsPersonal',
                       'ExpenseEntriesList.ItemizationsList.AttendeesList.HasExceptionsPrevYear',
                       'ExpenseEntriesList.ItemizationsList.AttendeesList.HasExceptionsYTD',
                       'ExpenseEntriesList.ItemizationsList.AttendeesList.IsDeleted'],
    'user_information': ['Active', 'ExpenseUser', 'ExpenseApprover', 'TripUser', 'InvoiceUser', 'InvoiceApprover', 'IsTestEmp'],
}

DEPRECATED = {
    'company_card_transactions': 'SAP deprecated Company Card Transactions v1.1 on 2026-06-08 (replacement: Cards v4, user tokens only); new Concur apps may be refused access.',
    'expense_attendees': 'SAP deprecated Attendees v3 on 2025-07-01 (replacement: Attendees v4).',
    'expense_attendee_types': 'SAP deprecated Attendee Types v3 in July 2025 (replacement: Attendee Types v4).',
    'expense_group_configurations': 'SAP deprecated Expense Group Configurations v3 on 2025-06-26 (replacement: Expense Configuration v4).',
    'list_items': 'SAP deprecated List Items v3 on 2021-04-16 (replacement: List Item v4).',
    'locations': 'SAP deprecated Locations v3 on 2025-10-10 (replacement: Localities v5).',
    'reports_detail': 'SAP deprecated Expense Report v2 (list and report details; no decommission date announced; replacement: Reports v3/v4).',
}

def load(name):
    return json.load(open(f'schemas/{name}.json'))

def save(name, schema):
    open(f'schemas/{name}.json', 'w').write(json.dumps(schema, indent=2) + '\n')

def node(schema, path):
    cur = schema
    for part in path.split('.'):
        props = cur['properties'] if 'properties' in cur else cur['items']['properties']
        cur = props[part]
    return cur

def nullable(t):
    return ['null', t]

for name, fields in YN.items():
    schema = load(name)
    for path in fields:
        try:
            field = node(schema, path)
        except KeyError:
            continue
        field['type'] = nullable('boolean')
        field['description'] = (field.get('description', '').replace('Y/N ', '').replace(' Y/N', '').strip() + ' (Concur sends Y/N or Yes/No; converted to true/false).').strip()
    save(name, schema)

# Company card charges carry no id (docs/concur-api.md#card-charges-have-no-id): a synthetic key, documented in the README.
schema = load('company_card_transactions')
schema['properties'] = {'TransactionKey': {
    'type': 'string',
    'description': 'Added by the connector: SHA-256 (hex) of CardNumber, TransactionDate, TransactionAmount, TransactionCrnCode and Merchant, '
                   'plus "#n" for the n-th identical charge in one read (n from 2). Concur gives these charges no id.'},
    **schema['properties']}
save('company_card_transactions', schema)

# reports_detail: the v2 list filters by modification date, but no report-level modified time is in the payload.
schema = load('reports_detail')
schema['properties']['ReportModifiedBefore'] = {
    'type': ['null', 'string'], 'format': 'date-time', 'airbyte_type': 'timestamp_with_timezone',
    'description': 'Added by the connector: the end of the date window (v2 ModifiedBeforeDate) in which Concur listed this report as '
                   'modified, so the report was last changed before this time. It is the incremental cursor of this stream.'}
save('reports_detail', schema)

# Extract job times arrive with and without an offset (docs/concur-api.md#extract-jobs-last-100): normalised to RFC 3339 UTC.
schema = load('extract_jobs')
for field in ('start-time', 'stop-time'):
    schema['properties'][field].update({'format': 'date-time', 'airbyte_type': 'timestamp_with_timezone'})
    schema['properties'][field]['description'] += ' (normalised to RFC 3339 UTC; Concur sends it with or without an offset)'
save('extract_jobs', schema)

# Expense Form: one row per form, with its form type and its fields (docs/concur-api.md#expense-form-three-levels).
field_props = {
    'Id': {'type': 'string', 'description': 'Field id (e.g. Name, PolKey, Custom1)'},
    'Label': {'type': ['null', 'string'], 'description': 'Field label'},
    'ControlType': {'type': ['null', 'string'], 'description': 'UI control (edit, static, picklist, textarea, list_edit...)'},
    'DataType': {'type': ['null', 'string'], 'description': 'VARCHAR, INTEGER, CHAR, TIMESTAMP, NUMERIC, MONEY, SMALLINT, BINARY, LIST, MLIST, BOOLEANCHAR'},
    'MaxLength': {'type': ['null', 'integer'], 'description': 'Max length; null when not applicable'},
    'Required': {'type': ['null', 'boolean'], 'description': 'Required on the form (Concur sends Y/N; converted to true/false).'},
    'Cols': {'type': ['null', 'integer'], 'description': 'Columns; often null'},
    'Access': {'type': ['null', 'string'], 'description': 'RW read/write, RO read-only, HD hidden'},
    'Width': {'type': ['null', 'integer'], 'description': 'Width; often null'},
    'Custom': {'type': ['null', 'boolean'], 'description': 'Custom field (Concur sends Y/N; converted to true/false).'},
    'Sequence': {'type': ['null', 'integer'], 'description': 'Order on the form'},
}
save('expense_form', {
    '$schema': 'http://json-schema.org/draft-07/schema#',
    'title': 'Expense Form',
    'description': 'Expense Report Form v1.1: GET /api/expense/expensereport/v1.1/report/Forms, then /report/Forms/{FormCode} per form type, '
                   'then /report/Form/{FormId}/Fields per form. One row per form, carrying its form type and its fields.',
    'type': 'object',
    'additionalProperties': True,
    'properties': {
        'FormId': {'type': 'string', 'description': 'Form id (opaque, may contain $)'},
        'Name': {'type': ['null', 'string'], 'description': 'Form name'},
        'FormCode': {'type': ['null', 'string'], 'description': 'Form type code (e.g. RPTINFO, CASH)'},
        'FormTypeName': {'type': ['null', 'string'], 'description': 'Form type name'},
        'Fields': {'type': ['null', 'array'], 'description': 'The fields of the form, in Concur order',
                   'items': {'type': 'object', 'additionalProperties': True, 'properties': field_props}},
    },
})

# user_information: the v1 UserProfile fields, plus what Identity v4.1 adds; each mode fills what it has.
schema = load('user_information')
dt = lambda d: {'type': ['null', 'string'], 'format': 'date-time', 'airbyte_type': 'timestamp_with_timezone', 'description': d}
s = lambda d: {'type': ['null', 'string'], 'description': d}
schema['properties'].update({
    'IdentityId': s('Identity v4.1: the user\'s UUID (SCIM id); null from User v1'),
    'ExternalId': s('Identity v4.1: externalId'),
    'DisplayName': s('Identity v4.1: displayName'),
    'Title': s('Identity v4.1: job title'),
    'PreferredLanguage': s('Identity v4.1: preferredLanguage (e.g. en-US)'),
    'Timezone': s('Identity v4.1: Olson time zone'),
    'CompanyId': s('Identity v4.1: enterprise companyId'),
    'CostCenter': s('Identity v4.1: enterprise costCenter'),
    'Department': s('Identity v4.1: enterprise department'),
    'Division': s('Identity v4.1: enterprise division'),
    'ManagerId': s('Identity v4.1: the manager\'s UUID'),
    'StartDate': dt('Identity v4.1: enterprise startDate'),
    'TerminationDate': dt('Identity v4.1: enterprise terminationDate'),
    'Created': dt('Identity v4.1: meta.created'),
    'LastModified': dt('Identity v4.1: meta.lastModified'),
})
schema['description'] = 'Identity v4.1: GET /profile/identity/v4.1/Users (default), or User v1: GET /api/user/v1.0/User (option user_information_api).'
save('user_information', schema)

for name, note in DEPRECATED.items():
    schema = load(name)
    schema['description'] = f"{schema['description']}. {note}"
    save(name, schema)
