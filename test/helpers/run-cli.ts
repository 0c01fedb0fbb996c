import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAirbyteMessage } from './protocol-schema.js';

export const CLI = join(import.meta.dirname, '..', '..', 'bin', 'source-concur.js');

// Loose view of a message for assertions; each line has already been validated against the protocol schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = { type: string } & Record<string, any>;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  messages: Message[];
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Kill with this signal once `when` returns true for a message. */
  killOn?: { signal: NodeJS.Signals; when: (message: Message, all: Message[]) => boolean };
  /** Called for each message as it arrives, to change the world mid-run (tests of the memory guard). */
  onMessage?: (message: Message, all: Message[]) => void;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/**
 * Runs the built CLI as a separate process, as the platform does. Every stdout line must be a valid Airbyte
 * message (anything else fails the test: stdout is the data channel).
 */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    const messages: Message[] = [];
    const out: string[] = [];
    const err: string[] = [];
    let partial = '';
    let problem: Error | undefined;
    let killed = false;
    const timer = setTimeout(() => {
      problem = new Error(`CLI timed out after ${options.timeoutMs ?? 120_000} ms: ${args.join(' ')}`);
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      out.push(chunk.toString('utf8'));
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        try {
          const message = JSON.parse(line) as Message;
          assertAirbyteMessage(message, line);
          messages.push(message);
          options.onMessage?.(message, messages);
          if (!killed && options.killOn?.when(message, messages)) {
            killed = true;
            child.kill(options.killOn.signal);
          }
        } catch (error) {
          problem ??= new Error(`stdout line is not a valid Airbyte message: ${(error as Error).message}\n${line.slice(0, 500)}`);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial.trim() !== '' && !killed) problem ??= new Error(`stdout ended with a partial line: ${partial.slice(0, 200)}`);
      if (problem) reject(problem);
      else resolve({ code, signal, messages, stdout: out.join(''), stderr: err.join('') });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'source-concur-test-'));
let counter = 0;

/** Writes a JSON file for --config/--catalog/--state and returns its path. */
export function jsonFile(value: unknown, name = 'file'): string {
  const path = join(dir, `${name}-${counter++}.json`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

export const byType = (messages: Message[], type: string) => messages.filter((m) => m.type === type);
export const records = (messages: Message[], stream?: string) =>
  messages.filter((m) => m.type === 'RECORD' && (stream === undefined || m.record.stream === stream)).map((m) => m.record.data as Record<string, unknown>);
export const states = (messages: Message[], stream?: string) =>
  messages.filter((m) => m.type === 'STATE' && (stream === undefined || m.state.stream.stream_descriptor.name === stream));
export const statuses = (messages: Message[], stream: string) =>
  messages
    .filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS' && m.trace.stream_status.stream_descriptor.name === stream)
    .map((m) => m.trace.stream_status.status as string);
export const errors = (messages: Message[]) => messages.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR').map((m) => m.trace.error);
