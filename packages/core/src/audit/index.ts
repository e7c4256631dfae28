export { canonicalJson } from './canonical-json.js';
export {
  GENESIS_HASH,
  computeAuditHash,
  sealAuditEntry,
  verifyAuditChain,
  type AuditChainVerification,
  type AuditEntry,
  type AuditEntryDraft,
  type AuditHashInput,
} from './audit-chain.js';
