#!/usr/bin/env node
// Dev tool, not part of the build or the tests: drafts schemas/<stream>.json from a stream catalogue
// (research notes kept outside this repository: per stream, its fields and their types). The committed
// schemas are the source of truth; re-run this only to draft a new stream, then review the diff by hand.
//
//   node scripts/schemas-from-catalogue.mjs --catalogue PATH stream_name...
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {parseArgs} from 'node:util';

const {values, positionals} = parseArgs({
  options: {catalogue: {type: 'string'}},
  allowPositionals: true,
});
if (!values.catalogue) throw new Error('--catalogue PATH is required: the stream catalogue JSON to draft schemas from');
const catalogue = JSON.parse(readFileSync(values.catalogue, 'utf8'));

// Fields the connector adds to a record. Each must be documented in the README.
const added = {
  parentReportModified: {
    ReportLastModifiedDate: {
      type: ['null', 'string'],
      format: 'date-time',
      airbyte_type: 'timestamp_without_timezone',
      description:
        'Added by the connector: LastModifiedDate of the parent expense report when this record was read. ' +
        'It is the incremental cursor of this stream (children are re-read when their report changes).',
    },
  },
};
const extras = {
  expense_entries: added.parentReportModified,
  expense_itemizations: added.parentReportModified,
  expense_allocations: added.parentReportModified,
  entry_attendee_associations: added.parentReportModified,
};

const isDateTime = (f) =>
  typeof f.format === 'string' && /date-time|YYYY-MM-DDThh|YYYY-MM-DDTHH/.test(f.format);

function fieldSchema(f) {
  const nullable = f.nullable !== false;
  const t = (base) => (nullable ? ['null', base] : base);
  const s = {};
  if (f.type === 'object' && f.children) {
    s.type = t('object');
    s.additionalProperties = true;
    s.properties = Object.fromEntries(f.children.map((c) => [c.name, fieldSchema(c)]));
  } else if (f.type === 'array') {
    s.type = t('array');
    if (f.children) {
      s.items = {
        type: 'object',
        additionalProperties: true,
        properties: Object.fromEntries(f.children.map((c) => [c.name, fieldSchema(c)])),
      };
    } else {
      s.items = {type: f.items ?? 'string'};
    }
  } else {
    s.type = t(f.type);
    if (f.type === 'string' && isDateTime(f)) {
      s.format = 'date-time';
      s.airbyte_type = 'timestamp_without_timezone';
    }
  }
  if (f.description_short) s.description = f.description_short;
  return s;
}

mkdirSync('schemas', {recursive: true});
for (const name of positionals) {
  const entry = catalogue.find((s) => s.stream === name);
  if (!entry) throw new Error(`no stream ${name} in the catalogue`);
  const properties = Object.fromEntries(entry.fields.map((f) => [f.name, fieldSchema(f)]));
  Object.assign(properties, extras[name] ?? {});
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: entry.title,
    description: `${entry.api_family}: ${entry.method} ${entry.path}`,
    type: 'object',
    additionalProperties: true,
    properties,
  };
  writeFileSync(`schemas/${name}.json`, JSON.stringify(schema, null, 2) + '\n');
  console.log(`schemas/${name}.json: ${Object.keys(properties).length} top-level fields`);
}
