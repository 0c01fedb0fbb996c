import { describe, expect, it } from 'vitest';
import { companyCardTransactions } from '../../../src/streams/xml/company-card-transactions.js';
import { expenseDelegators } from '../../../src/streams/xml/expense-delegators.js';
import { expenseForm } from '../../../src/streams/xml/expense-form.js';
import { reportsDetail } from '../../../src/streams/xml/reports-detail.js';
import { NAMESPACE_FORMS, runStream, withEntityBomb, XSI } from './harness.js';

// Per XML stream: both namespace forms, single-element lists, nil/empty/sentinel values, entities.
const V11 = (base: string) => `${base}/api/expense/expensereport/2011/03`;

describe('company_card_transactions (v1.1 CardCharges)', () => {
  const charge = (merchant: string, amount = '283.88000000', key = '<ExpKey>AIRFR</ExpKey>') =>
    `<CardCharge><CardNumber>XXXXXXXXXXXX1234</CardNumber>${key}<ExpName>Airfare</ExpName><Merchant>${merchant}</Merchant>` +
    `<TransactionAmount>${amount}</TransactionAmount><TransactionCrnCode>USD</TransactionCrnCode><TransactionDate>2026-01-05T00:00:00</TransactionDate></CardCharge>`;
  const doc = (ns: string, ...charges: string[]) => `<?xml version="1.0" encoding="utf-8"?><CardCharges xmlns="${V11(ns)}" ${XSI}>${charges.join('')}</CardCharges>`;
  const read = (xml: string) => runStream(companyCardTransactions, { '/api/expense/expensereport/v1.1/CardCharges': xml });

  it.each(NAMESPACE_FORMS)('decodes one charge into one record (%s namespace)', async (ns) => {
    const { records, changes } = await read(doc(ns, charge('R&amp;D Travel &lt;Air&gt;')));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Merchant: 'R&D Travel <Air>', TransactionAmount: 283.88, ExpKey: 'AIRFR', TransactionDate: '2026-01-05T00:00:00' });
    expect(records[0]?.['TransactionKey']).toMatch(/^[0-9a-f]{64}$/);
    expect(changes).toEqual([[]]);
  });

  it('gives identical charges distinct keys, and nil or empty values are null', async () => {
    const same = charge('Cafe', '4.50000000', `<ExpKey i:nil="true" />`);
    const { records } = await read(doc(NAMESPACE_FORMS[0], same, same, charge('Cafe', '4.50000000', '<ExpKey></ExpKey>')));
    const keys = records.map((r) => String(r['TransactionKey']));
    expect(new Set(keys).size).toBe(3);
    expect(keys[1]).toBe(`${keys[0]}#2`);
    expect(records.map((r) => r['ExpKey'])).toEqual([null, null, null]);
  });

  it('refuses a document type with entities, expanding nothing', async () => {
    await expect(read(withEntityBomb(doc(NAMESPACE_FORMS[1], charge('x'))))).rejects.toThrow(/DOCTYPE/);
  });

  it('an empty list is no records', async () => {
    expect((await read(doc(NAMESPACE_FORMS[0]))).records).toEqual([]);
  });
});

describe('expense_delegators (v1.1 Delegators)', () => {
  const delegator = (id: string, approve: string) =>
    `<Delegator><CanApprove>${approve}</CanApprove><CanPrepare>Y</CanPrepare><CanSubmit>N</CanSubmit><CanTemporaryApprove>N</CanTemporaryApprove>` +
    `<CanViewReceipts>Y</CanViewReceipts><ReceiveApprovalEmails>N</ReceiveApprovalEmails><ReceivesEmails>Y</ReceivesEmails><DelegatorXUserID>${id}</DelegatorXUserID></Delegator>`;
  const doc = (ns: string, ...items: string[]) => `<DelegatorsList xmlns="${V11(ns)}" ${XSI}>${items.join('')}</DelegatorsList>`;

  it.each(NAMESPACE_FORMS)('turns Y/N into booleans and sends includeInactive (%s namespace)', async (ns) => {
    const run = await runStream(expenseDelegators, { '/api/expense/expensereport/v1.1/Delegators': doc(ns, delegator('X1', 'Y')) }, { env: { includeInactiveDelegators: true } });
    expect(run.records).toEqual([
      { CanApprove: true, CanPrepare: true, CanSubmit: false, CanTemporaryApprove: false, CanViewReceipts: true, ReceiveApprovalEmails: false, ReceivesEmails: true, DelegatorXUserID: 'X1' },
    ]);
    expect(run.requests[0]?.url).toContain('includeInactive=Y');
  });

  it('a nil flag is null; an unknown flag value is nulled and reported', async () => {
    const run = await runStream(expenseDelegators, {
      '/api/expense/expensereport/v1.1/Delegators': doc(NAMESPACE_FORMS[1], delegator('X1', '<x/>').replace('<CanApprove><x/></CanApprove>', '<CanApprove i:nil="true"/>'), delegator('X2', 'maybe')),
    });
    expect(run.records.map((r) => r['CanApprove'])).toEqual([null, null]);
    expect(run.changes).toEqual([[], ['CanApprove']]);
    expect(run.requests[0]?.url).toContain('includeInactive=N');
  });

  it('refuses a document type with entities, expanding nothing', async () => {
    const xml = withEntityBomb(doc(NAMESPACE_FORMS[0], delegator('X1', 'Y')));
    await expect(runStream(expenseDelegators, { '/api/expense/expensereport/v1.1/Delegators': xml })).rejects.toThrow(/DOCTYPE/);
  });
});

describe('expense_form (v1.1 form types → forms → fields)', () => {
  const routes = (ns: string) => ({
    '/api/expense/expensereport/v1.1/report/Forms': `<FormTypesList xmlns="${V11(ns)}"><FormType><FormCode>RPTINFO</FormCode><Name>Report Header</Name></FormType></FormTypesList>`,
    '/api/expense/expensereport/v1.1/report/Forms/RPTINFO': `<FormDataList xmlns="${V11(ns)}"><FormData><Name>Default (R&amp;D)</Name><FormId>nQ$pA9</FormId></FormData></FormDataList>`,
    '/api/expense/expensereport/v1.1/report/Form/nQ$pA9/Fields':
      `<FormFieldsList xmlns="${V11(ns)}" ${XSI}><FormField><Id>Name</Id><Label>Report Name</Label><ControlType>edit</ControlType><DataType>VARCHAR</DataType>` +
      `<MaxLength>40</MaxLength><Required>Y</Required><Cols /><Access>RW</Access><Width i:nil="true"/><Custom>N</Custom><Sequence>1</Sequence></FormField></FormFieldsList>`,
  });

  it.each(NAMESPACE_FORMS)('composes one row per form with its type and a one-field list (%s namespace)', async (ns) => {
    const { records, requests } = await runStream(expenseForm, routes(ns));
    expect(records).toEqual([
      {
        Fields: [{ Id: 'Name', Label: 'Report Name', ControlType: 'edit', DataType: 'VARCHAR', MaxLength: 40, Required: true, Cols: null, Access: 'RW', Width: null, Custom: false, Sequence: 1 }],
        FormId: 'nQ$pA9',
        Name: 'Default (R&D)',
        FormCode: 'RPTINFO',
        FormTypeName: 'Report Header',
      },
    ]);
    expect(requests.map((r) => r.url)).toContain('/api/expense/expensereport/v1.1/report/Form/nQ%24pA9/Fields');
  });

  it('refuses entity declarations at any level', async () => {
    const r = routes(NAMESPACE_FORMS[0]);
    await expect(runStream(expenseForm, { ...r, '/api/expense/expensereport/v1.1/report/Forms/RPTINFO': withEntityBomb(r['/api/expense/expensereport/v1.1/report/Forms/RPTINFO']) })).rejects.toThrow(/DOCTYPE/);
  });
});

describe('reports_detail (v2 list by status → report details)', () => {
  const V2_LIST = (ns: string) => `${ns}/api/expense/expensereport/2012/06`;
  const V2_DETAIL = (ns: string) => `${ns}/api/expense/expensereport/2012/07`;
  const list = (ns: string, ids: string[]) =>
    `<ReportsList xmlns="${V2_LIST(ns)}">${ids.map((id) => `<ReportSummary><ReportName>Trip</ReportName><ReportId>${id}</ReportId><ExpenseUserLoginID>a@x</ExpenseUserLoginID></ReportSummary>`).join('')}</ReportsList>`;
  const detail = (ns: string, id: string) =>
    `<ReportDetails xmlns="${V2_DETAIL(ns)}" ${XSI}><UserLoginID>a@x</UserLoginID><ReportID>${id}</ReportID><ReportName>Q1 &amp; Q2</ReportName>` +
    `<SubmitDate>0001-01-01T00:00:00</SubmitDate><PaidDate i:nil="true"/><ReportTotal>50.00000000</ReportTotal><EverSentBack>N</EverSentBack><Custom1 />` +
    `<ExpenseEntriesList><ExpenseEntry><ReportEntryID>e1</ReportEntryID><LegacyEntryID>7</LegacyEntryID><PostedAmount>50.00000000</PostedAmount><IsItemized>Y</IsItemized><ExpensePay>Yes</ExpensePay>` +
    `<ItemizationsList><Itemization><ItemizationID>i1</ItemizationID><PostedAmount>50.00000000</PostedAmount>` +
    `<AllocationsList><Allocation><AllocationID>a1</AllocationID><Percentage>100.00%</Percentage><JournalEntriesList><JournalEntry><JournalID>j1</JournalID><Amount>50.00</Amount></JournalEntry></JournalEntriesList></Allocation></AllocationsList>` +
    `</Itemization></ItemizationsList></ExpenseEntry></ExpenseEntriesList></ReportDetails>`;

  it.each(NAMESPACE_FORMS)('decodes nested single-element lists, the sentinel date, nil and empty values (%s namespace)', async (ns) => {
    const { records } = await runStream(reportsDetail, {
      '/api/expense/expensereport/v2.0/Reports/': list(ns, ['R1']),
      '/api/expense/expensereport/v2.0/report/R1': detail(ns, 'R1'),
    });
    expect(records).toHaveLength(1);
    const report = records[0] as Record<string, unknown>;
    expect(report).toMatchObject({ ReportID: 'R1', ReportName: 'Q1 & Q2', SubmitDate: null, PaidDate: null, ReportTotal: 50, EverSentBack: false, Custom1: null });
    expect(report['ReportModifiedBefore']).toBe('2026-02-01T00:00:00.000Z');
    const entries = report['ExpenseEntriesList'] as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ ReportEntryID: 'e1', LegacyEntryID: 7, IsItemized: true, ExpensePay: true });
    const itemizations = entries[0]?.['ItemizationsList'] as Array<Record<string, unknown>>;
    const allocations = itemizations[0]?.['AllocationsList'] as Array<Record<string, unknown>>;
    expect(allocations[0]).toMatchObject({ AllocationID: 'a1', Percentage: '100.00%', JournalEntriesList: [expect.objectContaining({ JournalID: 'j1', Amount: '50.00' })] });
  });

  it('asks each status bucket per window with second-precision UTC bounds, reads a report listed twice once', async () => {
    const { records, requests } = await runStream(
      reportsDetail,
      { '/api/expense/expensereport/v2.0/Reports/': list(NAMESPACE_FORMS[0], ['R1']), '/api/expense/expensereport/v2.0/report/R1': detail(NAMESPACE_FORMS[0], 'R1') },
      { env: { reportStatuses: ['PENDING', 'PROCESSING'] } },
    );
    expect(records).toHaveLength(1);
    const lists = requests.filter((r) => r.url.startsWith('/api/expense/expensereport/v2.0/Reports/')).map((r) => new URL(r.url, 'http://x').searchParams);
    expect(lists.map((q) => q.get('Status'))).toEqual(['PENDING', 'PROCESSING']);
    expect(lists[0]?.get('ModifiedAfterDate')).toBe('2025-12-31T23:59:59');
    expect(lists[0]?.get('ModifiedBeforeDate')).toBe('2026-02-01T00:00:00');
  });

  it('splits a window whose list comes back full (1000 rows), so no report is cut off', async () => {
    const ids = Array.from({ length: 1500 }, (_, i) => `R${i}`);
    const T = (s: string | null) => Date.parse(`${s ?? ''}Z`);
    const start = Date.UTC(2026, 0, 1);
    const at = (i: number) => start + (i + 0.5) * 1000 * 60 * 20; // every 20 minutes from Jan 1
    const routes: Record<string, string | ((req: { url: string }, url: URL) => string)> = {
      '/api/expense/expensereport/v2.0/Reports/': (_req, url) => {
        const after = T(url.searchParams.get('ModifiedAfterDate'));
        const before = T(url.searchParams.get('ModifiedBeforeDate'));
        const matching = ids.filter((_, i) => at(i) > after && at(i) < before).slice(0, 1000);
        return list(NAMESPACE_FORMS[0], matching);
      },
    };
    for (const id of ids) routes[`/api/expense/expensereport/v2.0/report/${id}`] = detail(NAMESPACE_FORMS[0], id);
    const { records } = await runStream(reportsDetail, routes);
    expect(new Set(records.map((r) => r['ReportID'])).size).toBe(1500);
    expect(records).toHaveLength(1500);
  });

  it('skips a report deleted between the list and its details, with a warning', async () => {
    const run = await runStream(reportsDetail, {
      '/api/expense/expensereport/v2.0/Reports/': list(NAMESPACE_FORMS[0], ['GONE', 'R1']),
      '/api/expense/expensereport/v2.0/report/R1': detail(NAMESPACE_FORMS[0], 'R1'),
    });
    expect(run.records.map((r) => r['ReportID'])).toEqual(['R1']);
    expect(run.warnings.some((w) => w.includes('GONE'))).toBe(true);
  });
});
