const MASK = '****';

/**
 * Masks secret values wherever they appear: raw, URL-encoded and form-encoded (a secret in a query string or a
 * token request body). Works on values, not key names, so a secret leaks nowhere whatever field carries it.
 * Redaction is applied to strings before serialisation, so a secret made of JSON punctuation cannot break a line.
 */
export class Redactor {
  private readonly variants = new Set<string>();
  private ordered: string[] = [];
  /** Every variant in one alternation: the common answer, "none here", then costs one pass over the text. */
  private any: RegExp | undefined;

  add(secret: string | undefined | null): void {
    if (!secret) return;
    const forms = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replaceAll('%20', '+')];
    let changed = false;
    for (const form of forms) {
      if (!this.variants.has(form)) {
        this.variants.add(form);
        changed = true;
      }
    }
    // Longest first, so a secret that contains another secret is masked whole.
    if (changed) {
      this.ordered = [...this.variants].sort((a, b) => b.length - a.length);
      this.any = new RegExp(this.ordered.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    }
  }

  /** Whether `text` holds any secret (cheaper than `redact(text) !== text` when it holds none). */
  holdsSecret(text: string): boolean {
    return this.any !== undefined && this.any.test(text);
  }

  get size(): number {
    return this.variants.size;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.ordered) {
      if (out.includes(secret)) out = out.replaceAll(secret, MASK);
    }
    return out;
  }

  /** Deep copy with every string value (not key) redacted. */
  redactDeep<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  /** A URL safe to log: credentials in the authority removed, secret values masked. */
  redactUrl(url: string): string {
    let stripped = url;
    try {
      const parsed = new URL(url);
      if (parsed.username || parsed.password) {
        parsed.username = '';
        parsed.password = '';
        stripped = parsed.toString();
      }
    } catch {
      // Not a URL: fall through to value redaction.
    }
    return this.redact(stripped);
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.ordered.length ? this.redact(value) : value;
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.walk(v, depth + 1);
    return out;
  }
}
