import { toUtc } from '../../common/time.js';
import type { JsonSchemaNode } from '../../concur/xml.js';
import type { RecordData } from '../../engine/define.js';
import { parentField, type StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { decodeRecords, getXmlDocument, lastSegment } from './requests.js';

const FINAL_STATUS = /complete|fail|error|cancel/i;

/** The definitions whose jobs are read: the configured ones, or every one the connection can see. Not a stream of its own. */
const jobDefinitions = concurStream({
  name: 'extract_job_definitions',
  primaryKey: ['definition_id'],
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    if (ctx.options.extractDefinitionIds.length > 0) {
      yield ctx.options.extractDefinitionIds.map((id) => ({ definition_id: id }));
      return;
    }
    const root = await getXmlDocument(ctx, '/api/expense/extract/v1.0/');
    yield decodeRecords(root, ['definitions', 'definition'], undefined)
      .map((definition) => lastSegment(definition['id']))
      .filter((id): id is string => id !== null)
      .map((id) => ({ definition_id: id }));
  },
});

// docs/concur-api.md#extract-jobs-last-100: only the last 100 jobs per definition and no date filter, so the cursor (start-time) is applied
// here. A job that has not finished holds the cursor back, so its final status is read in a later sync.
export const extractJobs = concurStream({
  name: 'extract_jobs',
  primaryKey: ['id'],
  parent: { stream: jobDefinitions },
  cursor: { kind: 'client', field: 'start-time', settled: (job) => job['stop-time'] !== null || FINAL_STATUS.test(String(job['status'] ?? '')) },
  failures: {
    not_found: (ctx) =>
      ctx.options.extractDefinitionIds.length > 0
        ? `config.extract_definition_ids: Concur has no extract definition "${parentField(ctx, 'definition_id')}" (or this connection cannot see it). Use a definition_id from the extract_definitions stream.`
        : undefined,
  },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, `/api/expense/extract/v1.0/${encodeURIComponent(parentField(ctx, 'definition_id'))}/job`);
    yield decodeRecords(root, ['jobs', 'job'], ctx.schema as JsonSchemaNode | undefined);
  },
  // Extract times come with and without an offset (docs/concur-api.md#timestamps-without-offset-are-utc).
  transform: (job, ctx) => ({
    ...job,
    'start-time': toUtc(job['start-time']),
    'stop-time': toUtc(job['stop-time']),
    job_id: lastSegment(job['id']),
    definition_id: parentField(ctx, 'definition_id'),
  }),
});
