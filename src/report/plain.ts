import { invariant } from '../util/assert.ts';

/** A value JSON.stringify renders exactly, with no bigint, undefined, Map or class instance left in it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Converts a value to plain JSON data. bigint becomes a decimal string (JSON.stringify would throw on
 * it, and a number would lose precision); Map becomes an object, Set an array, Date an ISO string;
 * `undefined` object fields are dropped (as JSON.stringify drops them) and non-finite numbers become null.
 * Functions, symbols and cycles are bugs in the caller.
 */
export function toPlainJson(value: unknown): Json {
  return convert(value, '$', new Set());
}

function convert(x: unknown, at: string, seen: Set<object>): Json {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      return Number.isFinite(x) ? x : null;
    case 'bigint':
      return x.toString(10);
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      invariant(false, `cannot render ${typeof x} at ${at} as JSON`);
  }
  if (x === null) return null;
  if (x instanceof Date) return x.toISOString();
  invariant(!seen.has(x), `cycle at ${at} cannot be rendered as JSON`);
  seen.add(x);
  try {
    if (Array.isArray(x)) return x.map((e, i) => convert(e, `${at}[${i}]`, seen));
    if (x instanceof Set) return [...x].map((e, i) => convert(e, `${at}[${i}]`, seen));
    const entries: [string, unknown][] = x instanceof Map ? [...x].map(([k, v]) => [String(k), v]) : Object.entries(x);
    const out: { [key: string]: Json } = {};
    for (const [k, v] of entries) if (v !== undefined) out[k] = convert(v, `${at}.${k}`, seen);
    return out;
  } finally {
    seen.delete(x);
  }
}
