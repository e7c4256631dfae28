/**
 * Canonical JSON: object keys sorted (UTF-16 code-unit order, as RFC 8785) at every depth, no
 * whitespace. Follows JSON.stringify for everything else (toJSON, undefined members dropped,
 * undefined array items and non-finite numbers become null), so a value and its JSON round trip
 * always serialise identically: canonicalJson(v) === canonicalJson(JSON.parse(JSON.stringify(v))).
 */
export function canonicalJson(value: unknown): string {
  const out = serialize(value, '', new Set());
  if (out === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return out;
}

function serialize(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt has no JSON representation');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (ancestors.has(obj)) throw new TypeError('canonicalJson: circular structure');
  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items: string[] = [];
      for (let i = 0; i < obj.length; i++) items.push(serialize(obj[i], String(i), ancestors) ?? 'null');
      return `[${items.join(',')}]`;
    }
    const record = obj as Record<string, unknown>;
    const members: string[] = [];
    for (const k of Object.keys(record).sort()) {
      const v = serialize(record[k], k, ancestors);
      if (v !== undefined) members.push(`${JSON.stringify(k)}:${v}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(obj);
  }
}
