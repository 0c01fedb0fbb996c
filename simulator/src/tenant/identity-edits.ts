/** One edit of a directory user by /_sim/mutate, as a PATCH of Identity v4.1 would leave it. */
export interface IdentityEdit {
  readonly modifiedMs: number;
  /** Edits of this user so far: meta.version grows by as many. */
  readonly count: number;
  readonly nickName: string;
}

/** Directory users edited after generation (index → last edit); everyone else is served as generated. */
export class IdentityEdits {
  private readonly edits = new Map<number, IdentityEdit>();

  of(u: number): IdentityEdit | undefined {
    return this.edits.get(u);
  }

  edit(u: number, modifiedMs: number, nickName: string): void {
    this.edits.set(u, { modifiedMs, count: (this.edits.get(u)?.count ?? 0) + 1, nickName });
  }
}
