import { lastSegment, xmlListPages } from './requests.js';
import { concurStream } from '../stream.js';

// Ids are URLs (…/extract/v1.0/{DefinitionID}); docs/concur-api.md#extract-jobs-last-100 emitting the DefinitionID as well.
export const extractDefinitions = concurStream({
  name: 'extract_definitions',
  primaryKey: ['id'],
  pages: xmlListPages('/api/expense/extract/v1.0/', ['definitions', 'definition']),
  transform: (record) => ({ ...record, definition_id: lastSegment(record['id']) }),
});
