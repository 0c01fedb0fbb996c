import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConcurError } from './errors.js';
import { parseXml, type XmlNode } from './xml.js';

export type XmlDocument = { [name: string]: XmlNode };

type Job = { resolve: (document: XmlDocument) => void; reject: (error: Error) => void };

/**
 * Parses Concur's XML documents on worker threads. Parsing (with fast-xml-parser's validation) is most of the CPU
 * an XML stream costs, ~10 ms a page of 100 trips and ~20 ms a v2 report: on the main thread it holds up every
 * request in flight, so that a read under latency waits on its own parsing. A worker parses and hands back JSON
 * text, which the main thread reads several times faster. Where no worker can run (the worker's file is missing,
 * as when the sources run under a test runner, or it fails), documents are parsed on the main thread as before.
 */
export class XmlParser {
  private workers: Worker[] | undefined;
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private turn = 0;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  parse(text: string): Promise<XmlDocument> {
    const workers = this.start();
    if (workers.length === 0) return new Promise((resolve) => resolve(parseXml(text)));
    const id = this.nextId++;
    const worker = workers[this.turn++ % workers.length] as Worker;
    // Referenced only while a document is out: an idle worker must not keep the process alive.
    if (this.jobs.size === 0) for (const w of workers) w.ref();
    return new Promise<XmlDocument>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      worker.postMessage({ id, text });
    });
  }

  /** Stops the workers; documents still out are parsed no more. */
  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private start(): Worker[] {
    if (this.workers) return this.workers;
    const file = workerFile();
    this.workers = [];
    if (file === undefined) return this.workers;
    for (let i = 0; i < this.size; i++) {
      // Not the process's own Node flags (a flag for the main script, such as --input-type, stops a worker); its
      // young generation as small as the process's (bin/source-concur.js).
      const worker = new Worker(file, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 12 } });
      worker.unref();
      worker.on('message', (answer: { id: number; json?: string; error?: string }) => this.answer(answer));
      worker.on('error', (error) => this.fail(error));
      this.workers.push(worker);
    }
    return this.workers;
  }

  private answer({ id, json, error }: { id: number; json?: string; error?: string }): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    if (this.jobs.size === 0) for (const worker of this.workers ?? []) worker.unref();
    if (error !== undefined || json === undefined) job.reject(new ConcurError('payload', error ?? 'The XML parser answered nothing.'));
    else job.resolve(JSON.parse(json) as XmlDocument);
  }

  /** A worker that fails takes its documents with it; they and the rest are parsed on the main thread. */
  private fail(error: Error): void {
    const workers = this.workers ?? [];
    this.workers = [];
    for (const worker of workers) void worker.terminate();
    for (const job of this.jobs.values()) job.reject(new ConcurError('payload', `The XML parser stopped: ${error.message}`));
    this.jobs.clear();
  }
}

/** The worker's script beside this module: the bundle's (.mjs) or the compiled one (.js). */
function workerFile(): URL | undefined {
  for (const name of ['./xml-worker.mjs', './xml-worker.js']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}
