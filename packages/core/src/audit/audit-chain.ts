import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** One row of the append-only audit log; `hash` chains it to the row before (`prevHash`). */
export interface AuditEntry {
  seq: number;
  id: string;
  /** ISO 8601 UTC, e.g. 2026-01-31T08:00:00.000Z. */
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: unknown;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/** What a caller supplies; sequence number and hashes are added by sealing. */
export type AuditEntryDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;
/** The fields the hash covers (everything but the two hashes). */
export type AuditHashInput = Omit<AuditEntry, 'prevHash' | 'hash'>;

export type AuditChainVerification =
  | { ok: true; count: number; headHash: string }
  | {
      ok: false;
      /** Entries that verified before the first broken one. */
      count: number;
      firstBrokenSeq: number;
      reason: 'hash mismatch' | 'prev hash mismatch' | 'sequence gap' | 'anchor mismatch' | 'truncated';
    };

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
const HASH_RE = /^[0-9a-f]{64}$/;
const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** The hashed fields in a fixed shape; absent optional values count as null. */
function hashedFields(e: AuditHashInput): AuditHashInput {
  return {
    seq: e.seq,
    id: e.id,
    at: e.at,
    actorId: e.actorId ?? null,
    actorRole: e.actorRole ?? null,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    details: e.details === undefined ? null : e.details,
    requestId: e.requestId ?? null,
  };
}

/** Hex SHA-256 of `prevHash + '\n' + canonicalJson(fields)`, fields being all but the hashes. */
export function computeAuditHash(prevHash: string, entry: AuditHashInput): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(hashedFields(entry))}`, 'utf8')
    .digest('hex');
}

/**
 * Turns a draft into the next entry after `prev` (null for the first): seq, prevHash and hash set,
 * details normalised to plain JSON so the entry equals what storage will return.
 */
export function sealAuditEntry(
  prev: { seq: number; hash: string } | null,
  draft: AuditEntryDraft,
): AuditEntry {
  if (prev && (!Number.isSafeInteger(prev.seq) || prev.seq < 1))
    throw new RangeError('audit: bad previous seq');
  if (prev && !HASH_RE.test(prev.hash)) throw new RangeError('audit: bad previous hash');
  if (!ISO_UTC_RE.test(draft.at) || Number.isNaN(Date.parse(draft.at))) {
    throw new RangeError(`audit: "at" must be an ISO UTC timestamp, got ${JSON.stringify(draft.at)}`);
  }
  if (!draft.id || !draft.action || !draft.entityType)
    throw new RangeError('audit: id, action and entityType are required');
  const details: unknown = draft.details === undefined ? null : JSON.parse(canonicalJson(draft.details));
  const fields = hashedFields({ ...draft, details, seq: prev ? prev.seq + 1 : 1 });
  const prevHash = prev ? prev.hash : GENESIS_HASH;
  return { ...fields, prevHash, hash: computeAuditHash(prevHash, fields) };
}

/**
 * Verifies a chain streamed in seq order from 1, holding one entry at a time. An optional anchor
 * (a head recorded elsewhere earlier) also catches rewriting of the whole tail and truncation.
 */
export async function verifyAuditChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  options: { anchor?: { seq: number; hash: string } } = {},
): Promise<AuditChainVerification> {
  const { anchor } = options;
  let count = 0;
  let prevHash = GENESIS_HASH;
  for await (const entry of entries) {
    const expectedSeq = count + 1;
    const broken = (
      reason: Exclude<AuditChainVerification, { ok: true }>['reason'],
    ): AuditChainVerification => ({
      ok: false,
      count,
      firstBrokenSeq: expectedSeq,
      reason,
    });
    if (entry.seq !== expectedSeq) return broken('sequence gap');
    if (entry.prevHash !== prevHash) return broken('prev hash mismatch');
    if (computeAuditHash(prevHash, entry) !== entry.hash) return broken('hash mismatch');
    if (anchor && anchor.seq === entry.seq && anchor.hash !== entry.hash) return broken('anchor mismatch');
    prevHash = entry.hash;
    count = expectedSeq;
  }
  if (anchor && anchor.seq > count)
    return { ok: false, count, firstBrokenSeq: count + 1, reason: 'truncated' };
  return { ok: true, count, headHash: prevHash };
}
