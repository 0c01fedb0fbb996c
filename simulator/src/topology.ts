import type { ListenerInfo } from './route.js';

/**
 * Which listeners exist. With --geo-redirect the secondary listener (started first) is the
 * data center every identity "lives" in; routes read it at request time.
 */
export interface Topology {
  secondary: ListenerInfo | null;
}
