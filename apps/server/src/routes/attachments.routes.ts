import type { FastifyRequest } from 'fastify';
import type { AttachmentService } from '@civicgrid/core';
import { AppError } from '@civicgrid/core';
import type { FileStore } from '../files/file-store.js';
import { UploadRejectedError } from '../files/errors.js';
import { sanitizeUpload } from '../files/image-sanitize.js';
import { fileResponseHeaders } from '../files/serve-headers.js';
import type { StoredMime } from '../files/serve-headers.js';
import type { Handler } from '../http/register.js';

/** Largest upload accepted (bytes). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Reads the single `file` part of a multipart upload into memory (bounded by the plugin's limit). */
async function readUpload(req: FastifyRequest): Promise<{ bytes: Buffer; name: string | null }> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data (field "file")');
  const part = await req.file();
  if (!part)
    throw new AppError('VALIDATION_FAILED', 'no file in the upload', {
      issues: [{ path: 'body.file', reason: 'is required' }],
    });
  if (part.fieldname !== 'file')
    throw new AppError('VALIDATION_FAILED', 'the file must be in the field "file"', {
      issues: [{ path: `body.${part.fieldname}`, reason: 'unknown field; use "file"' }],
    });
  const bytes = await part.toBuffer();
  if (part.file.truncated)
    throw new UploadRejectedError(`larger than ${MAX_UPLOAD_BYTES} bytes`, {}, 'PAYLOAD_TOO_LARGE');
  if (bytes.length === 0)
    throw new AppError('VALIDATION_FAILED', 'the file is empty', {
      issues: [{ path: 'body.file', reason: 'is empty' }],
    });
  return { bytes, name: part.filename ? part.filename.slice(0, 200) : null };
}

/** Uploads (checked, re-encoded, stored outside the web root) and downloads (nosniff, scoped). */
export function attachmentRoutes(s: { attachments: AttachmentService }, files: FileStore) {
  const uploadAttachment: Handler = async ({ actor, query, req, ctx }) => {
    const { bytes, name } = await readUpload(req);
    const clean = await sanitizeUpload(bytes, { maxBytes: MAX_UPLOAD_BYTES });
    const stored = await files.put(clean.bytes);
    const thumb = clean.kind === 'image' ? await files.put(clean.thumbnail.bytes) : null;
    try {
      return await s.attachments.record(
        actor!,
        {
          kind: clean.kind,
          mime: clean.mime,
          size: clean.bytes.length,
          width: clean.kind === 'image' ? clean.width : null,
          height: clean.kind === 'image' ? clean.height : null,
          sha256: stored.sha256,
          storageName: stored.key,
          thumbName: thumb?.key ?? null,
          originalName: name,
        },
        (query.caseId as string | undefined) ?? null,
        ctx,
      );
    } catch (e) {
      // nothing refers to the bytes: do not leave them behind
      await files.delete(stored.key).catch(() => false);
      if (thumb) await files.delete(thumb.key).catch(() => false);
      throw e;
    }
  };
  const send =
    (which: 'file' | 'thumbnail'): Handler =>
    async ({ actor, params, reply }) => {
      const a = await s.attachments.getReadable(actor!, params.id as string);
      const key = which === 'file' ? a.storageName : a.thumbName;
      if (!key) throw new AppError('NOT_FOUND', 'this attachment has no thumbnail');
      const { stream, size } = await files.openRead(key);
      reply.headers(
        fileResponseHeaders({
          mime: (which === 'file' ? a.mime : 'image/jpeg') as StoredMime,
          size,
          downloadName: a.originalName ?? a.id,
        }),
      );
      return reply.send(stream);
    };
  return {
    uploadAttachment,
    getAttachment: send('file'),
    getAttachmentThumbnail: send('thumbnail'),
  } satisfies Record<string, Handler>;
}
