import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/concur/xml.js';

// The parser as built (dist/, with its worker script beside it): documents are parsed on a worker thread.
const builtPath: string = '../../../dist/concur/xml-parser.js';
const built = (await import(builtPath)) as typeof import('../../../src/concur/xml-parser.js');
const parser = new built.XmlParser(2);
afterAll(() => parser.close());

const trips = (n: number) =>
  `<?xml version="1.0"?><ConnectResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Data><ItineraryInfoList>${Array.from(
    { length: n },
    (_, i) => `<ItineraryInfo><TripId>t${i}</TripId><TripName>Zürich &amp; Genève ${i}</TripName><BookingSource i:nil="true"/></ItineraryInfo>`,
  ).join('')}</ItineraryInfoList></Data></ConnectResponse>`;

describe('XmlParser (worker threads)', () => {
  it('gives what the main thread would, for many documents at once, in any order of completion', async () => {
    const documents = Array.from({ length: 40 }, (_, i) => trips(1 + (i % 7) * 30));
    const parsed = await Promise.all(documents.map((text) => parser.parse(text)));
    expect(parsed).toEqual(documents.map((text) => parseXml(text)));
  });

  it('refuses what the main thread refuses, as a payload error, and goes on parsing', async () => {
    for (const text of ['<a><b></a>', '<!DOCTYPE x [<!ENTITY e "x">]><a>&e;</a>', '']) {
      const error = await parser.parse(text).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'ConcurError', kind: 'payload' });
      expect(() => parseXml(text)).toThrow();
    }
    expect(await parser.parse(trips(2))).toEqual(parseXml(trips(2)));
  });

  it('an idle worker does not keep the process alive (a process that parsed and forgot to close still ends)', () => {
    const script = `const { XmlParser } = await import(${JSON.stringify(new URL('../../../dist/concur/xml-parser.js', import.meta.url).href)}); const p = new XmlParser(1); const d = await p.parse('<a><b>1</b></a>'); console.log(JSON.stringify(d));`;
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }).toString();
    expect(JSON.parse(out)).toEqual({ a: { b: '1' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
