import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { UploadRejectedError } from './errors.js';
import { checkPdf } from './pdf-check.js';
import { sniff } from './sniff.js';
import type { ImageMime, SniffedMime } from './sniff.js';

/**
 * Images are never stored as uploaded: they are decoded and re-encoded, which drops everything that is
 * not pixels (EXIF with GPS position and camera serial, XMP, IPTC, comments, trailing polyglot data).
 * sharp strips all metadata unless told to keep it, and converts any embedded colour profile to sRGB
 * before dropping it, so colours stay right in untagged output.
 */

export interface SanitizeOptions {
  /** Largest accepted width × height of the input (decompression bombs); default 40 MP. */
  maxInputPixels?: number;
  /** Longest edge of the stored image; larger images are scaled down, never up. Default 4096. */
  maxEdge?: number;
  /** Longest edge of the thumbnail; default 320. */
  thumbnailEdge?: number;
  /** JPEG quality of the stored image; default 85. */
  jpegQuality?: number;
  /** Largest accepted upload in bytes; default 20 MiB (the multipart limit should refuse earlier). */
  maxBytes?: number;
}

export type OutputMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** One encoded image ready to store. */
export interface EncodedImage {
  bytes: Buffer;
  mime: OutputMime;
  width: number;
  height: number;
  /** Lower-case hex SHA-256 of `bytes`. */
  sha256: string;
}

export interface SanitizedImage extends EncodedImage {
  kind: 'image';
  /** What the upload was, by content. */
  sourceMime: ImageMime;
  thumbnail: EncodedImage;
}

export interface CheckedDocument {
  kind: 'document';
  bytes: Buffer;
  mime: 'application/pdf';
  sourceMime: 'application/pdf';
  sha256: string;
}

export type SanitizedUpload = SanitizedImage | CheckedDocument;

const DEFAULTS = {
  maxInputPixels: 40_000_000,
  maxEdge: 4096,
  thumbnailEdge: 320,
  jpegQuality: 85,
  maxBytes: 20 * 1024 * 1024,
} as const;

/** Lower-case hex SHA-256. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function outputMimeFor(source: ImageMime): OutputMime {
  if (source === 'image/png' || source === 'image/gif') return 'image/png';
  if (source === 'image/webp') return 'image/webp';
  return 'image/jpeg'; // JPEG, HEIC, HEIF, AVIF
}

function decodeFailure(source: ImageMime, err: unknown): UploadRejectedError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    return new UploadRejectedError('image dimensions exceed the limit (possible decompression bomb)');
  }
  if (source === 'image/heic' || source === 'image/heif') {
    // the prebuilt libvips of sharp decodes AVIF but not HEVC-coded HEIC (patent licensing)
    return new UploadRejectedError('this HEIC/HEIF image cannot be decoded here; send a JPEG', {
      detected: source,
    });
  }
  return new UploadRejectedError('the image could not be decoded (corrupt or not really an image)', {
    detected: source,
  });
}

async function encodeWith(pipeline: Sharp, mime: OutputMime, quality: number): Promise<EncodedImage> {
  const encoded =
    mime === 'image/jpeg'
      ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true })
      : mime === 'image/png'
        ? pipeline.png({ compressionLevel: 9 })
        : pipeline.webp({ quality });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { bytes: data, mime, width: info.width, height: info.height, sha256: sha256Hex(data) };
}

/** Re-encodes an image whose type was sniffed from its content; refuses what cannot be decoded safely. */
export async function sanitizeImage(
  input: Buffer,
  source: ImageMime,
  options: SanitizeOptions = {},
): Promise<SanitizedImage> {
  const o = { ...DEFAULTS, ...options };
  // only the first frame of an animation is read (sharp's default of one page)
  const open = (bytes: Buffer) => sharp(bytes, { limitInputPixels: o.maxInputPixels, failOn: 'error' });
  let image: EncodedImage;
  try {
    const meta = await open(input).metadata();
    if (meta.width * (meta.pageHeight ?? meta.height) > o.maxInputPixels) {
      throw new Error('Input image exceeds pixel limit');
    }
    // rotate() applies the EXIF orientation to the pixels before the EXIF is dropped
    const pipeline = open(input)
      .rotate()
      .resize({ width: o.maxEdge, height: o.maxEdge, fit: 'inside', withoutEnlargement: true });
    image = await encodeWith(pipeline, outputMimeFor(source), o.jpegQuality);
  } catch (err) {
    throw decodeFailure(source, err);
  }
  // the thumbnail is cut from the clean, already oriented output
  const thumbPipeline = sharp(image.bytes).resize({
    width: o.thumbnailEdge,
    height: o.thumbnailEdge,
    fit: 'inside',
    withoutEnlargement: true,
  });
  const thumbnail = await encodeWith(thumbPipeline, 'image/jpeg', 80);
  return { kind: 'image', sourceMime: source, ...image, thumbnail };
}

/**
 * Sniffs, then re-encodes an image or checks a PDF. The claimed Content-Type plays no part; compare
 * it with `sourceMime` (see `claimDisagrees`) if a mismatch should be logged.
 */
export async function sanitizeUpload(input: Buffer, options: SanitizeOptions = {}): Promise<SanitizedUpload> {
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  if (input.length > maxBytes) {
    throw new UploadRejectedError(
      `the file is larger than ${maxBytes} bytes`,
      { maxBytes },
      'PAYLOAD_TOO_LARGE',
    );
  }
  const sniffed = sniff(input.subarray(0, 4096));
  if (!sniffed.ok) throw new UploadRejectedError(sniffed.reason, { detected: sniffed.detected });
  const mime: SniffedMime = sniffed.mime;
  if (mime === 'application/pdf') {
    const verdict = checkPdf(input);
    if (!verdict.ok) throw new UploadRejectedError(verdict.reason, { detected: mime });
    return { kind: 'document', bytes: input, mime, sourceMime: mime, sha256: sha256Hex(input) };
  }
  return sanitizeImage(input, mime, options);
}
