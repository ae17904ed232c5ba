import { PatchproofError } from '../frontend/errors.ts';

/*
 * A strict JSON reader for the shadow input files. JSON.parse is not enough: Node 20 does not always
 * say where a syntax error is, and it rounds large numbers (a wei amount written as a number) to a
 * double. Here every error names file:line:col and every number keeps its exact source text.
 */

/** A JSON number, kept as written so 256-bit quantities survive. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | string | JsonNumber | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** How a value is shown in an error message: short, in JSON syntax. */
export function showJson(v: Json): string {
  if (v instanceof JsonNumber) return v.text;
  const s = JSON.stringify(v, (_k, x: unknown) => (x instanceof JsonNumber ? Number(x.text) : x));
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

// Sticky (y): matched at the reader's position without copying the rest of the text.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const STRING_PREFIX = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  pos = 0;
  constructor(readonly text: string, readonly file: string) {}

  fail(what: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const col = at - (before.lastIndexOf('\n') + 1) + 1;
    const found = at >= this.text.length ? 'end of file' : JSON.stringify(this.text[at]);
    throw new PatchproofError('input', `${this.file}:${line}:${col}: malformed JSON: expected ${what}, found ${found}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  value(): Json {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail('a value');
  }

  object(): JsonObject {
    this.pos++;
    const entries: [string, Json][] = [];
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return {};
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('a property name in double quotes');
      const keyAt = this.pos;
      const key = this.string();
      if (seen.has(key)) this.fail(`each property once, but ${JSON.stringify(key)} appears twice`, keyAt);
      seen.add(key);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("':' after a property name");
      this.pos++;
      entries.push([key, this.value()]);
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return Object.fromEntries(entries) as JsonObject;
      if (c !== ',') this.fail("',' or '}'", this.pos - 1);
    }
  }

  array(): Json[] {
    this.pos++;
    const items: Json[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return items;
      if (c !== ',') this.fail("',' or ']'", this.pos - 1);
    }
  }

  string(): string {
    STRING.lastIndex = this.pos;
    const m = STRING.exec(this.text);
    if (m === null) {
      // Point at the character that ends the valid prefix.
      STRING_PREFIX.lastIndex = this.pos;
      const prefix = STRING_PREFIX.exec(this.text)?.[0].length ?? 0;
      this.fail('a closing \'"\' (strings cannot hold raw control characters or bad escapes)', this.pos + prefix);
    }
    this.pos += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail('a number');
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }
}

/** Parses `text` (the contents of `file`) or throws an input error naming file:line:col. */
export function parseJson(text: string, file: string): Json {
  const r = new Reader(text.replace(/^\uFEFF/, ''), file);
  const v = r.value();
  r.skipSpace();
  if (r.pos < r.text.length) r.fail('end of file after the top-level value');
  return v;
}
