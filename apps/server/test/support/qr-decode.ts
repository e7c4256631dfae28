/**
 * A small QR reader for tests: a clean module matrix (no quiet zone) back to its text, versions
 * 1–10, byte mode. Written from ISO/IEC 18004, independently of the generator: the error
 * correction level and mask are found by trying all 32 combinations (exactly one must parse), and
 * every block's Reed–Solomon codewords are recomputed, so a symbol that passes is one a scanner
 * reads without correcting anything.
 */

type Level = 'L' | 'M' | 'Q' | 'H';
const LEVELS: Level[] = ['L', 'M', 'Q', 'H'];

/** Per version and level: groups of [block count, codewords per block, data codewords per block]. */
const BLOCKS: Record<number, Record<Level, number[][]>> = {
  1: { L: [[1, 26, 19]], M: [[1, 26, 16]], Q: [[1, 26, 13]], H: [[1, 26, 9]] },
  2: { L: [[1, 44, 34]], M: [[1, 44, 28]], Q: [[1, 44, 22]], H: [[1, 44, 16]] },
  3: { L: [[1, 70, 55]], M: [[1, 70, 44]], Q: [[2, 35, 17]], H: [[2, 35, 13]] },
  4: { L: [[1, 100, 80]], M: [[2, 50, 32]], Q: [[2, 50, 24]], H: [[4, 25, 9]] },
  5: {
    L: [[1, 134, 108]],
    M: [[2, 67, 43]],
    Q: [
      [2, 33, 15],
      [2, 34, 16],
    ],
    H: [
      [2, 33, 11],
      [2, 34, 12],
    ],
  },
  6: { L: [[2, 86, 68]], M: [[4, 43, 27]], Q: [[4, 43, 19]], H: [[4, 43, 15]] },
  7: {
    L: [[2, 98, 78]],
    M: [[4, 49, 31]],
    Q: [
      [2, 32, 14],
      [4, 33, 15],
    ],
    H: [
      [4, 39, 13],
      [1, 40, 14],
    ],
  },
  8: {
    L: [[2, 121, 97]],
    M: [
      [2, 60, 38],
      [2, 61, 39],
    ],
    Q: [
      [4, 40, 18],
      [2, 41, 19],
    ],
    H: [
      [4, 40, 14],
      [2, 41, 15],
    ],
  },
  9: {
    L: [[2, 146, 116]],
    M: [
      [3, 58, 36],
      [2, 59, 37],
    ],
    Q: [
      [4, 36, 16],
      [4, 37, 17],
    ],
    H: [
      [4, 36, 12],
      [4, 37, 13],
    ],
  },
  10: {
    L: [
      [2, 86, 68],
      [2, 87, 69],
    ],
    M: [
      [4, 69, 43],
      [1, 70, 44],
    ],
    Q: [
      [6, 43, 19],
      [2, 44, 20],
    ],
    H: [
      [6, 43, 15],
      [2, 44, 16],
    ],
  },
};

/** Centres of alignment patterns per version. */
const ALIGNMENT: Record<number, number[]> = {
  1: [],
  2: [6, 18],
  3: [6, 22],
  4: [6, 26],
  5: [6, 30],
  6: [6, 34],
  7: [6, 22, 38],
  8: [6, 24, 42],
  9: [6, 26, 46],
  10: [6, 28, 50],
};

const MASKS: Array<(i: number, j: number) => boolean> = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

/** Which modules are function patterns (finders, separators, timing, alignment, format, version). */
function functionModules(n: number, version: number): boolean[][] {
  const f = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  const mark = (r0: number, c0: number, h: number, w: number) => {
    for (let r = r0; r < r0 + h; r++) for (let c = c0; c < c0 + w; c++) if (r >= 0 && c >= 0) f[r]![c] = true;
  };
  mark(0, 0, 9, 9); // finder, separator, format (top left)
  mark(0, n - 8, 9, 8); // finder, separator, format (top right)
  mark(n - 8, 0, 8, 9); // finder, separator, format, dark module (bottom left)
  mark(6, 0, 1, n); // timing
  mark(0, 6, n, 1);
  const centres = ALIGNMENT[version] ?? [];
  const last = centres[centres.length - 1];
  for (const r of centres)
    for (const c of centres) {
      if ((r === 6 && c === 6) || (r === 6 && c === last) || (r === last && c === 6)) continue;
      mark(r - 2, c - 2, 5, 5);
    }
  if (version >= 7) {
    mark(0, n - 11, 6, 3);
    mark(n - 11, 0, 3, 6);
  }
  return f;
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1
const EXP = new Array<number>(512);
const LOG = new Array<number>(256).fill(0);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

/** The error correction codewords of a block (remainder of data·x^n by the generator polynomial). */
function rsRemainder(data: number[], ecCount: number): number[] {
  let gen = [1];
  for (let i = 0; i < ecCount; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    gen.forEach((g, j) => {
      next[j] = next[j]! ^ g;
      next[j + 1] = next[j + 1]! ^ mul(g, EXP[i]!);
    });
    gen = next;
  }
  const rem = [...data, ...new Array<number>(ecCount).fill(0)];
  for (let i = 0; i < data.length; i++) {
    const factor = rem[i]!;
    if (factor === 0) continue;
    gen.forEach((g, j) => {
      rem[i + j] = rem[i + j]! ^ mul(g, factor);
    });
  }
  return rem.slice(data.length);
}

/** Bits of the symbol in reading order (two-column zigzag from the bottom right), unmasked. */
function readBits(
  m: readonly (readonly boolean[])[],
  fn: boolean[][],
  mask: (i: number, j: number) => boolean,
) {
  const n = m.length;
  const bits: number[] = [];
  let up = true;
  for (let col = n - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (let k = 0; k < n; k++) {
      const row = up ? n - 1 - k : k;
      for (const c of [col, col - 1]) if (!fn[row]![c]) bits.push(Number(m[row]![c]) ^ Number(mask(row, c)));
    }
    up = !up;
  }
  return bits;
}

/** The text of a byte-mode segment, or null when the data is not one well-formed segment plus padding. */
function parseData(data: number[], version: number): string | null {
  const bits = data.flatMap((b) => Array.from({ length: 8 }, (_, i) => (b >> (7 - i)) & 1));
  let pos = 0;
  const take = (k: number) => {
    let v = 0;
    for (let i = 0; i < k; i++) v = (v << 1) | (bits[pos++] ?? 0);
    return v;
  };
  if (take(4) !== 0b0100) return null;
  const count = take(version <= 9 ? 8 : 16);
  if (pos + count * 8 > bits.length) return null;
  const bytes = Array.from({ length: count }, () => take(8));
  // terminator (up to four zero bits), zero bits to the byte boundary, then 0xEC 0x11 alternating
  const end = Math.min(bits.length, pos + 4);
  while (pos < end) if (take(1) !== 0) return null;
  while (pos % 8 !== 0) if (take(1) !== 0) return null;
  for (let i = 0; pos < bits.length; i++) if (take(8) !== (i % 2 === 0 ? 0xec : 0x11)) return null;
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
}

export interface DecodedQr {
  text: string;
  version: number;
  level: Level;
  mask: number;
}

/** Reads a module matrix (no quiet zone); throws unless exactly one level and mask decode cleanly. */
export function decodeQr(m: readonly (readonly boolean[])[]): DecodedQr {
  const n = m.length;
  const version = (n - 17) / 4;
  if (!Number.isInteger(version) || version < 1 || version > 10)
    throw new Error(`no QR version has ${n} modules`);
  const fn = functionModules(n, version);
  const found: DecodedQr[] = [];
  for (const level of LEVELS) {
    const groups = BLOCKS[version]![level];
    const blocks = groups.flatMap(([count, total, data]) =>
      Array.from({ length: count! }, () => ({ total: total!, data: data! })),
    );
    const totalCodewords = blocks.reduce((s, b) => s + b.total, 0);
    for (let mask = 0; mask < 8; mask++) {
      const bits = readBits(m, fn, MASKS[mask]!);
      if (bits.length < totalCodewords * 8) continue;
      const codewords = Array.from({ length: totalCodewords }, (_, i) =>
        bits.slice(i * 8, i * 8 + 8).reduce((v, b) => (v << 1) | b, 0),
      );
      // de-interleave: data codewords block by block, then error correction codewords
      const dataOf = blocks.map(() => [] as number[]);
      const ecOf = blocks.map(() => [] as number[]);
      let k = 0;
      const maxData = Math.max(...blocks.map((b) => b.data));
      for (let i = 0; i < maxData; i++)
        blocks.forEach((b, j) => i < b.data && dataOf[j]!.push(codewords[k++]!));
      const ecCount = blocks[0]!.total - blocks[0]!.data;
      for (let i = 0; i < ecCount; i++) blocks.forEach((_b, j) => ecOf[j]!.push(codewords[k++]!));
      const rsOk = blocks.every((_b, j) =>
        rsRemainder(dataOf[j]!, ecCount).every((v, i) => v === ecOf[j]![i]),
      );
      if (!rsOk) continue;
      let text: string | null = null;
      try {
        text = parseData(dataOf.flat(), version);
      } catch {
        text = null;
      }
      if (text !== null) found.push({ text, version, level, mask });
    }
  }
  if (found.length !== 1) throw new Error(`expected one clean decoding, found ${found.length}`);
  return found[0]!;
}

/** Reads the module matrix back out of an SVG made of `M x y h w v 1 h -w z` runs, with its viewBox size. */
export function matrixFromSvg(svg: string): { size: number; modules: boolean[][] } {
  const vb = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!vb || vb[1] !== vb[2]) throw new Error('no square viewBox');
  const size = Number(vb[1]);
  const modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const d = /<path d="([^"]*)"/.exec(svg)?.[1] ?? '';
  for (const run of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, back] = run.slice(1).map(Number) as [number, number, number, number];
    if (w !== back) throw new Error('a run that does not close');
    for (let c = x; c < x + w; c++) modules[y]![c] = true;
  }
  return { size, modules };
}
