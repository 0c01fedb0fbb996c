import type { ConcurClient } from '../concur/client.js';
import type { FetchContext } from '../engine/define.js';

/** What every stream's fetch functions get: the Concur client and the resolved options that shape requests. */
export interface StreamEnv {
  client: ConcurClient;
  /** ALL, or one login id (config `user`). */
  user: string;
}

export type StreamContext = FetchContext<StreamEnv>;
