import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { UploadRejectedError } from './errors.js';
import { sanitizeImage, sanitizeUpload } from './image-sanitize.js';
import type { SanitizedImage } from './image-sanitize.js';

const RED = [220, 20, 20];
const BLUE = [20, 20, 220];

/** A 40×20 RGB image: left half red, right half blue (so a rotation is visible in the pixels). */
function halves(width = 40, height = 20): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? RED : BLUE, (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

const near = (a: number[], b: number[], tolerance = 12) =>
  a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tolerance);

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 74-byte PNG that claims to be 30000×30000 pixels (900 MP): a decompression bomb's header. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1000))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function rejection(p: Promise<unknown>): Promise<UploadRejectedError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UploadRejectedError);
    return err as UploadRejectedError;
  }
  throw new Error('expected the upload to be refused');
}

describe('sanitizeImage', () => {
  it('applies the EXIF orientation and then drops all EXIF (GPS included) and XMP', async () => {
    const input = await halves()
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'TestCam', Model: 'Serial-12345' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '36/1 40/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '117/1 0/1 0/1',
        },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><where>home</where></x:xmpmeta>')
      .toBuffer();
    // the input really carries what must go
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes('Serial-12345')).toBe(true);
    expect(before.xmp).toBeDefined();
    expect(input.includes('Exif')).toBe(true);

    const out = await sanitizeImage(input, 'image/jpeg');
    const after = await sharp(out.bytes).metadata();
    expect(out.mime).toBe('image/jpeg');
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.bytes.includes('Exif')).toBe(false);
    expect(out.bytes.includes('Serial-12345')).toBe(false);
    expect(out.bytes.includes('TestCam')).toBe(false);
    // orientation 6 = rotate 90° clockwise: 40×20 becomes 20×40, the red left half comes to the top
    expect([out.width, out.height, after.width, after.height]).toEqual([20, 40, 20, 40]);
    expect(near(await pixel(out.bytes, 10, 2), RED)).toBe(true);
    expect(near(await pixel(out.bytes, 10, 37), BLUE)).toBe(true);
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('makes a small JPEG thumbnail and scales large images down, small ones never up', async () => {
    const big = await halves(5000, 100).png().toBuffer();
    const out = await sanitizeImage(big, 'image/png');
    expect([out.width, out.height]).toEqual([4096, 82]);
    expect(out.thumbnail.mime).toBe('image/jpeg');
    expect(Math.max(out.thumbnail.width, out.thumbnail.height)).toBe(320);
    expect((await sharp(out.thumbnail.bytes).metadata()).format).toBe('jpeg');

    const small = await sanitizeImage(await halves().jpeg().toBuffer(), 'image/jpeg');
    expect([small.width, small.height, small.thumbnail.width]).toEqual([40, 20, 40]);
  });

  it('drops PNG text chunks', async () => {
    const png = await halves().png().toBuffer();
    const afterIhdr = 8 + 25;
    const text = pngChunk('tEXt', Buffer.from('Comment\0secret-location 36.67N', 'latin1'));
    const input = Buffer.concat([png.subarray(0, afterIhdr), text, png.subarray(afterIhdr)]);
    expect(input.includes('secret-location')).toBe(true);
    expect((await sharp(input).metadata()).comments).toBeDefined();

    const out = await sanitizeImage(input, 'image/png');
    expect(out.mime).toBe('image/png');
    expect(out.bytes.includes('secret-location')).toBe(false);
    expect(out.bytes.includes('tEXt')).toBe(false);
    expect((await sharp(out.bytes).metadata()).comments).toBeUndefined();
  });

  it('converts colours from an embedded profile to sRGB before dropping the profile', async () => {
    const colour = [100, 150, 200];
    const tagged = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 100, g: 150, b: 200 } },
    })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    // stored as Display P3 numbers: read without the profile they are not the sRGB colour
    const stored = await sharp(tagged, { ignoreIcc: true }).raw().toBuffer();
    expect(near([...stored.subarray(0, 3)], colour, 2)).toBe(false);

    const out = await sanitizeImage(tagged, 'image/png');
    expect((await sharp(out.bytes).metadata()).icc).toBeUndefined();
    const plain = await sharp(out.bytes, { ignoreIcc: true }).raw().toBuffer();
    expect(near([...plain.subarray(0, 3)], colour, 2)).toBe(true);
  });

  it('turns a GIF into a PNG and keeps WebP as WebP', async () => {
    const gif = await sanitizeImage(await halves().gif().toBuffer(), 'image/gif');
    expect(gif.mime).toBe('image/png');
    expect((await sharp(gif.bytes).metadata()).format).toBe('png');
    const webp = await sanitizeImage(await halves().webp().toBuffer(), 'image/webp');
    expect(webp.mime).toBe('image/webp');
    expect((await sharp(webp.bytes).metadata()).format).toBe('webp');
  });

  it('re-encodes AVIF (the HEIF flavour the prebuilt library decodes) as JPEG', async () => {
    const avif = await halves().avif().toBuffer();
    const out = await sanitizeUpload(avif);
    expect(out).toMatchObject({ kind: 'image', sourceMime: 'image/avif', mime: 'image/jpeg', width: 40 });
  });

  it('refuses a HEIC it cannot decode with a reason that says so', async () => {
    const fake = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      Buffer.alloc(200),
    ]);
    const err = await rejection(sanitizeUpload(fake));
    expect(err.reason).toMatch(/HEIC/);
    expect(err.code).toBe('UNPROCESSABLE');
  });

  it('refuses a decompression bomb from its header alone', async () => {
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(200);
    const err = await rejection(sanitizeImage(bomb, 'image/png'));
    expect(err.reason).toMatch(/decompression bomb/);
    // the limit is configurable: a 40×20 image is too big for a 500-pixel limit
    const small = await halves().png().toBuffer();
    await rejection(sanitizeImage(small, 'image/png', { maxInputPixels: 500 }));
  });

  describe('polyglots (a JPEG that is also HTML)', () => {
    const html = '<html><script>alert(document.cookie)</script></html>';

    it('drops HTML appended after the image', async () => {
      const jpeg = await halves().jpeg().toBuffer();
      const out = (await sanitizeUpload(Buffer.concat([jpeg, Buffer.from(html)]))) as SanitizedImage;
      expect(out.kind).toBe('image');
      expect(out.bytes.includes('<script')).toBe(false);
    });

    it('drops HTML hidden in a JPEG comment segment', async () => {
      const jpeg = await halves().jpeg().toBuffer();
      const body = Buffer.from(html);
      const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, body.length + 2]), body]);
      const input = Buffer.concat([jpeg.subarray(0, 2), com, jpeg.subarray(2)]);
      expect((await sharp(input).metadata()).format).toBe('jpeg');
      const out = (await sanitizeUpload(input)) as SanitizedImage;
      expect(out.bytes.includes('<script')).toBe(false);
    });

    it('refuses JPEG magic followed by nothing but HTML', async () => {
      const err = await rejection(
        sanitizeUpload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(html)])),
      );
      expect(err.reason).toMatch(/could not be decoded/);
    });
  });
});

describe('sanitizeUpload', () => {
  it('decides by content: an SVG is refused whatever it was called', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const err = await rejection(sanitizeUpload(svg));
    expect(err.reason).toMatch(/SVG/);
    expect(err.details).toMatchObject({ detected: 'svg' });
  });

  it('refuses files over the size limit as PAYLOAD_TOO_LARGE', async () => {
    const err = await rejection(sanitizeUpload(Buffer.alloc(2048, 0xff), { maxBytes: 1024 }));
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('passes a clean PDF through unchanged and refuses one with JavaScript', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    const out = await sanitizeUpload(pdf);
    expect(out).toMatchObject({ kind: 'document', mime: 'application/pdf' });
    expect(out.bytes.equals(pdf)).toBe(true);
    const bad = Buffer.from(
      '%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n',
    );
    expect((await rejection(sanitizeUpload(bad))).reason).toMatch(/JavaScript/);
  });
});
