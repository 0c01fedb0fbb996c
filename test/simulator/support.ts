import {
  SIM_ADMIN_LOGIN,
  SIM_ADMIN_PASSWORD,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_COMPANY_ID,
  SIM_COMPANY_REQUEST_TOKEN,
  SIM_USER_LOGIN,
  SIM_USER_PASSWORD,
  type Simulator,
} from '../helpers/simulator.js';

/** Small HTTP helpers for the simulator tests (plain fetch, no connector code). */

export type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export async function postForm(base: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return reply(res);
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: string;
  refresh_token: string;
  refresh_expires_in: number;
  scope: string;
  id_token: string;
  geolocation: string;
}

export async function passwordToken(
  base: string,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<TokenBody> {
  const r = await postForm(base, {
    grant_type: 'password',
    client_id: SIM_CLIENT_ID,
    client_secret: SIM_CLIENT_SECRET,
    username,
    password,
    ...extra,
  });
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${r.text}`);
  return r.body as TokenBody;
}

export async function adminToken(sim: Simulator): Promise<string> {
  return (await passwordToken(sim.url, SIM_ADMIN_LOGIN, SIM_ADMIN_PASSWORD)).access_token;
}

export async function userToken(sim: Simulator): Promise<string> {
  return (await passwordToken(sim.url, SIM_USER_LOGIN, SIM_USER_PASSWORD)).access_token;
}

/** A company-level access token (the company request token exchanged with credtype=authtoken). */
export async function companyToken(sim: Simulator): Promise<string> {
  const r = await postForm(sim.url, {
    grant_type: 'password',
    credtype: 'authtoken',
    client_id: SIM_CLIENT_ID,
    client_secret: SIM_CLIENT_SECRET,
    username: SIM_COMPANY_ID,
    password: SIM_COMPANY_REQUEST_TOKEN,
  });
  return (r.body as TokenBody).access_token;
}

/** GET a path (relative to base) or absolute URL with a Bearer token. */
export async function get(base: string, pathOrUrl: string, token: string | null, headers: Record<string, string> = {}): Promise<Reply> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`;
  const res = await fetch(url, { headers: token === null ? headers : { authorization: `Bearer ${token}`, ...headers } });
  return reply(res);
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface ListPage {
  Items: Json[];
  NextPage: string | null;
}

export function asPage(r: Reply): ListPage {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`);
  return r.body as ListPage;
}

/** Follow NextPage from the first page; returns all items and the number of pages. */
export async function collect(base: string, path: string, token: string): Promise<{ items: Json[]; pages: number; urls: string[] }> {
  const items: Json[] = [];
  const urls: string[] = [];
  let next: string | null = `${base}${path}`;
  while (next !== null) {
    urls.push(next);
    const page = asPage(await get(base, next, token));
    items.push(...page.Items);
    next = page.NextPage;
    if (urls.length > 10_000) throw new Error('paging loop');
  }
  return { items, pages: urls.length, urls };
}

export function errorMessage(r: Reply): string {
  const body = r.body as { Error?: { Message?: string } } | undefined;
  return body?.Error?.Message ?? '';
}

export function ids(items: readonly Json[]): string[] {
  return items.map((i) => String(i['ID']));
}

/** Parse a Concur timestamp (no offset, 0-3 fraction digits) as UTC ms. */
export function concurMs(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(`${value}Z`);
}

export const CONCUR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;
