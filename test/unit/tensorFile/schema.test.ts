import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOP_LEVEL_FIELDS } from '../../../src/core/tensorFile';

const root = join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/attention.schema.json'), 'utf8')) as Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every property schema (under "properties") and every definition, with its path. */
function fields(node: Json, path: string, out: [string, Record<string, Json>][]): [string, Record<string, Json>][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const key of ['properties', 'definitions'] as const) {
    const group = node[key];
    if (group !== null && typeof group === 'object' && !Array.isArray(group)) {
      for (const [k, v] of Object.entries(group)) {
        out.push([`${path}/${key}/${k}`, v as Record<string, Json>]);
        fields(v, `${path}/${key}/${k}`, out);
      }
    }
  }
  for (const key of ['anyOf', 'items'] as const) {
    const sub = node[key];
    if (Array.isArray(sub)) sub.forEach((s, i) => fields(s, `${path}/${key}/${i}`, out));
    else if (sub !== undefined) fields(sub, `${path}/${key}`, out);
  }
  return out;
}

describe('schemas/attention.schema.json', () => {
  it('is draft-07 and lists exactly the fields the parser knows', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties as object).sort()).toEqual([...TOP_LEVEL_FIELDS].sort());
  });
  it('documents every field with description and markdownDescription', () => {
    const all = fields(schema as Json, '#', []);
    expect(all.length).toBeGreaterThan(40);
    for (const [path, f] of all) {
      expect(typeof f.description, path).toBe('string');
      expect(typeof f.markdownDescription, path).toBe('string');
    }
  });
  it('accepts every example and rejects mixed modes (validated with ajv when available)', () => {
    let Ajv: (new (o: object) => { compile: (s: object) => ((d: unknown) => boolean) & { errors?: unknown } }) | undefined;
    try {
      const mod = createRequire(__filename)('ajv') as { default?: unknown };
      Ajv = (mod.default ?? mod) as typeof Ajv;
    } catch {
      return; // ajv is only a transitive dependency; the parser tests cover the same ground
    }
    const validate = new Ajv!({ strict: false, allErrors: true }).compile(schema);
    const dir = join(root, 'examples');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.attention.json'))) {
      const ok = validate(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(ok ? [] : validate.errors, f).toEqual([]);
    }
    expect(validate({ tokens: ['a'], embeddings: [[1]], attention: [[1]] })).toBe(false);
    expect(validate({ tokens: ['a'], embeddings: [[1]], options: { temperature: 0 } })).toBe(false);
    expect(validate({ tokens: ['a'], embeddings: [[1]], options: { mask: { window: 0 } } })).toBe(false);
    expect(validate({ tokens: [], embeddings: [[1]] })).toBe(false);
  });
});
