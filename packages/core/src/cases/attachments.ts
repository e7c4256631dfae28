import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { Repositories } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import type { CaseRow } from './case-ports.js';

/** A stored photo or file: the bytes live in the file store under `storageName`, never in the web root. */
export interface AttachmentRow {
  id: string;
  caseId: string | null;
  uploadedBy: string;
  uploadedAt: string;
  kind: 'image' | 'document';
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  storageName: string;
  thumbName: string | null;
  originalName: string | null;
}

export interface AttachmentRepository {
  insert(r: AttachmentRow): Promise<void>;
  findById(id: string): Promise<AttachmentRow | undefined>;
  findMany(ids: readonly string[]): Promise<AttachmentRow[]>;
  /** Links unlinked attachments to a case. */
  linkToCase(ids: readonly string[], caseId: string): Promise<void>;
  listOf(caseId: string): Promise<AttachmentRow[]>;
}

/**
 * Links the photos named in a report or an action to the case, inside the caller's transaction:
 * each must exist and be either the caller's own unlinked upload or already on this case.
 * `path` names the field in errors (e.g. `payload.photos`).
 */
export async function linkPhotos(
  tx: Repositories,
  actor: Actor,
  caseId: string,
  ids: readonly string[],
  path: string,
): Promise<void> {
  if (ids.length === 0) return;
  const found = new Map((await tx.attachments.findMany(ids)).map((a) => [a.id, a]));
  const issues = ids.flatMap((id, i) => {
    const a = found.get(id);
    if (!a)
      return [
        { path: `${path}.${i}`, reason: 'unknown attachment (upload it first: POST /api/attachments)' },
      ];
    if (a.caseId !== null && a.caseId !== caseId)
      return [{ path: `${path}.${i}`, reason: 'belongs to another case' }];
    if (a.caseId === null && a.uploadedBy !== actor.userId)
      return [{ path: `${path}.${i}`, reason: 'was uploaded by someone else' }];
    return [];
  });
  if (issues.length) throw validationError(issues, 'invalid photos');
  await tx.attachments.linkToCase(
    ids.filter((id) => found.get(id)?.caseId === null),
    caseId,
  );
}

/** The attachment as callers see it (no storage names). */
export function attachmentView(a: AttachmentRow) {
  return {
    id: a.id,
    caseId: a.caseId,
    kind: a.kind,
    mime: a.mime,
    size: a.size,
    width: a.width,
    height: a.height,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    uploadedAt: a.uploadedAt,
    url: `/api/attachments/${a.id}`,
    thumbnailUrl: a.thumbName ? `/api/attachments/${a.id}/thumbnail` : null,
  };
}

/** Uploads: the metadata and who may see an attachment (the bytes are the server's file store's). */
export function createAttachmentService(
  deps: ServiceDeps,
  cases: { getVisible(actor: Actor, id: string): Promise<CaseRow> },
) {
  const { store, clock } = deps;
  return {
    /** Records a stored upload, linked to a case the caller can see, or left for a later report/action. */
    async record(
      actor: Actor,
      file: Omit<AttachmentRow, 'id' | 'caseId' | 'uploadedBy' | 'uploadedAt'>,
      caseId: string | null,
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'reports:create');
      if (caseId) await cases.getVisible(actor, caseId);
      const row: AttachmentRow = {
        ...file,
        id: deps.ids.next(),
        caseId,
        uploadedBy: actor.userId,
        uploadedAt: clock.now().toISOString(),
      };
      return store.transaction(async (tx) => {
        await tx.attachments.insert(row);
        await audit(tx, deps, actor, ctx, 'attachment.upload', 'attachment', row.id, {
          caseId,
          mime: row.mime,
          size: row.size,
          sha256: row.sha256,
        });
        return attachmentView(row);
      });
    },

    /** An attachment the caller may read: their own upload, or one on a case they can see; else 404. */
    async getReadable(actor: Actor, id: string): Promise<AttachmentRow> {
      const a = await store.repos.attachments.findById(id);
      if (!a) throw new AppError('NOT_FOUND', `attachment ${id} not found`);
      if (a.uploadedBy === actor.userId) return a;
      if (!a.caseId) throw new AppError('NOT_FOUND', `attachment ${id} not found`);
      try {
        await cases.getVisible(actor, a.caseId);
      } catch {
        throw new AppError('NOT_FOUND', `attachment ${id} not found`);
      }
      return a;
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
