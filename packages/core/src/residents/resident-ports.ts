/**
 * Storage and outside services of the resident line (一群通办): one-time codes, reports with their
 * tracking codes, IM groups mapped to grids (implemented in packages/db residents.repository.ts),
 * the SMS gateway and the IM reply channel (implemented in apps/server/src/residents).
 */

/** A one-time code as stored: only its salted hash. */
export interface OtpCodeRow {
  id: string;
  phone: string;
  codeHash: string;
  salt: string;
  createdAt: string;
  expiresAt: string;
  /** Guesses made so far (each is counted before it is checked). */
  attempts: number;
  consumedAt: string | null;
}

/** Where a resident report came from: the resident page (QR code) or an IM group. */
export type ResidentReportSource = 'page' | 'im';

/** A resident's report and its tracking code (查询码). */
export interface ResidentReportRow {
  trackingCode: string;
  caseId: string;
  reportId: string;
  /** The resident's account; null for an IM sender without one. */
  userId: string | null;
  /** The grid whose QR code or group the report came through. */
  gridCode: string;
  source: ResidentReportSource;
  createdAt: string;
  /** The reporter's last rating of the result (null: not rated). */
  ratedAt: string | null;
  satisfaction: string | null;
}

/** An IM group (a WeChat/WeCom/DingTalk group of a grid) mapped to its grid. */
export interface ImGroupRow {
  id: string;
  platform: string;
  groupId: string;
  gridCode: string;
  /** The grid's path, for the data scope of the admins who list groups. */
  unitPath: string;
  /** The name the group @-mentions the grid's bot by (e.g. 网格员小李). */
  botName: string | null;
  isActive: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ResidentRepository {
  /** Stores a new code; false when one was already sent to the phone in the same resend slot. */
  insertOtp(row: OtpCodeRow, slot: number): Promise<boolean>;
  /** Codes sent to the phone since an instant: count, newest and oldest. */
  otpHistory(
    phone: string,
    since: string,
  ): Promise<{ count: number; lastAt: string | null; firstAt: string | null }>;
  /** The newest code sent to the phone. */
  latestOtp(phone: string): Promise<OtpCodeRow | undefined>;
  /** Counts one guess if fewer than `max` were made; the new count, or null when none is left. */
  claimOtpAttempt(id: string, max: number): Promise<number | null>;
  /** Marks a code used; false when it already was (a parallel login won). */
  consumeOtp(id: string, at: string): Promise<boolean>;
  /** Deletes codes created before an instant (of one phone, or of all). */
  purgeOtps(before: string, phone?: string): Promise<number>;
  /** The resident account with this phone number (the oldest, if several). */
  findResidentIdByPhone(phone: string): Promise<string | undefined>;

  /**
   * Stores a report's tracking code; false when the code is stored already (a redelivered IM
   * message's repair and the first delivery may both write the same row).
   */
  insertReport(row: ResidentReportRow): Promise<boolean>;
  findReport(trackingCode: string): Promise<ResidentReportRow | undefined>;
  findReportByReportId(reportId: string): Promise<ResidentReportRow | undefined>;
  /** A resident's reports, newest first; keyset on (createdAt, trackingCode). */
  listReportsOf(
    userId: string,
    limit: number,
    before?: { createdAt: string; trackingCode: string },
  ): Promise<ResidentReportRow[]>;
  /**
   * Records a rating if the report was not rated since `closedAt`; false when it was (a second tab
   * or a retry). `previous` restores an earlier rating when the revisit behind it fails.
   */
  claimRating(trackingCode: string, closedAt: string, at: string, satisfaction: string): Promise<boolean>;
  restoreRating(
    trackingCode: string,
    previous: { ratedAt: string | null; satisfaction: string | null },
  ): Promise<void>;

  /** Creates or replaces the mapping of a group (platform + group id are unique). */
  saveImGroup(row: ImGroupRow): Promise<ImGroupRow>;
  findImGroup(platform: string, groupId: string): Promise<ImGroupRow | undefined>;
  listImGroups(scopePrefix: string, limit: number): Promise<ImGroupRow[]>;
}

/** The repository set's extension (`Repositories & ResidentRepositories` once store.ts names it). */
export interface ResidentRepositories {
  residents: ResidentRepository;
}

/** What a code message carries besides its text: template-based SMS vendors need the code alone. */
export interface SmsMeta {
  purpose: 'otp';
  code: string;
  ttlMinutes: number;
}

/** The SMS gateway (短信网关): throws when the message could not be handed over. */
export interface SmsProvider {
  send(phone: string, text: string, meta?: SmsMeta): Promise<void>;
}

/** A reply into an IM group, answering one message. */
export interface ImReply {
  platform: string;
  groupId: string;
  /** The message answered. */
  inReplyTo: string;
  /** The sender to @-mention (the platform's user id). */
  mention: string | null;
  kind: 'reported';
  trackingCode: string;
  caseNumber: string;
  text: string;
}

/** The channel replies go back through (the IM bridge); throws when the reply was not delivered. */
export interface ImReplyProvider {
  reply(r: ImReply): Promise<void>;
}
