import type { OutputMime } from './image-sanitize.js';

/**
 * Response headers for a stored file. The route decides who may see it (the case's data scope); these
 * headers make sure that what is sent is only ever treated as the type we stored: no MIME sniffing,
 * a sandboxing CSP in case a browser renders it as a document anyway, PDFs downloaded rather than
 * opened in the page's origin, and no caching outside the user's own browser.
 */

export type StoredMime = OutputMime | 'application/pdf';

const EXTENSION: Record<StoredMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** A download name of safe characters only (the client's original name is never reused). */
export function safeDownloadName(base: string, mime: StoredMime): string {
  const stem =
    base
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'file';
  return `${stem}.${EXTENSION[mime]}`;
}

/** Headers for sending a stored file: images inline, PDFs as attachments unless asked otherwise. */
export function fileResponseHeaders(file: {
  mime: StoredMime;
  size: number;
  downloadName: string;
  disposition?: 'inline' | 'attachment';
}): Record<string, string> {
  const disposition = file.disposition ?? (file.mime === 'application/pdf' ? 'attachment' : 'inline');
  return {
    'content-type': file.mime,
    'content-length': String(file.size),
    'content-disposition': `${disposition}; filename="${safeDownloadName(file.downloadName.replace(/\.[^.]*$/, ''), file.mime)}"`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-store',
  };
}
