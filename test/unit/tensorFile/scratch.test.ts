import { test } from 'vitest';
import { parseTensorFile } from '../../../src/core/tensorFile';
import { buildTree } from '../../../src/core/tensorFile/json';
test('scratch', () => {
  const row = '[' + new Array(512).fill('0.00195').join(', ') + ']';
  const mat = '[' + new Array(512).fill(row).join(',\n') + ']';
  const b2 = '{"tokens":[' + new Array(512).fill('"a"').join(',') + '],"attention":[[' + new Array(12).fill(mat).join(',') + ']]}';
  for (let k = 0; k < 3; k++) {
  let t0 = performance.now(); buildTree(b2); console.log('build', performance.now() - t0);
  t0 = performance.now(); const r = parseTensorFile(b2); console.log('parse', performance.now() - t0, r.ok);
  }
});
