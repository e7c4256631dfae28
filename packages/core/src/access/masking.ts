/**
 * Masking of personal data (phone numbers, ID numbers, names) for responses and logs. Masking is
 * idempotent: masking a masked value returns it unchanged.
 */

const MOBILE_FIELD = /^(\+86|0086|86)?([ -]?)(1[3-9]\d)([ -]?)([\d*]{4})([ -]?)(\d{4})$/;
const LANDLINE_FIELD = /^(\(0\d{2,3}\)\s?|0\d{2,3}[ -])([\d*]{7,8})((?:-|转|\s*ext\.?\s*)\d{1,6})?$/i;
/** Landlines without separator: Beijing (010) and 02x areas have 3-digit codes, all others 4. */
const LANDLINE_COMPACT = /^(0[12]\d|0[3-9]\d{2})([\d*]{7,8})$/;
const ID18_FIELD = /^(\d{6})[\d*]{8}([\d*]{3}[\dXx*])$/;
const ID15_FIELD = /^(\d{6})[\d*]{6}([\d*]{3})$/;

/** 18-character ID candidates in free text, bounded by anything but ASCII letters and digits. */
const ID_IN_TEXT = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** Mobile numbers in free text: 11 digits (optionally +86, grouped 3-4-4 by spaces or dashes). */
const MOBILE_IN_TEXT = /(?<![0-9A-Za-z])(?:\+86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9A-Za-z])/g;
/** Landlines in free text need an explicit area code separator: 0531-88888888, (010)12345678. */
const LANDLINE_IN_TEXT = /(?<![0-9A-Za-z])(?:\(0\d{2,3}\)\s?|0\d{2,3}-)\d{7,8}(?![0-9A-Za-z])/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';
const COMPOUND_SURNAMES = new Set(
  '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 西门 万俟 闻人 澹台 呼延 赫连 申屠'.split(
    ' ',
  ),
);

const stars = (n: number): string => '*'.repeat(Math.max(0, n));
const keepLast = (s: string, keep: number): string => stars(s.length - keep) + s.slice(-keep);

/** Masks every digit except the first 3 and last 4 (or, for short values, all but the last 2). */
function maskDigitsGenerically(value: string): string {
  const slots = value.replace(/[^\d*]/g, '').length;
  const head = slots >= 8 ? 3 : 0;
  const tail = slots >= 8 ? 4 : slots >= 4 ? 2 : 0;
  let i = 0;
  return value.replace(/[\d*]/g, (c) => {
    const keep = i < head || i >= slots - tail;
    i++;
    return keep ? c : '*';
  });
}

/** Masks a phone number: mobiles keep 3+4 digits (138****5678), landlines the area code and last 4. */
export function maskPhone(phone: string): string {
  const s = phone.trim();
  const m = MOBILE_FIELD.exec(s);
  if (m) return [m[1], m[2], m[3], m[4], '****', m[6], m[7]].map((g) => g ?? '').join('');
  const l = LANDLINE_FIELD.exec(s) ?? LANDLINE_COMPACT.exec(s);
  if (l) return `${l[1] ?? ''}${keepLast(l[2] ?? '', 4)}${l[3] ?? ''}`;
  return maskDigitsGenerically(s);
}

/** Masks a Chinese ID number: the area code and the part after the birth date stay. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  const m = ID18_FIELD.exec(s);
  if (m) return `${m[1] ?? ''}${stars(8)}${m[2] ?? ''}`;
  const o = ID15_FIELD.exec(s);
  if (o) return `${o[1] ?? ''}${stars(6)}${o[2] ?? ''}`;
  return s.length > 8 ? keepLast(s, 4) : stars(s.length);
}

/** Masks a person's name: Chinese names keep only the surname (张三丰 → 张**), others each initial. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return stars(chars.length);
  if (/\p{Script=Han}/u.test(chars[0] ?? '')) {
    const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
    return chars.map((c, i) => (i < keep || c === '·' || c === ' ' ? c : '*')).join('');
  }
  return name
    .trim()
    .split(/(\s+)/)
    .map((w) => (/^\s+$/.test(w) ? w : Array.from(w, (c, i) => (i === 0 ? c : '*')).join('')))
    .join('');
}

/** The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number. */
export function chineseIdCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/** True for an 18-character resident ID with a real birth date and a correct check character. */
export function isValidChineseId(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1800 || year > 2099) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return false;
  return chineseIdCheckDigit(id.slice(0, 17)) === id.charAt(17).toUpperCase();
}

function maskTextOnce(text: string): string {
  return text
    .replace(ID_IN_TEXT, (m) => (isValidChineseId(m) ? maskIdNumber(m) : m))
    .replace(MOBILE_IN_TEXT, (m) => maskPhone(m))
    .replace(LANDLINE_IN_TEXT, (m) => maskPhone(m));
}

/**
 * Masks ID numbers (only valid 18-character ones), mobile numbers and landlines inside free text.
 * Repeats until nothing changes (masking can expose a new boundary), so the result is a fixed point.
 */
export function maskText(text: string): string {
  let current = text;
  for (;;) {
    const next = maskTextOnce(current);
    if (next === current) return current;
    current = next; // each round turns digits into '*', so this ends
  }
}

/** JSON-path-like location of an object member. */
function memberPath(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function scanText(text: string, path: string, out: string[]): void {
  for (const [m] of text.matchAll(ID_IN_TEXT)) {
    if (isValidChineseId(m)) out.push(`${path}: ID number ${maskIdNumber(m)}`);
  }
  for (const [m] of text.matchAll(MOBILE_IN_TEXT)) out.push(`${path}: mobile number ${maskPhone(m)}`);
}

/**
 * Lists every unmasked mobile number and valid ID number in a JSON value (strings, integers and
 * keys), as "path: kind masked-value"; empty when the value is clean. Used to test responses.
 */
export function findUnmaskedPersonalData(json: unknown): string[] {
  const findings: string[] = [];
  const seen = new WeakSet<object>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') scanText(value, path, findings);
    else if (typeof value === 'number' && Number.isSafeInteger(value))
      scanText(String(value), path, findings);
    else if (typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value);
      if (Array.isArray(value)) value.forEach((v: unknown, i) => visit(v, `${path}[${i}]`));
      else {
        for (const [key, v] of Object.entries(value)) {
          const p = memberPath(path, key);
          scanText(key, `${p} (key)`, findings);
          visit(v, p);
        }
      }
    }
  };
  visit(json, '$');
  return findings;
}
