// Converts a CircuitsVis-style attention fixture ({ tokens, attention, description?, source? }) into an
// *.attention.json example, one attention row per line so the file stays readable and diffable.
// Usage: node scripts/convert-fixture.mjs <in.json> <out.attention.json>
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('Usage: node scripts/convert-fixture.mjs <in.json> <out.attention.json>');
  process.exit(2);
}
const src = JSON.parse(readFileSync(input, 'utf8'));
if (!Array.isArray(src.tokens) || !Array.isArray(src.attention)) throw new Error('expected { tokens, attention }');

const description =
  'Real attention of one layer of GPT-2 small (12 heads) on a prompt that repeats itself, exported after the softmax with the causal mask. ' +
  'In the second repeat, heads 0, 1 and 5 look 17 tokens back, at the token that followed the previous occurrence of the current one: induction heads.';
const source = src.source ?? 'unknown';

function pretty(v, ind = '') {
  const inner = ind + '  ';
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return '[' + v.map((x) => JSON.stringify(x)).join(', ') + ']';
    return '[\n' + v.map((x) => inner + pretty(x, inner)).join(',\n') + '\n' + ind + ']';
  }
  if (v !== null && typeof v === 'object') {
    return '{\n' + Object.keys(v).map((k) => inner + JSON.stringify(k) + ': ' + pretty(v[k], inner)).join(',\n') + '\n' + ind + '}';
  }
  return JSON.stringify(v);
}

const out = { description, source, tokens: src.tokens, options: { mask: 'causal' }, attention: src.attention };
writeFileSync(output, pretty(out) + '\n');
console.log(`wrote ${output}`);
