import fc from 'fast-check';
import * as z from 'zod';

/**
 * fast-check arbitraries derived from the relay's zod schemas, through zod 4's own JSON Schema
 * export (`z.toJSONSchema`): the maintained generators (zod-fast-check, @anatine/zod-mock) only
 * read zod 3. The values follow the schema's shape and its declared bounds, so most of them pass
 * validation and reach the handlers; refinements that JSON Schema cannot say (line items adding
 * up, well-formed text) are left to chance and to the hostile mutations below.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
};

/** Keeps generated strings and arrays short, so a run stays fast; the hostile values go long. */
const CAP = 24;

/** An arbitrary of values shaped like what `schema` accepts as input. */
export function arbitraryOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fromJsonSchema(json, json.$defs ?? {});
}

function fromJsonSchema(schema: JsonSchema, defs: Record<string, JsonSchema>): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = defs[name];
    return target ? fc.constant(null).chain(() => fromJsonSchema(target, defs)) : fc.anything();
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromJsonSchema(s, defs)));
  if (schema.allOf?.length) return fromJsonSchema(Object.assign({}, ...schema.allOf), defs);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringOf(schema);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e6);
      const ints = fc.integer({ min: Math.max(Math.ceil(min), -(2 ** 31)), max: Math.min(Math.floor(max), 2 ** 31 - 1) });
      // Mostly small values (amounts that fit a budget), sometimes the schema's own bounds.
      return fc.oneof({ weight: 4, arbitrary: ints }, fc.constantFrom(Math.ceil(min), Math.floor(max)));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = schema.items ? fromJsonSchema(schema.items, defs) : fc.anything();
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const known = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fromJsonSchema(s, defs)])),
        { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
      );
      if (typeof schema.additionalProperties === 'object') {
        const keys = schema.propertyNames ? stringOf(schema.propertyNames) : fc.string({ maxLength: CAP });
        const extra = fc.dictionary(keys as fc.Arbitrary<string>, fromJsonSchema(schema.additionalProperties, defs), { maxKeys: 3 });
        return fc.tuple(known, extra).map(([a, b]) => ({ ...b, ...a }));
      }
      return known;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? CAP, CAP));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

/** Strings an attacker sends: control characters, lone surrogates, lookalikes of ids, keys of Object.prototype, the very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\u001b[2J', '\u202Etxt.exe', '\u200B', '\uFEFF', '\r\n', '%00', '%ED%A0%80',
    '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '../../etc/passwd', "'; DROP TABLE intents; --",
    'int_', 'dev_', 'wal_', 'mer_', 'chg_', 'tok_', 'tks_', 'NaN', 'Infinity', '-0', '1e309', '9'.repeat(400), 'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 }),
);

/** Any JSON value an attacker can send where the schema expects something else. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(
    0, -1, -0, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 1e21, 0.1, 1.5, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER,
    null, true, false, [], {}, [null], '', ' ',
  ),
  fc.constant(null).map(() => deep(200)),
  fc.jsonValue({ maxDepth: 3 }),
);

/** An array nested `depth` levels. */
export function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** A body with one of its values (or its root) replaced by a hostile one, or an own `__proto__` key added. */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.nat(), hostileValue, fc.constantFrom('replace', 'proto', 'constructor')).map(([value, pick, hostile, how]) => {
    if (how !== 'replace' && value && typeof value === 'object' && !Array.isArray(value)) {
      const copy = { ...(value as Record<string, unknown>) };
      // An own property named __proto__, as JSON.parse creates it from the text an attacker sends.
      Object.defineProperty(copy, how === 'proto' ? '__proto__' : 'constructor', { value: hostile ?? { polluted: true }, enumerable: true, configurable: true, writable: true });
      return copy;
    }
    const paths = pathsOf(value);
    const path = paths[pick % paths.length]!;
    return setAt(value, path, hostile);
  });
}

function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, replacement) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head!]: setAt(record[head!], rest, replacement) };
}

/** Bodies for a schema: mostly well-shaped, some with a hostile value planted, a few wholly hostile. */
export function bodiesOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  const base = arbitraryOf(schema);
  return fc.oneof({ weight: 5, arbitrary: base }, { weight: 3, arbitrary: mutated(base) }, { weight: 1, arbitrary: hostileValue });
}

/** A body sent as these exact bytes, for what JSON.stringify never writes. */
export class RawBody {
  constructor(readonly text: string) {}
}

/** Request bodies no serialiser would produce: huge exponents, duplicate and prototype keys, deep nesting, broken JSON. */
export const rawBodies: fc.Arbitrary<RawBody> = fc.constantFrom(
  '{"amount":{"minor":1e400,"currency":"CNY"}}',
  '{"minor":-0,"quantity":1.0000000000000002}',
  '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}',
  '{"name":"a","name":"\u0000"}',
  '\uFEFF{}',
  '{',
  'null',
  '"\ud800"',
  '{"name":"\udc00\ud800"}',
  '['.repeat(20_000) + ']'.repeat(20_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  ' '.repeat(60_000) + '{}',
).map((text) => new RawBody(text));
