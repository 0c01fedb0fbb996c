import { describe, expect, it } from 'vitest';
import { ConcurError } from '../../../src/concur/errors.js';
import { coerceXml, decodeEntities, parseXml, xmlList, type JsonSchemaNode, type XmlNode } from '../../../src/concur/xml.js';

const V11_HTTP = 'http://www.concursolutions.com/api/expense/expensereport/2011/03';
const V11_HTTPS = 'https://www.concursolutions.com/api/expense/expensereport/2011/03';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function payloadError(run: () => unknown): ConcurError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConcurError);
    expect((error as ConcurError).kind).toBe('payload');
    return error as ConcurError;
  }
  throw new Error('expected a ConcurError');
}

const nullable = (type: string, extra: Partial<JsonSchemaNode> = {}): JsonSchemaNode => ({ type: [type, 'null'], ...extra });

const REPORT_SCHEMA: JsonSchemaNode = {
  type: 'object',
  properties: {
    ReportID: nullable('string'),
    ReportName: nullable('string'),
    Purpose: nullable('string'),
    SubmitDate: nullable('string', { format: 'date-time' }),
    LastModified: nullable('string', { format: 'date-time' }),
    ReportTotal: nullable('number'),
    EntryCount: nullable('integer'),
    Percentage: nullable('number'),
    HasException: nullable('boolean'),
    ReceiptsReceived: nullable('boolean'),
    ExpensePay: nullable('boolean'),
    EverSentBack: nullable('boolean'),
    ApprovalStatusCode: nullable('string'),
    IsPersonal: nullable('string'),
    ExpenseEntriesList: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: { ReportEntryID: nullable('string'), PostedAmount: nullable('number'), IsItemized: nullable('boolean') },
      },
    },
    Comments: { type: ['array', 'null'], items: { type: 'object', properties: { Comment: nullable('string') } } },
  },
};

const reportXml = (namespace: string) => `<?xml version="1.0" encoding="utf-8"?>
<ReportDetails xmlns="${namespace}" xmlns:i="${XSI}">
  <ReportID>gWq$sRx1</ReportID>
  <ReportName>Q3 R&amp;D trip &lt;Berlin&gt; &#x41;&#66;</ReportName>
  <Purpose i:nil="true" />
  <SubmitDate>0001-01-01T00:00:00</SubmitDate>
  <LastModified>2013-09-02T19:46:01.57</LastModified>
  <ReportTotal>50.00000000</ReportTotal>
  <EntryCount>3</EntryCount>
  <Percentage>12.5%</Percentage>
  <HasException>Y</HasException>
  <ReceiptsReceived>N</ReceiptsReceived>
  <ExpensePay>Yes</ExpensePay>
  <EverSentBack>No</EverSentBack>
  <ApprovalStatusCode>Y</ApprovalStatusCode>
  <IsPersonal>No</IsPersonal>
  <ExpenseEntriesList>
    <ExpenseEntry>
      <ReportEntryID>e1</ReportEntryID>
      <PostedAmount>1,234.50000000</PostedAmount>
      <IsItemized>Y</IsItemized>
    </ExpenseEntry>
  </ExpenseEntriesList>
  <Comments />
</ReportDetails>`;

const EXPECTED_REPORT = {
  ReportID: 'gWq$sRx1',
  ReportName: 'Q3 R&D trip <Berlin> AB',
  Purpose: null,
  SubmitDate: null,
  LastModified: '2013-09-02T19:46:01.57',
  ReportTotal: 50,
  EntryCount: 3,
  Percentage: 12.5,
  HasException: true,
  ReceiptsReceived: false,
  ExpensePay: true,
  EverSentBack: false,
  ApprovalStatusCode: 'Y',
  IsPersonal: 'No',
  ExpenseEntriesList: [{ ReportEntryID: 'e1', PostedAmount: 1234.5, IsItemized: true }],
  Comments: [],
};

function report(xml: string): unknown {
  const root = parseXml(xml);
  return coerceXml(root['ReportDetails'], REPORT_SCHEMA);
}

describe('parseXml + coerceXml on a v2/v1.1 document', () => {
  it('turns a report into typed JSON (nil, sentinel, numbers, %, Y/N, lists, entities)', () => {
    expect(report(reportXml(V11_HTTP))).toEqual(EXPECTED_REPORT);
  });

  it('gives the same result for the http and https namespace URIs', () => {
    expect(report(reportXml(V11_HTTPS))).toEqual(report(reportXml(V11_HTTP)));
    expect(parseXml(reportXml(V11_HTTPS))).toEqual(parseXml(reportXml(V11_HTTP)));
  });

  it('drops namespace prefixes on elements and attributes', () => {
    const prefixed = `<ns:ReportDetails xmlns:ns="${V11_HTTPS}" xmlns:i="${XSI}"><ns:ReportID>r1</ns:ReportID><ns:Purpose i:nil="true"/><ns:ReportTotal>2.50</ns:ReportTotal></ns:ReportDetails>`;
    const plain = `<ReportDetails xmlns="${V11_HTTP}" xmlns:i="${XSI}"><ReportID>r1</ReportID><Purpose i:nil="true"/><ReportTotal>2.50</ReportTotal></ReportDetails>`;
    expect(parseXml(prefixed)).toEqual(parseXml(plain));
    const coerced = coerceXml(parseXml(prefixed)['ReportDetails'], REPORT_SCHEMA) as Record<string, unknown>;
    expect(coerced['ReportID']).toBe('r1');
    expect(coerced['Purpose']).toBeNull();
    expect(coerced['ReportTotal']).toBe(2.5);
  });

  it('keeps values as text until coerced, and keeps attributes', () => {
    const root = parseXml('<Amount currency="EUR">50.00000000</Amount>');
    expect(root).toEqual({ Amount: { '#text': '50.00000000', '@_currency': 'EUR' } });
    expect(coerceXml(root['Amount'], { type: 'number' })).toBe(50);
    expect(parseXml('<A><B>007</B><C>true</C></A>')).toEqual({ A: { B: '007', C: 'true' } });
  });

  it('fills properties the document lacks with null and ignores attributes', () => {
    const root = parseXml(`<ReportDetails xmlns="${V11_HTTP}" Version="2"><ReportID>r1</ReportID></ReportDetails>`);
    const coerced = coerceXml(root['ReportDetails'], REPORT_SCHEMA) as Record<string, unknown>;
    expect(coerced['ReportID']).toBe('r1');
    expect(coerced['ReportTotal']).toBeNull();
    expect(coerced['ExpenseEntriesList']).toBeNull();
    expect(Object.keys(coerced).some((key) => key.startsWith('@_'))).toBe(false);
  });
});

describe('coerceXml scalars', () => {
  const cases: Array<{ what: string; xml: string; schema: JsonSchemaNode; expected: unknown }> = [
    { what: 'i:nil on a string', xml: `<V xmlns:i="${XSI}" i:nil="true"/>`, schema: nullable('string'), expected: null },
    { what: 'i:nil on a number', xml: `<V xmlns:i="${XSI}" i:nil="true"></V>`, schema: nullable('number'), expected: null },
    { what: 'i:nil on an array', xml: `<V xmlns:i="${XSI}" i:nil="true"/>`, schema: { type: ['array', 'null'], items: { type: 'string' } }, expected: null },
    { what: 'empty string element', xml: '<V></V>', schema: nullable('string'), expected: null },
    { what: 'self-closed string element', xml: '<V/>', schema: nullable('string'), expected: null },
    { what: 'whitespace-only element', xml: '<V>   </V>', schema: nullable('string'), expected: null },
    { what: 'empty number element', xml: '<V/>', schema: nullable('number'), expected: null },
    { what: 'empty boolean element', xml: '<V/>', schema: nullable('boolean'), expected: null },
    { what: 'empty object element', xml: '<V/>', schema: { type: ['object', 'null'], properties: {} }, expected: null },
    { what: 'sentinel date-time', xml: '<V>0001-01-01T00:00:00</V>', schema: nullable('string', { format: 'date-time' }), expected: null },
    { what: 'sentinel date-time with fraction', xml: '<V>0001-01-01T00:00:00.000</V>', schema: nullable('string', { format: 'date-time' }), expected: null },
    { what: 'sentinel date only', xml: '<V>0001-01-01</V>', schema: nullable('string', { format: 'date-time' }), expected: null },
    { what: 'sentinel in a plain string field stays', xml: '<V>0001-01-01T00:00:00</V>', schema: nullable('string'), expected: '0001-01-01T00:00:00' },
    { what: 'real date-time stays text', xml: '<V>2013-09-02T19:46:35.537</V>', schema: nullable('string', { format: 'date-time' }), expected: '2013-09-02T19:46:35.537' },
    { what: '8-digit decimal', xml: '<V>50.00000000</V>', schema: nullable('number'), expected: 50 },
    { what: 'negative decimal', xml: '<V>-12.34000000</V>', schema: nullable('number'), expected: -12.34 },
    { what: 'thousands separator', xml: '<V>1,000.25</V>', schema: nullable('number'), expected: 1000.25 },
    { what: 'percentage', xml: '<V>100%</V>', schema: nullable('number'), expected: 100 },
    { what: 'decimal percentage', xml: '<V>33.33333333%</V>', schema: nullable('number'), expected: 33.33333333 },
    { what: 'integer', xml: '<V>42</V>', schema: nullable('integer'), expected: 42 },
    { what: 'integer written as decimal', xml: '<V>7.00000000</V>', schema: nullable('integer'), expected: 7 },
    { what: 'fractional text in an integer field stays text', xml: '<V>7.5</V>', schema: nullable('integer'), expected: '7.5' },
    { what: 'non-numeric text in a number field stays text', xml: '<V>n/a</V>', schema: nullable('number'), expected: 'n/a' },
    { what: 'number text in a string field stays text', xml: '<V>50.00000000</V>', schema: nullable('string'), expected: '50.00000000' },
    { what: 'Y in a boolean field', xml: '<V>Y</V>', schema: nullable('boolean'), expected: true },
    { what: 'N in a boolean field', xml: '<V>N</V>', schema: nullable('boolean'), expected: false },
    { what: 'Yes in a boolean field', xml: '<V>Yes</V>', schema: nullable('boolean'), expected: true },
    { what: 'No in a boolean field', xml: '<V>No</V>', schema: nullable('boolean'), expected: false },
    { what: 'lower-case y in a boolean field', xml: '<V>y</V>', schema: nullable('boolean'), expected: true },
    { what: 'true in a boolean field', xml: '<V>true</V>', schema: nullable('boolean'), expected: true },
    { what: 'false in a boolean field', xml: '<V>false</V>', schema: nullable('boolean'), expected: false },
    { what: 'other text in a boolean field stays text', xml: '<V>Maybe</V>', schema: nullable('boolean'), expected: 'Maybe' },
    { what: 'Y in a string field stays Y', xml: '<V>Y</V>', schema: nullable('string'), expected: 'Y' },
    { what: 'No in a string field stays No', xml: '<V>No</V>', schema: nullable('string'), expected: 'No' },
    { what: 'true in a string field stays text', xml: '<V>true</V>', schema: nullable('string'), expected: 'true' },
    { what: 'entities in a string field', xml: '<V>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#x41;&#66;&#x20AC;</V>', schema: nullable('string'), expected: 'a & b <c> "d" \'e\' AB\u20ac' },
    { what: 'double-escaped text is decoded once', xml: '<V>&amp;lt;b&amp;gt;</V>', schema: nullable('string'), expected: '&lt;b&gt;' },
    { what: 'unknown entity references stay literal', xml: '<V>&lol9; &nbsp;</V>', schema: nullable('string'), expected: '&lol9; &nbsp;' },
    { what: 'no schema: text as is', xml: '<V>Y</V>', schema: {}, expected: 'Y' },
  ];

  it.each(cases)('$what', ({ xml, schema, expected }) => {
    expect(coerceXml(parseXml(xml)['V'], schema)).toEqual(expected);
  });

  it('a missing value is null', () => {
    expect(coerceXml(undefined, nullable('string'))).toBeNull();
  });
});

describe('lists', () => {
  const entry: JsonSchemaNode = { type: 'object', properties: { ReportEntryID: nullable('string'), PostedAmount: nullable('number') } };
  const listSchema: JsonSchemaNode = { type: 'array', items: entry };

  it('a container with one item becomes a one-element array', () => {
    const root = parseXml('<R><ExpenseEntriesList><ExpenseEntry><ReportEntryID>e1</ReportEntryID><PostedAmount>5.00000000</PostedAmount></ExpenseEntry></ExpenseEntriesList></R>');
    expect(coerceXml((root['R'] as Record<string, XmlNode>)['ExpenseEntriesList'], listSchema)).toEqual([{ ReportEntryID: 'e1', PostedAmount: 5 }]);
  });

  it('a container with several items keeps their order', () => {
    const root = parseXml(
      '<R><ExpenseEntriesList><ExpenseEntry><ReportEntryID>e1</ReportEntryID></ExpenseEntry><ExpenseEntry><ReportEntryID>e2</ReportEntryID><PostedAmount>1</PostedAmount></ExpenseEntry></ExpenseEntriesList></R>',
    );
    expect(coerceXml((root['R'] as Record<string, XmlNode>)['ExpenseEntriesList'], listSchema)).toEqual([
      { ReportEntryID: 'e1', PostedAmount: null },
      { ReportEntryID: 'e2', PostedAmount: 1 },
    ]);
  });

  it('an empty list element is []', () => {
    expect(coerceXml(parseXml('<R><ExpenseEntriesList/></R>')['R'], { type: 'object', properties: { ExpenseEntriesList: listSchema } })).toEqual({
      ExpenseEntriesList: [],
    });
    expect(coerceXml(parseXml('<R><ExpenseEntriesList></ExpenseEntriesList></R>')['R'], { type: 'object', properties: { ExpenseEntriesList: listSchema } })).toEqual({
      ExpenseEntriesList: [],
    });
  });

  it('a container with attributes (xmlns) still unwraps its one child element', () => {
    const root = parseXml(`<ExpenseEntriesList xmlns="${V11_HTTPS}" count="1"><ExpenseEntry><ReportEntryID>e1</ReportEntryID><PostedAmount>2</PostedAmount></ExpenseEntry></ExpenseEntriesList>`);
    expect(coerceXml(root['ExpenseEntriesList'], listSchema)).toEqual([{ ReportEntryID: 'e1', PostedAmount: 2 }]);
  });

  it('a repeated item standing directly in the record is one item, even with a single field', () => {
    const attendee: JsonSchemaNode = { type: 'array', items: { type: 'object', properties: { AttendeeID: nullable('string') } } };
    const root = parseXml('<Entry><Attendee><AttendeeID>a1</AttendeeID></Attendee></Entry>');
    expect(coerceXml((root['Entry'] as Record<string, XmlNode>)['Attendee'], attendee)).toEqual([{ AttendeeID: 'a1' }]);
    const two = parseXml('<Entry><Attendee><AttendeeID>a1</AttendeeID></Attendee><Attendee><AttendeeID>a2</AttendeeID></Attendee></Entry>');
    expect(coerceXml((two['Entry'] as Record<string, XmlNode>)['Attendee'], attendee)).toEqual([{ AttendeeID: 'a1' }, { AttendeeID: 'a2' }]);
  });

  it('a container holding a count beside its repeated items yields the items', () => {
    const root = parseXml('<R><List><Count>2</Count><ExpenseEntry><ReportEntryID>e1</ReportEntryID></ExpenseEntry><ExpenseEntry><ReportEntryID>e2</ReportEntryID></ExpenseEntry></List></R>');
    expect(coerceXml((root['R'] as Record<string, XmlNode>)['List'], listSchema)).toEqual([
      { ReportEntryID: 'e1', PostedAmount: null },
      { ReportEntryID: 'e2', PostedAmount: null },
    ]);
  });

  it('a list of scalars is coerced item by item', () => {
    const root = parseXml('<Amounts><Amount>1.50</Amount><Amount>2</Amount></Amounts>');
    expect(coerceXml(root['Amounts'], { type: 'array', items: { type: 'number' } })).toEqual([1.5, 2]);
    const one = parseXml('<Amounts><Amount>3</Amount></Amounts>');
    expect(coerceXml(one['Amounts'], { type: 'array', items: { type: 'number' } })).toEqual([3]);
  });

  describe('xmlList', () => {
    const doc = (charges: string) => parseXml(`<CardChargesList xmlns="${V11_HTTPS}"><CardCharges>${charges}</CardCharges></CardChargesList>`);

    it('one element becomes a one-element array', () => {
      expect(xmlList(doc('<CardCharge><Merchant>Cafe</Merchant></CardCharge>'), ['CardChargesList', 'CardCharges', 'CardCharge'])).toEqual([{ Merchant: 'Cafe' }]);
    });

    it('several elements stay an array in document order', () => {
      const list = xmlList(doc('<CardCharge><Merchant>A</Merchant></CardCharge><CardCharge><Merchant>B</Merchant></CardCharge>'), [
        'CardChargesList',
        'CardCharges',
        'CardCharge',
      ]);
      expect(list).toEqual([{ Merchant: 'A' }, { Merchant: 'B' }]);
    });

    it('an empty or missing list is []', () => {
      expect(xmlList(doc(''), ['CardChargesList', 'CardCharges', 'CardCharge'])).toEqual([]);
      expect(xmlList(parseXml('<CardChargesList><CardCharges/></CardChargesList>'), ['CardChargesList', 'CardCharges', 'CardCharge'])).toEqual([]);
      expect(xmlList(doc('<CardCharge><Merchant>A</Merchant></CardCharge>'), ['CardChargesList', 'Other', 'CardCharge'])).toEqual([]);
      expect(xmlList(parseXml('<A>text</A>'), ['A', 'B'])).toEqual([]);
    });
  });
});

describe('refused documents', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz><Name>&lol9;</Name></lolz>`;
  const xxe = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<ReportDetails><ReportName>&xxe;</ReportName></ReportDetails>`;

  it.each([
    { what: 'billion laughs', xml: billionLaughs },
    { what: 'external entity (XXE)', xml: xxe },
    { what: 'lower-case doctype', xml: '<!doctype html><html><body>proxy error</body></html>' },
    { what: 'a DOCTYPE without entities', xml: '<?xml version="1.0"?><!DOCTYPE ReportDetails SYSTEM "http://example.com/r.dtd"><ReportDetails/>' },
    { what: 'a bare ENTITY declaration', xml: '<R><!ENTITY x "y"></R>' },
  ])('$what: refused with a payload error, nothing expanded', ({ xml }) => {
    const error = payloadError(() => parseXml(xml));
    expect(error.message).toMatch(/DOCTYPE|ENTITY/);
    expect(error.message).not.toContain('lollol');
    expect(error.message).not.toContain('root:');
    expect(error.message.length).toBeLessThan(300);
  });

  it.each([
    { what: 'mismatched tags', xml: '<a><b></a>' },
    { what: 'unclosed root', xml: '<ReportDetails><ReportID>1</ReportID>' },
    { what: 'not XML at all', xml: 'Service Unavailable' },
    { what: 'JSON instead of XML', xml: '{"Items": []}' },
    { what: 'two roots with garbage', xml: '<a></a></b>' },
  ])('malformed XML ($what) is a payload error', ({ xml }) => {
    const error = payloadError(() => parseXml(xml));
    expect(error.message).toMatch(/XML/);
  });

  it('an empty document is a payload error', () => {
    payloadError(() => parseXml(''));
    payloadError(() => parseXml('<?xml version="1.0"?>'));
  });

  it('nesting deeper than the limit is refused', () => {
    const nested = (levels: number) => '<d>'.repeat(levels) + 'x' + '</d>'.repeat(levels);
    expect(() => parseXml(nested(64))).not.toThrow();
    expect(payloadError(() => parseXml(nested(65))).message).toMatch(/nested deeper than 64/);
    // Far deeper documents are stopped by the parser itself, still as a payload error.
    payloadError(() => parseXml(nested(5000)));
  });
});

describe('decodeEntities', () => {
  it.each([
    { text: 'plain', expected: 'plain' },
    { text: '&amp;&lt;&gt;&quot;&apos;', expected: '&<>"\'' },
    { text: '&#x41;&#x1F600;&#65;', expected: 'A\u{1F600}A' },
    { text: '&#0; &#x110000;', expected: '&#0; &#x110000;' },
    { text: '&unknown; &amp', expected: '&unknown; &amp' },
  ])('$text', ({ text, expected }) => {
    expect(decodeEntities(text)).toBe(expected);
  });
});
