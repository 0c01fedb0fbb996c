import { parentPort } from 'node:worker_threads';
import { ConcurError } from './errors.js';
import { parseXml } from './xml.js';

// The other side of XmlParser (xml-parser.ts): parses documents off the main thread and hands back JSON text,
// which the main thread turns into objects several times faster than it could parse the XML itself.
parentPort?.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort?.postMessage({ id, json: JSON.stringify(parseXml(text)) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof ConcurError ? error.message : `Concur answered with unreadable XML: ${(error as Error).message}` });
  }
});
