/**
 * "attention" in a JSON file: nested arrays in one of the layouts of weightLayout.ts, read into
 * [layer][head] matrices and checked with the same rules and messages as a binary file's.
 */
import type { Matrix } from '../matrix';
import {
  type AttentionLayout, ATTENTION_LAYOUTS, axesProblem, batchProblem, checkWeights, countProblem, invalidWeightMessage,
  moreInvalidMessage, moreOffRowsMessage, offRowMessage,
} from '../weightLayout';
import { type JsonArray, type JsonPath, type JsonValue, arrayItem, arraySize, formatPath } from './json';
import { MAX_ROW_SUM_WARNINGS } from './limits';
import type { Reporter } from './problems';
import { describe, readMatrix } from './read';
import { plural } from '../plural';

export type { AttentionLayout } from '../weightLayout';

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
    rep.errorAt(v, path, `${where} must be nested arrays of numbers (${Object.values(ATTENTION_LAYOUTS).join(', ')}), but it is ${describe(v)}.`);
    return undefined;
  }
  const axes = countAxes(rep, v, path);
  if (axes === undefined) return undefined;
  const layout = ATTENTION_LAYOUTS[axes];
  if (layout === undefined) {
    rep.errorAt(v, path, axesProblem(where, axes));
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
          rep.errorAt(headsNode, headsPath, batchProblem(where, formatPath(headsPath), batch));
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
      rep.errorAt(place.node, place.path, `${formatPath(place.path)} has ${plural(headNodes[l].length, 'head')}, but the first layer has ${headNodes[0].length}; every layer needs the same number of heads.`);
      ok = false;
    }
    for (const h of headNodes[l]) {
      const m = readMatrix(rep, h.node, h.path);
      if (m === undefined) {
        ok = false;
        continue;
      }
      if (!shapeReported && m.value.rows !== shape.queries) {
        rep.errorAt(h.node, h.path, countProblem(formatPath(h.path), 'query', m.value.rows, shape.queries, shape.queryWord));
        shapeReported = true;
        ok = false;
      } else if (!shapeReported && m.value.cols !== shape.keys) {
        rep.errorAt(h.node, h.path, countProblem(formatPath(h.path), 'key', m.value.cols, shape.keys, shape.keyWord));
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
  if (!reportWeights(rep, weights, nodes, v, path)) return undefined;
  return { layout, weights, nodes };
}

function listItems(a: JsonArray, path: JsonPath): { node: JsonValue; path: JsonPath }[] {
  const n = arraySize(a);
  const out: { node: JsonValue; path: JsonPath }[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { node: arrayItem(a, i), path: [...path, i] };
  return out;
}

/** Checks the values (weightLayout.ts), each finding at its cell or row; false when there were errors. */
function reportWeights(rep: Reporter, weights: Matrix[][], nodes: { node: JsonArray; path: JsonPath }[][], whole: JsonValue, wholePath: JsonPath): boolean {
  const check = checkWeights(weights, MAX_ROW_SUM_WARNINGS, {
    invalid(l, h, i, j) {
      const { node, path } = nodes[l][h];
      const cell = arrayItem(arrayItem(node, i) as JsonArray, j);
      const cellPath = [...path, i, j];
      rep.errorAt(cell, cellPath, invalidWeightMessage(formatPath(cellPath), rep.text.slice(cell.offset, cell.offset + Math.min(cell.length, 40))));
    },
    offRow(l, h, i, sum) {
      const { node, path } = nodes[l][h];
      rep.warnAt(arrayItem(node, i), [...path, i], offRowMessage(formatPath([...path, i]), sum));
    },
  });
  const where = formatPath(wholePath);
  const moreInvalid = moreInvalidMessage(where, check, MAX_ROW_SUM_WARNINGS);
  if (moreInvalid !== undefined) rep.errorAt(whole, wholePath, moreInvalid);
  const moreOff = moreOffRowsMessage(where, check, MAX_ROW_SUM_WARNINGS);
  if (moreOff !== undefined) rep.warnAt(whole, wholePath, moreOff);
  return check.invalid === 0;
}
