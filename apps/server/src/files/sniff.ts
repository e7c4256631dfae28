/**
 * File type detection from content (magic bytes). The Content-Type and file name a client claims are
 * never used for the decision: a browser or an attacker can claim anything. Only a short allowlist of
 * formats is accepted; everything else is refused with a reason that names what was recognised.
 */

/** The types an upload may have, decided from content alone. */
export type SniffedMime =
  | 'image/jpeg'
  | 'image/png'
  | 'image/gif'
  | 'image/webp'
  | 'image/heic'
  | 'image/heif'
  | 'image/avif'
  | 'application/pdf';

export type ImageMime = Exclude<SniffedMime, 'application/pdf'>;

export type SniffResult =
  | { ok: true; mime: SniffedMime; kind: 'image' | 'document' }
  | { ok: false; reason: string; detected?: string };

/** How many leading bytes `sniff` needs to decide (pass at least this many when available). */
export const SNIFF_BYTES = 512;

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, b.length); i++) s += String.fromCharCode(b[i] ?? 0);
  return s;
}

const bytesOf = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** ISO base media file (HEIF family): `ftyp` box with a major brand and compatible brands. */
function sniffFtyp(b: Uint8Array): SniffResult | null {
  if (ascii(b, 4, 8) !== 'ftyp') return null;
  const boxSize = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0);
  if (boxSize < 16 || boxSize > 4096 || boxSize % 4 !== 0) {
    return { ok: false, reason: 'malformed ISO media header', detected: 'iso-bmff' };
  }
  const brands = [ascii(b, 8, 12)];
  for (let at = 16; at + 4 <= Math.min(boxSize, b.length); at += 4) brands.push(ascii(b, at, at + 4));
  // the major brand decides; HEIF's generic brands (mif1/msf1) defer to a specific compatible brand
  const major = brands[0] ?? '';
  if (AVIF_BRANDS.has(major)) return { ok: true, mime: 'image/avif', kind: 'image' };
  if (HEIC_BRANDS.has(major)) return { ok: true, mime: 'image/heic', kind: 'image' };
  if (HEIF_BRANDS.has(major)) {
    if (brands.some((x) => AVIF_BRANDS.has(x))) return { ok: true, mime: 'image/avif', kind: 'image' };
    if (brands.some((x) => HEIC_BRANDS.has(x))) return { ok: true, mime: 'image/heic', kind: 'image' };
    return { ok: true, mime: 'image/heif', kind: 'image' };
  }
  return {
    ok: false,
    reason: `ISO media files of brand "${major.replace(/[^\x20-\x7e]/g, '?')}" (video or audio) are not accepted`,
    detected: 'iso-bmff',
  };
}

// Recognised but refused formats, so the reason can say what the file is.
const REFUSED: ReadonlyArray<{ sig: number[]; at?: number; detected: string; reason: string }> = [
  {
    sig: [0x50, 0x4b, 0x03, 0x04],
    detected: 'zip',
    reason: 'archives (zip, docx, xlsx, apk…) are not accepted',
  },
  { sig: [0x50, 0x4b, 0x05, 0x06], detected: 'zip', reason: 'archives are not accepted' },
  { sig: [0x1f, 0x8b], detected: 'gzip', reason: 'compressed archives are not accepted' },
  { sig: bytesOf('Rar!'), detected: 'rar', reason: 'archives are not accepted' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], detected: '7z', reason: 'archives are not accepted' },
  {
    sig: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    detected: 'ole2',
    reason: 'legacy Office files are not accepted',
  },
  { sig: bytesOf('MZ'), detected: 'exe', reason: 'executables are not accepted' },
  { sig: [0x7f, 0x45, 0x4c, 0x46], detected: 'elf', reason: 'executables are not accepted' },
  { sig: [0xfe, 0xed, 0xfa, 0xce], detected: 'mach-o', reason: 'executables are not accepted' },
  { sig: [0xfe, 0xed, 0xfa, 0xcf], detected: 'mach-o', reason: 'executables are not accepted' },
  { sig: [0xce, 0xfa, 0xed, 0xfe], detected: 'mach-o', reason: 'executables are not accepted' },
  { sig: [0xcf, 0xfa, 0xed, 0xfe], detected: 'mach-o', reason: 'executables are not accepted' },
  { sig: [0xca, 0xfe, 0xba, 0xbe], detected: 'java-class', reason: 'executables are not accepted' },
  { sig: bytesOf('#!'), detected: 'script', reason: 'scripts are not accepted' },
  {
    sig: [0x49, 0x49, 0x2a, 0x00],
    detected: 'tiff',
    reason: 'TIFF images are not accepted (send JPEG or PNG)',
  },
  {
    sig: [0x4d, 0x4d, 0x00, 0x2a],
    detected: 'tiff',
    reason: 'TIFF images are not accepted (send JPEG or PNG)',
  },
  { sig: bytesOf('BM'), detected: 'bmp', reason: 'BMP images are not accepted (send JPEG or PNG)' },
  { sig: [0x00, 0x00, 0x01, 0x00], detected: 'ico', reason: 'icon files are not accepted' },
];

// Markup is refused whatever it claims to be: SVG and HTML can carry scripts.
const MARKUP: ReadonlyArray<{ prefix: string; detected: string; reason: string }> = [
  { prefix: '<svg', detected: 'svg', reason: 'SVG is not accepted (it can carry scripts)' },
  { prefix: '<?xml', detected: 'xml', reason: 'XML (including SVG) is not accepted' },
  { prefix: '<!doctype', detected: 'html', reason: 'HTML is not accepted' },
  { prefix: '<html', detected: 'html', reason: 'HTML is not accepted' },
  { prefix: '<script', detected: 'html', reason: 'HTML is not accepted' },
  { prefix: '<!--', detected: 'html', reason: 'HTML is not accepted' },
  { prefix: '<', detected: 'markup', reason: 'markup (HTML/XML) is not accepted' },
];

function sniffMarkup(b: Uint8Array): SniffResult | null {
  // skip a UTF-8 BOM and leading whitespace, as browsers do when they sniff HTML
  let i = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x0c))
    i++;
  const head = ascii(b, i, i + 16).toLowerCase();
  for (const m of MARKUP)
    if (head.startsWith(m.prefix)) return { ok: false, reason: m.reason, detected: m.detected };
  return null;
}

/** Decides the type of a file from its first bytes (at least `SNIFF_BYTES` when the file is that long). */
export function sniff(head: Uint8Array): SniffResult {
  if (head.length === 0) return { ok: false, reason: 'the file is empty', detected: 'empty' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { ok: true, mime: 'image/jpeg', kind: 'image' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { ok: true, mime: 'image/png', kind: 'image' };
  }
  if (startsWith(head, bytesOf('GIF87a')) || startsWith(head, bytesOf('GIF89a'))) {
    return { ok: true, mime: 'image/gif', kind: 'image' };
  }
  if (startsWith(head, bytesOf('RIFF')) && startsWith(head, bytesOf('WEBP'), 8)) {
    return { ok: true, mime: 'image/webp', kind: 'image' };
  }
  if (startsWith(head, bytesOf('%PDF-'))) return { ok: true, mime: 'application/pdf', kind: 'document' };
  const ftyp = sniffFtyp(head);
  if (ftyp) return ftyp;
  for (const r of REFUSED) {
    if (startsWith(head, r.sig, r.at ?? 0)) return { ok: false, reason: r.reason, detected: r.detected };
  }
  return (
    sniffMarkup(head) ?? {
      ok: false,
      reason: 'unrecognised file type (accepted: JPEG, PNG, GIF, WebP, HEIC, PDF)',
    }
  );
}

const EXTENSIONS: Record<SniffedMime, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif', 'hif'],
  'image/heif': ['heif', 'heic', 'hif'],
  'image/avif': ['avif'],
  'application/pdf': ['pdf'],
};

/**
 * True when what the client claimed (Content-Type and/or file name) disagrees with the sniffed type.
 * Only for logging: the decision never depends on the claim.
 */
export function claimDisagrees(mime: SniffedMime, claimedType?: string, fileName?: string): boolean {
  const type = claimedType?.split(';')[0]?.trim().toLowerCase();
  const typeOk =
    !type ||
    type === 'application/octet-stream' ||
    type === mime ||
    (mime === 'image/jpeg' && type === 'image/jpg') ||
    ((mime === 'image/heic' || mime === 'image/heif') && (type === 'image/heic' || type === 'image/heif'));
  const ext = fileName?.includes('.') ? fileName.split('.').pop()?.toLowerCase() : undefined;
  const extOk = !ext || EXTENSIONS[mime].includes(ext);
  return !typeOk || !extOk;
}
