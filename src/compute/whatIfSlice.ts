/**
 * A "what if" comparison as it crosses to the webview: only the heads a slimmed snapshot carries keep their matrices,
 * and its bytes count against the memory budget. Types only from the core, so the host bundle stays free of its math.
 */
import type { AttentionResult, Matrix } from '../shared/core';
import type { WhatIfComparison } from '../shared/protocol';

const EMPTY: Matrix = Object.freeze({ rows: 0, cols: 0, data: new Float32Array(0) });

/** The comparison for a slimmed snapshot: only the heads whose weights it carries keep their matrices. */
export function slimWhatIf(whatIf: WhatIfComparison, shown: AttentionResult): WhatIfComparison {
  const keep = (l: number, h: number): boolean => (shown.layers[l]?.heads[h]?.weights.rows ?? 0) > 0;
  const slim = (all: readonly (readonly Matrix[])[]) => all.map((heads, l) => heads.map((m, h) => (keep(l, h) ? m : EMPTY)));
  return { ...whatIf, original: slim(whatIf.original), difference: slim(whatIf.difference) };
}

function matrices(whatIf: WhatIfComparison): Matrix[] {
  return [...whatIf.original.flat(), ...whatIf.difference.flat()];
}

/** Bytes of the comparison's matrices (a buffer shared with the result is counted there, not here). */
export function whatIfBytes(whatIf: WhatIfComparison, result: AttentionResult): number {
  const inResult = new Set(result.layers.flatMap((layer) => layer.heads.map((head) => head.weights.data)));
  const seen = new Set<Float32Array>();
  let bytes = 0;
  for (const m of matrices(whatIf)) {
    if (inResult.has(m.data) || seen.has(m.data)) continue;
    seen.add(m.data);
    bytes += m.data.byteLength;
  }
  return bytes;
}
