import type { Kysely } from 'kysely';
import type { AttachmentRepository, AttachmentRow } from '@civicgrid/core';
import type { AttachmentsTable, Database } from '../schema.js';

const rowOf = (r: AttachmentsTable): AttachmentRow => ({
  id: r.id,
  caseId: r.case_id,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
  kind: r.kind as AttachmentRow['kind'],
  mime: r.mime,
  size: Number(r.size),
  width: r.width === null ? null : Number(r.width),
  height: r.height === null ? null : Number(r.height),
  sha256: r.sha256,
  storageName: r.storage_name,
  thumbName: r.thumb_name,
  originalName: r.original_name,
});

/** Photos and files: metadata only (the bytes are in the file store). */
export function attachmentRepository(db: Kysely<Database>): AttachmentRepository {
  return {
    async insert(a) {
      await db
        .insertInto('attachments')
        .values({
          id: a.id,
          case_id: a.caseId,
          uploaded_by: a.uploadedBy,
          uploaded_at: a.uploadedAt,
          kind: a.kind,
          mime: a.mime,
          size: a.size,
          width: a.width,
          height: a.height,
          sha256: a.sha256,
          storage_name: a.storageName,
          thumb_name: a.thumbName,
          original_name: a.originalName,
        })
        .execute();
    },
    async findById(id) {
      const r = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? rowOf(r) : undefined;
    },
    async findMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('attachments')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(rowOf);
    },
    async linkToCase(ids, caseId) {
      if (ids.length === 0) return;
      await db
        .updateTable('attachments')
        .set({ case_id: caseId })
        .where('id', 'in', [...ids])
        .where('case_id', 'is', null)
        .execute();
    },
    async listOf(caseId) {
      const rows = await db
        .selectFrom('attachments')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('uploaded_at')
        .execute();
      return rows.map(rowOf);
    },
  };
}
