import { parseTimestamp } from '../../common/time.js';
import { ConcurError } from '../../concur/errors.js';
import type { JsonSchemaNode } from '../../concur/xml.js';
import { defineStream, OptionError, type RecordData } from '../../engine/define.js';
import type { StreamContext, StreamEnv } from '../env.js';
import { decodeRecords, getXmlDocument, lastSegment } from './defaults.js';

const FINAL_STATUS = /complete|fail|error|cancel/i;

/** Extract times come with and without an offset (docs/concur-api.md#timestamps-without-offset-are-utc): RFC 3339 UTC, or null. */
function utc(value: unknown): string | null {
  const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
  return at === undefined ? null : new Date(at).toISOString();
}

/** The configured definitions, or every definition the connection can see. */
async function definitionIds(ctx: StreamContext): Promise<readonly string[]> {
  if (ctx.options.extractDefinitionIds.length > 0) return ctx.options.extractDefinitionIds;
  const root = await getXmlDocument(ctx, '/api/expense/extract/v1.0/');
  return decodeRecords(root, ['definitions', 'definition'], undefined)
    .map((definition) => lastSegment(definition['id']))
    .filter((id): id is string => id !== null);
}

// docs/concur-api.md#extract-jobs-last-100: only the last 100 jobs per definition and no date filter, so the cursor (start-time) is applied
// here. A job that has not finished holds the cursor back, so its final status is read in a later sync.
export const extractJobs = defineStream<StreamEnv>({
  name: 'extract_jobs',
  primaryKey: ['id'],
  scope: 'company',
  cursor: { kind: 'client', field: 'start-time', settled: (job) => job['stop-time'] !== null || FINAL_STATUS.test(String(job['status'] ?? '')) },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    for (const definitionId of await definitionIds(ctx)) {
      let root;
      try {
        root = await getXmlDocument(ctx, `/api/expense/extract/v1.0/${encodeURIComponent(definitionId)}/job`);
      } catch (error) {
        if (error instanceof ConcurError && error.kind === 'not_found' && ctx.options.extractDefinitionIds.length > 0) {
          throw new OptionError(`config.extract_definition_ids: Concur has no extract definition "${definitionId}" (or this connection cannot see it). Use a definition_id from the extract_definitions stream.`, { cause: error });
        }
        throw error;
      }
      yield decodeRecords(root, ['jobs', 'job'], ctx.schema as JsonSchemaNode | undefined).map((job) => ({
        ...job,
        'start-time': utc(job['start-time']),
        'stop-time': utc(job['stop-time']),
        job_id: lastSegment(job['id']),
        definition_id: definitionId,
      }));
    }
  },
});
