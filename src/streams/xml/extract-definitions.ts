import { defineStream } from '../../engine/define.js';
import type { StreamEnv } from '../env.js';
import { lastSegment, xmlListPages } from './defaults.js';

// Ids are URLs (…/extract/v1.0/{DefinitionID}); docs/concur-api.md#extract-jobs-last-100 emitting the DefinitionID as well.
export const extractDefinitions = defineStream<StreamEnv>({
  name: 'extract_definitions',
  primaryKey: ['id'],
  scope: 'company',
  pages: xmlListPages('/api/expense/extract/v1.0/', ['definitions', 'definition']),
  transform: (record) => ({ ...record, definition_id: lastSegment(record['id']) }),
});
