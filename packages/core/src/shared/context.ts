import type { RoutingSuggestion } from '../routing/router.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import type { Store } from '../ports.js';

/** Hashing of passwords is injected (argon2id in the server; cheap in unit tests). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** What every service needs from outside: storage, time, ids and randomness. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
  randomBytes(n: number): Uint8Array;
  /** Smart routing (智能分拨) of a report's text; absent where no model is loaded (tests, CLI). */
  route?: (text: string) => Promise<RoutingSuggestion | null>;
}

/** Per-request context passed to writes, so audit rows carry the request id. */
export interface RequestContext {
  requestId: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export const NO_REQUEST: RequestContext = { requestId: null };
