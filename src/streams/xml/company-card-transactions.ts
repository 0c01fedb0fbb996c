import { createHash } from 'node:crypto';
import type { RecordData } from '../../engine/define.js';
import type { JsonSchemaNode } from '../../concur/xml.js';
import type { StreamContext } from '../env.js';
import { decodeRecords, getXmlDocument } from './requests.js';
import { concurStream } from '../stream.js';

const KEY_FIELDS = ['CardNumber', 'TransactionDate', 'TransactionAmount', 'TransactionCrnCode', 'Merchant'] as const;

// docs/concur-api.md#card-charges-have-no-id: the charges carry no id. The key is a hash of the fields that tell charges apart; two identical
// charges in one answer (a double swipe) get "#2", "#3"… so neither is lost to deduplication.
export function withTransactionKeys(records: RecordData[]): RecordData[] {
  const seen = new Map<string, number>();
  return records.map((record) => {
    const hash = createHash('sha256').update(JSON.stringify(KEY_FIELDS.map((f) => record[f] ?? null))).digest('hex');
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return { ...record, TransactionKey: n === 1 ? hash : `${hash}#${n}` };
  });
}

// Only the token user's own unassigned charges: the API has no user parameter (docs/concur-api.md#token-user-only-apis).
export const companyCardTransactions = concurStream({
  name: 'company_card_transactions',
  primaryKey: ['TransactionKey'],
  deprecated: { since: '2026-06-08', replacement: 'Cards v4 (transactions per user, user tokens only)' },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, '/api/expense/expensereport/v1.1/CardCharges');
    yield withTransactionKeys(decodeRecords(root, ['CardCharges', 'CardCharge'], ctx.schema as JsonSchemaNode | undefined));
  },
});
