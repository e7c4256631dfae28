import type { Actor } from '../access/actor.js';
import { SYSTEM_ACTOR, requirePermission, unitInScope, unitScopePrefix } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { ReportRow } from '../cases/case-ports.js';
import type { CaseService } from '../cases/case.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { normalizeMobile } from './otp.js';
import type { TextHasher } from './otp.js';
import type { ImGroupRow, ImReplyProvider, ResidentReportRow } from './resident-ports.js';
import { basicGridOf } from './resident-grids.js';
import { ensureTracked, residentRepo } from './resident-store.js';
import { newTrackingCode } from './tracking.js';

/** A group message as the IM bridge delivers it (docs/im-adapter.md). */
export interface ImMessage {
  platform: string;
  groupId: string;
  messageId: string;
  sender: { id: string; name?: string | undefined; phone?: string | undefined };
  text: string;
  mentions?: string[] | undefined;
  images?: string[] | undefined;
  sentAt: string;
}

/** Text prefixes that address a message to the grid without an @-mention. */
export const IM_REPORT_PREFIXES = ['#报事', '@网格员'] as const;

const LEADING_SEPARATORS = /^[\s:：,，、.。!！]+/;

/**
 * The report text of a message addressed to the grid, or null when it is not addressed: it
 * @-mentions the group's bot, or starts with #报事 or @网格员. The address itself is removed.
 */
export function addressedText(
  msg: Pick<ImMessage, 'text' | 'mentions'>,
  botName: string | null,
): string | null {
  const text = msg.text.trim();
  if (botName && (msg.mentions ?? []).includes(botName))
    return text.replaceAll(`@${botName}`, '').replace(LEADING_SEPARATORS, '').trim();
  for (const prefix of IM_REPORT_PREFIXES) {
    if (!text.startsWith(prefix)) continue;
    const rest = text.slice(prefix.length);
    // "@网格员小李" is a mention of someone else, not the address "@网格员"
    if (prefix.startsWith('@') && rest !== '' && !LEADING_SEPARATORS.test(rest)) continue;
    return rest.replace(LEADING_SEPARATORS, '').trim();
  }
  return null;
}

/** A group mapping as admins see it. */
function groupView(g: ImGroupRow) {
  return {
    id: g.id,
    platform: g.platform,
    groupId: g.groupId,
    gridCode: g.gridCode,
    botName: g.botName,
    isActive: g.isActive,
    updatedAt: g.updatedAt,
  };
}

export interface ImServiceOptions {
  cases: CaseService;
  replies: ImReplyProvider;
  /** SHA-256 (hex) of text: message ids too long for the report's external id are hashed. */
  hash: TextHasher;
  /** The public page of a tracking code, for the reply (e.g. https://…/t/ABCDEFGHIJ). */
  trackUrl?: (trackingCode: string) => string;
}

/** The IM line: group messages addressed to the grid become resident reports, answered in the group. */
export function createImService(deps: ServiceDeps, opts: ImServiceOptions) {
  const { store, clock } = deps;

  /** The resident account of a sender's phone number, if there is one. */
  async function residentOf(phone: string | null | undefined): Promise<string | null> {
    return phone ? ((await residentRepo(store.repos).findResidentIdByPhone(phone)) ?? null) : null;
  }

  /** A redelivered message: the first delivery's tracking code (its row written now if missing). */
  async function duplicateOf(prior: ReportRow, group: ImGroupRow) {
    const row = await ensureTracked(store.repos, prior, {
      userId: await residentOf(prior.reporterPhone),
      gridCode: group.gridCode,
      source: 'im',
    });
    return { status: 'duplicate' as const, trackingCode: row.trackingCode };
  }

  /** The report's external id: platform and message id, hashed when too long for the column (64). */
  function externalIdOf(msg: ImMessage): string {
    const plain = `${msg.platform}:${msg.messageId}`;
    return plain.length <= 64 ? plain : `${msg.platform}:#${opts.hash(msg.messageId).slice(0, 40)}`;
  }

  return {
    /**
     * Takes in one group message. Unmapped groups and messages not addressed to the grid are
     * ignored; a redelivered message (same platform and message id) returns its first tracking code.
     */
    async receive(msg: ImMessage, ctx: RequestContext) {
      const repo = residentRepo(store.repos);
      const group = await repo.findImGroup(msg.platform, msg.groupId);
      if (!group || !group.isActive)
        return { status: 'ignored' as const, ignored: 'group not mapped to a grid' };
      const text = addressedText(msg, group.botName);
      if (text === null) return { status: 'ignored' as const, ignored: 'not addressed to the grid' };
      if (text.length === 0) return { status: 'ignored' as const, ignored: 'nothing after the address' };
      const externalId = externalIdOf(msg);
      const prior = await store.repos.cases.findReportByExternalId('resident', externalId);
      if (prior) return duplicateOf(prior, group);
      const phone = msg.sender.phone ? (normalizeMobile(msg.sender.phone) ?? undefined) : undefined;
      const trackingCode = newTrackingCode(deps.randomBytes(7));
      const now = clock.now();
      // a platform's clock a little ahead is fine; a date in the future is not a receipt time
      const sentAt = Date.parse(msg.sentAt);
      const receivedAt = sentAt <= now.getTime() + 300_000 ? new Date(sentAt).toISOString() : undefined;
      let r;
      try {
        r = await opts.cases.intake(
          SYSTEM_ACTOR,
          {
            channel: 'resident',
            text,
            unitCode: group.gridCode,
            reporter: { name: msg.sender.name, phone },
            externalId,
            receivedAt,
            fields: {
              trackingCode,
              viaGrid: group.gridCode,
              // image links are kept, never fetched (they point at the platform's servers)
              im: { platform: msg.platform, groupId: msg.groupId, images: msg.images ?? [] },
            },
          },
          ctx,
        );
      } catch (e) {
        // two deliveries of one message at once: the loser (DUPLICATE, or the unique index of
        // external ids when both passed the check) answers like a redelivery
        const again = await store.repos.cases.findReportByExternalId('resident', externalId);
        if (again) return duplicateOf(again, group);
        throw e;
      }
      const row: ResidentReportRow = {
        trackingCode,
        caseId: r.caseId,
        reportId: r.reportId,
        // a sender whose number has a resident account finds the report among their own
        userId: await residentOf(phone),
        gridCode: group.gridCode,
        source: 'im',
        createdAt: now.toISOString(),
        ratedAt: null,
        satisfaction: null,
      };
      // false: a redelivery racing us wrote the same row first
      await repo.insertReport(row);
      const link = opts.trackUrl ? ` 进度查询：${opts.trackUrl(trackingCode)}` : '';
      let replied = true;
      try {
        await opts.replies.reply({
          platform: msg.platform,
          groupId: msg.groupId,
          inReplyTo: msg.messageId,
          mention: msg.sender.id,
          kind: 'reported',
          trackingCode,
          caseNumber: r.caseNumber,
          text: `已收到您反映的问题，受理编号 ${r.caseNumber}，查询码 ${trackingCode}。${link}`,
        });
      } catch {
        // the report stands; the bridge may fetch the code by message id later
        replied = false;
      }
      return { status: 'reported' as const, trackingCode, caseNumber: r.caseNumber, replied };
    },

    /** Maps a group to a grid (or changes the mapping); the grid must be in the caller's scope. */
    async saveGroup(
      actor: Actor,
      input: {
        platform: string;
        groupId: string;
        gridCode: string;
        botName?: string | null | undefined;
        isActive?: boolean | undefined;
      },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'settings:write');
      const grid = await basicGridOf(store.repos, input.gridCode);
      if (!unitInScope(actor, grid.path)) throw new AppError('UNIT_NOT_FOUND', `no grid ${input.gridCode}`);
      const now = clock.now().toISOString();
      const saved = await store.transaction(async (tx) => {
        const repo = residentRepo(tx);
        const existing = await repo.findImGroup(input.platform, input.groupId);
        if (existing && !unitInScope(actor, existing.unitPath))
          throw new AppError('CONFLICT', 'this group is mapped to a grid outside your scope');
        const g = await repo.saveImGroup({
          id: existing?.id ?? deps.ids.next(),
          platform: input.platform,
          groupId: input.groupId,
          gridCode: grid.code,
          unitPath: grid.path,
          botName: input.botName ?? null,
          isActive: input.isActive ?? true,
          createdBy: existing?.createdBy ?? (actor.userId === 'system' ? null : actor.userId),
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        });
        await audit(tx, deps, actor, ctx, 'im.group_save', 'im_group', g.id, {
          platform: g.platform,
          groupId: g.groupId,
          gridCode: g.gridCode,
          isActive: g.isActive,
        });
        return g;
      });
      return groupView(saved);
    },

    /** The group mappings of grids in the caller's scope. */
    async listGroups(actor: Actor, limit = 500) {
      requirePermission(actor, 'settings:read');
      const rows = await residentRepo(store.repos).listImGroups(
        unitScopePrefix(actor) ?? '/~/',
        Math.min(Math.max(limit, 1), 2000),
      );
      return { items: rows.map(groupView) };
    },
  };
}

export type ImService = ReturnType<typeof createImService>;
