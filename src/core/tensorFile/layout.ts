/**
 * Layouts of exported attention weights. Accepted, by number of axes:
 *   2  [query][key]                        one layer, one head
 *   3  [head][query][key]                  one layer
 *   4  [layer][head][query][key]           (also HF `attentions[l]` of shape [1][head][q][k], read as one layer)
 *   5  [layer][batch][head][query][key]    batch must have size 1 (torch.stack(outputs.attentions))
 */
import type { Matrix } from '../matrix';
import { type JsonArray, type JsonPath, type JsonValue, arrayItem, arraySize, formatPath } from './json';
import { MAX_ROW_SUM_WARNINGS, ROW_SUM_TOLERANCE } from './limits';
import type { Reporter } from './problems';
import { describe, readMatrix } from './read';

export type AttentionLayout = '[query][key]' | '[head][query][key]' | '[layer][head][query][key]' | '[layer][batch][head][query][key]';

export const LAYOUTS: Readonly<Record<number, AttentionLayout>> = {
  2: '[query][key]',
  3: '[head][query][key]',
  4: '[layer][head][query][key]',
  5: '[layer][batch][head][query][key]',
};

export interface AttentionTensor {
  readonly layout: AttentionLayout;
  /** weights[layer][head], each queries × keys. */
  readonly weights: Matrix[][];
  /** Where each head's matrix is in the file, for later checks. */
  readonly nodes: { node: JsonArray; path: JsonPath }[][];
}

/** Counts leading array axes by following first items; reports an empty axis. */
function countAxes(rep: Reporter, v: JsonValue, path: JsonPath): number | undefined {
  let depth = 0;
  let cur: JsonValue = v;
  const p = [...path];
  while (cur.kind === 'array') {
    depth++;
    if (arraySize(cur) === 0) {
      rep.errorAt(cur, p, `${formatPath(p)} is an empty array: attention weights need at least one ${depth === 1 ? 'item' : 'item on every axis'}.`);
      return undefined;
    }
    if (depth > 5) break;
    cur = arrayItem(cur, 0);
    p.push(0);
  }
  return depth;
}

export interface AttentionShape {
  readonly queries: number;
  readonly keys: number;
  /** "tokens" or "key tokens", for messages. */
  readonly queryWord: string;
  readonly keyWord: string;
}

export function readAttention(rep: Reporter, v: JsonValue, path: JsonPath, shape: AttentionShape): AttentionTensor | undefined {
  const where = formatPath(path);
  if (v.kind !== 'array') {
    rep.errorAt(v, path, `${where} must be nested arrays of numbers (${Object.values(LAYOUTS).join(', ')}), but it is ${describe(v)}.`);
    return undefined;
  }
  const axes = countAxes(rep, v, path);
  if (axes === undefined) return undefined;
  const layout = LAYOUTS[axes];
  if (layout === undefined) {
    rep.errorAt(v, path, `${where} has ${axes > 5 ? 'more than 5' : axes} ax${axes === 1 ? 'is' : 'es'}, but attention weights need 2 to 5: ${Object.values(LAYOUTS).join(', ')}.`);
    return undefined;
  }

  // Collect the per-head matrix nodes as [layer][head].
  const headNodes: { node: JsonValue; path: JsonPath }[][] = [];
  const layerPlaces: { node: JsonValue; path: JsonPath }[] = [];
  let ok = true;
  if (axes === 2) {
    headNodes.push([{ node: v, path }]);
    layerPlaces.push({ node: v, path });
  } else if (axes === 3) {
    headNodes.push(listItems(v, path));
    layerPlaces.push({ node: v, path });
  }
  else {
    const layers = listItems(v, path);
    for (const layer of layers) {
      let headsNode: JsonValue = layer.node;
      let headsPath = layer.path;
      if (headsNode.kind !== 'array') {
        rep.errorAt(headsNode, headsPath, `${formatPath(headsPath)} is ${describe(headsNode)}, but each layer must be an array of heads.`);
        ok = false;
        continue;
      }
      if (axes === 5) {
        const batch = arraySize(headsNode);
        if (batch !== 1) {
          rep.errorAt(headsNode, headsPath, `${where} has 5 axes, read as ${layout}, so ${formatPath(headsPath)} is the batch axis and must have size 1, but it has ${batch}. Export one sequence at a time.`);
          ok = false;
          continue;
        }
        headsNode = arrayItem(headsNode, 0);
        headsPath = [...headsPath, 0];
        if (headsNode.kind !== 'array') {
          rep.errorAt(headsNode, headsPath, `${formatPath(headsPath)} is ${describe(headsNode)}, but it must be an array of heads.`);
          ok = false;
          continue;
        }
      }
      headNodes.push(listItems(headsNode, headsPath));
      layerPlaces.push({ node: headsNode, path: headsPath });
    }
  }
  if (!ok) return undefined;

  const weights: Matrix[][] = [];
  const nodes: { node: JsonArray; path: JsonPath }[][] = [];
  let shapeReported = false;
  for (let l = 0; l < headNodes.length; l++) {
    const layerWeights: Matrix[] = [];
    const layerNodes: { node: JsonArray; path: JsonPath }[] = [];
    if (l > 0 && headNodes[l].length !== headNodes[0].length) {
      const place = layerPlaces[l];
      rep.errorAt(place.node, place.path, `${formatPath(place.path)} has ${headNodes[l].length} heads, but the first layer has ${headNodes[0].length}; every layer needs the same number of heads.`);
      ok = false;
    }
    for (const h of headNodes[l]) {
      const m = readMatrix(rep, h.node, h.path);
      if (m === undefined) {
        ok = false;
        continue;
      }
      if (!shapeReported && m.value.rows !== shape.queries) {
        rep.errorAt(h.node, h.path, `${formatPath(h.path)} has ${m.value.rows} query row${m.value.rows === 1 ? '' : 's'}, but there ${shape.queries === 1 ? 'is 1' : `are ${shape.queries}`} ${shape.queryWord}.`);
        shapeReported = true;
        ok = false;
      } else if (!shapeReported && m.value.cols !== shape.keys) {
        rep.errorAt(h.node, h.path, `${formatPath(h.path)} has ${m.value.cols} key column${m.value.cols === 1 ? '' : 's'}, but there ${shape.keys === 1 ? 'is 1' : `are ${shape.keys}`} ${shape.keyWord}.`);
        shapeReported = true;
        ok = false;
      }
      layerWeights.push(m.value);
      layerNodes.push({ node: h.node as JsonArray, path: h.path });
    }
    weights.push(layerWeights);
    nodes.push(layerNodes);
  }
  if (!ok) return undefined;
  if (!checkWeights(rep, weights, nodes, v, path)) return undefined;
  return { layout, weights, nodes };
}

function listItems(a: JsonArray, path: JsonPath): { node: JsonValue; path: JsonPath }[] {
  const n = arraySize(a);
  const out: { node: JsonValue; path: JsonPath }[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { node: arrayItem(a, i), path: [...path, i] };
  return out;
}

/**
 * Weights must be ≥ 0 (error). Each row should sum to 1 within ROW_SUM_TOLERANCE (warning at the row);
 * an all-zero row is accepted silently: it is how some exporters write a query whose keys are all masked
 * (padding). Returns false when there were errors.
 */
function checkWeights(rep: Reporter, weights: Matrix[][], nodes: { node: JsonArray; path: JsonPath }[][], whole: JsonValue, wholePath: JsonPath): boolean {
  let negatives = 0;
  let offRows = 0;
  let worst = 0;
  for (let l = 0; l < weights.length; l++) {
    for (let h = 0; h < weights[l].length; h++) {
      const { rows, cols, data } = weights[l][h];
      const { node, path } = nodes[l][h];
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        let allZero = true;
        for (let j = 0; j < cols; j++) {
          const x = data[i * cols + j];
          sum += x;
          if (x !== 0) allZero = false;
          if (x < 0) {
            negatives++;
            if (negatives <= MAX_ROW_SUM_WARNINGS) {
              const rowNode = arrayItem(node, i) as JsonArray;
              const cell = arrayItem(rowNode, j);
              rep.errorAt(cell, [...path, i, j], `${formatPath([...path, i, j])} is ${rep.text.slice(cell.offset, cell.offset + Math.min(cell.length, 40))}, but attention weights cannot be negative (they come out of a softmax).`);
            }
          }
        }
        if (allZero) continue;
        const dev = Math.abs(sum - 1);
        if (dev > ROW_SUM_TOLERANCE) {
          offRows++;
          if (dev > worst) worst = dev;
          if (offRows <= MAX_ROW_SUM_WARNINGS) {
            const rowNode = arrayItem(node, i);
            rep.warnAt(rowNode, [...path, i], `${formatPath([...path, i])} sums to ${round(sum)}, not 1 (off by more than ${ROW_SUM_TOLERANCE}): these may not be softmax weights, or may be rounded too coarsely.`);
          }
        }
      }
    }
  }
  if (negatives > MAX_ROW_SUM_WARNINGS) {
    rep.errorAt(whole, wholePath, `…and ${negatives - MAX_ROW_SUM_WARNINGS} more negative weights in ${formatPath(wholePath)}.`);
  }
  if (offRows > MAX_ROW_SUM_WARNINGS) {
    rep.warnAt(whole, wholePath, `…and ${offRows - MAX_ROW_SUM_WARNINGS} more rows of ${formatPath(wholePath)} that do not sum to 1 (${offRows} in all; the largest difference is ${round(worst)}).`);
  }
  return negatives === 0;
}

function round(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}
