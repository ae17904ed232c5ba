import { readFileSync } from 'node:fs';

/*
 * Validates the certificate predicate against the JSON Schema published in schemas/. Not a general JSON
 * Schema engine: it interprets the keywords the schema uses (type, properties, required,
 * additionalProperties, items, pattern, enum, const, minimum, minLength, $ref to #/$defs) and refuses a
 * schema with any other keyword, so the published schema can never say more than what is checked here.
 * (A small interpreter instead of a dependency such as ajv: the schema is ours and stays small.)
 */

export type Schema = { readonly [k: string]: unknown };

const KEYWORDS = new Set(['$schema', '$id', '$ref', '$defs', 'title', 'description', 'type', 'properties', 'required',
  'additionalProperties', 'items', 'pattern', 'enum', 'const', 'minimum', 'minLength']);

let cached: Schema | undefined;

/** The published predicate schema (schemas/patchproof-predicate.schema.json). */
export function predicateSchema(): Schema {
  cached ??= JSON.parse(readFileSync(new URL('../../schemas/patchproof-predicate.schema.json', import.meta.url), 'utf8')) as Schema;
  return cached;
}

/** Every violation, one sentence each naming the JSON path; empty when `data` conforms. */
export function validate(data: unknown, schema: Schema, root: Schema = schema, at = 'predicate'): string[] {
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k)) throw new Error(`internal error: schema keyword ${k} is not interpreted`);
  if (typeof schema.$ref === 'string') {
    const m = /^#\/\$defs\/(\w+)$/.exec(schema.$ref);
    const target = m === null ? undefined : (root.$defs as Record<string, Schema> | undefined)?.[m[1]!];
    if (target === undefined) throw new Error(`internal error: unresolved schema $ref ${schema.$ref}`);
    return validate(data, target, root, at);
  }
  const out: string[] = [];
  if (schema.const !== undefined && data !== schema.const) out.push(`${at} must be ${JSON.stringify(schema.const)}, got ${show(data)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(data)) out.push(`${at} must be one of ${schema.enum.join(', ')}, got ${show(data)}`);
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((t) => hasType(data, t))) return [...out, `${at} must be ${types.join(' or ')}, got ${show(data)}`];
  }
  if (typeof data === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(data)) out.push(`${at} must match ${schema.pattern}, got ${show(data)}`);
    if (typeof schema.minLength === 'number' && data.length < schema.minLength) out.push(`${at} must have at least ${schema.minLength} characters`);
  }
  if (typeof data === 'number' && typeof schema.minimum === 'number' && data < schema.minimum) out.push(`${at} must be at least ${schema.minimum}, got ${data}`);
  if (Array.isArray(data) && schema.items !== undefined) {
    data.forEach((x, i) => out.push(...validate(x, schema.items as Schema, root, `${at}[${i}]`)));
  }
  if (isObject(data)) {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in data)) out.push(`${at}.${r} is missing`);
    for (const [k, v] of Object.entries(data)) {
      const p = props[k];
      if (p !== undefined) out.push(...validate(v, p, root, `${at}.${k}`));
      else if (schema.additionalProperties === false) out.push(`${at}.${k} is not allowed`);
      else if (isObject(schema.additionalProperties)) out.push(...validate(v, schema.additionalProperties, root, `${at}.${k}`));
    }
  }
  return out;
}

function hasType(x: unknown, t: string): boolean {
  switch (t) {
    case 'object': return isObject(x);
    case 'array': return Array.isArray(x);
    case 'string': return typeof x === 'string';
    case 'integer': return typeof x === 'number' && Number.isInteger(x);
    case 'number': return typeof x === 'number' && Number.isFinite(x);
    case 'boolean': return typeof x === 'boolean';
    case 'null': return x === null;
    default: throw new Error(`internal error: schema type ${t} is not interpreted`);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function show(x: unknown): string {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}
