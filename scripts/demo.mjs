#!/usr/bin/env node
// The demo: starts the built-in Concur simulator, points the connector at it, and runs a full read of every
// stream. Messages go to .demo/messages.jsonl; a per-stream summary goes to stderr; then it prints how to go on
// from there (the simulator listens on a fixed port, so .demo/config.json keeps working once it is started again).
//
//   npm run demo [-- --reports 2000 --entries-per-report 8 --seed 7 --grant company|password --port 18080 --keep]
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '300' },
    users: { type: 'string', default: '15' },
    'entries-per-report': { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: '.demo' },
    grant: { type: 'string', default: 'company' },
    // A fixed port: the config written below stays valid for the next simulator started with the same flags.
    port: { type: 'string', default: '18080' },
    // Leave the simulator running after the read, until Ctrl-C.
    keep: { type: 'boolean', default: false },
  },
});
const dir = values.out;
mkdirSync(dir, { recursive: true });

const simulatorArgs = (port) => [
  'simulator/bin/concur-simulator.js',
  '--port', String(port),
  '--seed', values.seed,
  '--users', values.users,
  '--reports', values.reports,
  '--entries-per-report', values['entries-per-report'],
];
const simulator = spawn(process.execPath, simulatorArgs(values.port), { stdio: ['ignore', 'pipe', 'pipe'] });
let simulatorErrors = '';
simulator.stderr.on('data', (chunk) => {
  simulatorErrors += chunk;
  process.stderr.write(chunk);
});
const url = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: simulator.stdout });
  lines.once('line', (line) => resolve(JSON.parse(line).url));
  simulator.once('exit', (code) =>
    reject(
      new Error(
        `the simulator exited (${code}) before listening${/EADDRINUSE|in use/i.test(simulatorErrors) ? `: port ${values.port} is taken; pass --port N (0 = any free port)` : ''}`,
      ),
    ),
  );
}).catch((error) => {
  process.stderr.write(`demo: ${error.message}\n`);
  process.exit(1);
});
const port = new URL(url).port;
process.stderr.write(`Concur simulator listening on ${url} (seed ${values.seed}, ${values.reports} reports)\n`);

// A company-level token (SAP's model for company-wide integrations): it reads every company stream, including
// every user through Identity v4.1. A company owns no personal data, so the token-user streams (delegators,
// card charges, receipt images) come back empty with it; `--grant password` reads as the simulated Web
// Services Administrator instead (user_information then reads that admin's User v1 profile).
const config =
  values.grant === 'password'
    ? {
        credentials: { auth_type: 'password', client_id: 'sim-client-id', client_secret: 'sim-client-secret', username: 'admin@example.com', password: 'sim-admin-password' },
        token_url: `${url}/oauth2/v0/token`,
        user: 'ALL',
        user_information_api: 'user_v1',
      }
    : {
        credentials: {
          auth_type: 'company',
          client_id: 'sim-client-id',
          client_secret: 'sim-client-secret',
          company_id: '7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17',
          company_request_token: 'sim-company-request-token',
        },
        token_url: `${url}/oauth2/v0/token`,
        user: 'ALL',
      };
writeFileSync(`${dir}/config.json`, JSON.stringify(config, null, 2));

const run = (args, sink) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/source-concur.js', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const messages = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      sink?.write(`${line}\n`);
      try {
        messages.push(JSON.parse(line));
      } catch {
        process.stderr.write(`non-JSON stdout line: ${line}\n`);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, messages }));
  });

const stopSimulator = () => simulator.kill('SIGTERM');
try {
  const discovered = await run(['discover', '--config', `${dir}/config.json`]);
  const catalog = discovered.messages.find((m) => m.type === 'CATALOG')?.catalog;
  if (!catalog) throw new Error('discover printed no catalog');
  const configured = {
    streams: catalog.streams.map((stream) => ({
      stream,
      sync_mode: stream.supported_sync_modes.includes('incremental') ? 'incremental' : 'full_refresh',
      destination_sync_mode: 'append',
    })),
  };
  writeFileSync(`${dir}/catalog.json`, JSON.stringify(configured, null, 2));

  const sink = createWriteStream(`${dir}/messages.jsonl`);
  const started = Date.now();
  const read = await run(['read', '--config', `${dir}/config.json`, '--catalog', `${dir}/catalog.json`], sink);
  await new Promise((resolve) => sink.end(resolve));
  const seconds = (Date.now() - started) / 1000;

  const rows = configured.streams.map(({ stream }) => {
    const mine = (m) =>
      (m.type === 'RECORD' && m.record.stream === stream.name) ||
      (m.type === 'STATE' && m.state.stream.stream_descriptor.name === stream.name) ||
      (m.type === 'TRACE' && m.trace.stream_status?.stream_descriptor.name === stream.name);
    const own = read.messages.filter(mine);
    const statuses = own.filter((m) => m.type === 'TRACE').map((m) => m.trace.stream_status.status);
    return {
      stream: stream.name,
      records: own.filter((m) => m.type === 'RECORD').length,
      states: own.filter((m) => m.type === 'STATE').length,
      status: statuses.at(-1) ?? 'NOT RUN',
    };
  });
  const width = Math.max(...rows.map((r) => r.stream.length), 6);
  const line = (a, b, c, d) => `${a.padEnd(width)}  ${b.padStart(8)}  ${c.padStart(6)}  ${d}`;
  process.stderr.write(`\n${line('stream', 'records', 'states', 'status')}\n${'-'.repeat(width + 30)}\n`);
  const tokenUser = new Set(['expense_delegators', 'company_card_transactions', 'receipt_images']);
  for (const r of rows) {
    const note = values.grant !== 'password' && tokenUser.has(r.stream) && r.records === 0 ? '  (token user only: empty for a company token)' : '';
    process.stderr.write(`${line(r.stream, String(r.records), String(r.states), r.status)}${note}\n`);
  }
  const total = rows.reduce((n, r) => n + r.records, 0);
  process.stderr.write(`${'-'.repeat(width + 30)}\n${line('total', String(total), '', `${seconds.toFixed(1)} s, exit ${read.code}`)}\n`);
  process.stderr.write(`\nMessages: ${dir}/messages.jsonl   Config: ${dir}/config.json   Catalog: ${dir}/catalog.json\n`);

  // The same flags give the same company, so the files above work against a simulator started again.
  const again = ['node', ...simulatorArgs(port)].join(' ');
  const readAgain = `node bin/source-concur.js read --config ${dir}/config.json --catalog ${dir}/catalog.json`;
  if (values.keep) {
    process.stderr.write(`\nThe simulator keeps running on ${url} (Ctrl-C stops it). In another terminal:\n  ${readAgain}\n`);
  } else {
    process.stderr.write(
      `\nTo go on from here, start the same simulated company again (it listens until Ctrl-C):\n  ${again}\n` +
        `and, in another terminal:\n  ${readAgain}\n(or run the demo with -- --keep to leave its simulator running)\n`,
    );
  }
  process.exitCode = read.code ?? 1;
  if (values.keep) {
    const stop = () => stopSimulator();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise((resolve) => simulator.once('exit', resolve));
  }
} finally {
  stopSimulator();
}
