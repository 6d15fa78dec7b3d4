/**
 * CSV or JSON of a whole matrix that a large result's snapshot withholds, written by the process that holds the result
 * (the panel's compute process or the model process), so the matrix never crosses to the host or the webview.
 */
import { writeFileSync } from 'node:fs';
import { formatMemory, type AttentionResult } from '../shared/core';
import { hideTokens } from '../shared/hiddenTokens';
import { matrixToCsv, matrixToJson } from '../shared/matrixExport';
import type { MatrixFileOutcome, MatrixFileRequest } from '../shared/protocol';

/**
 * Bytes per cell while the text is built: the cell's characters (up to about 13) in its row's array of strings and again
 * in the joined text.
 */
const BYTES_PER_CELL = 32;

/** The file's text, as the webview would write it for the matrix on screen; or one sentence why not. */
export function matrixFileText(result: AttentionResult, request: MatrixFileRequest, budgetBytes: number): { readonly text: string } | { readonly problem: string } {
  const head = result.layers[request.layer]?.heads[request.head];
  if (!head) return { problem: `Layer ${request.layer}, head ${request.head} is not in this result.` };
  // As the panel shows it: raw or scaled scores when the result has them, else the weights with hidden keys renormalised.
  const scores = request.matrix === 'weights' ? null : head[request.matrix];
  const kind = scores ? request.matrix : 'weights';
  const rows = head.weights.rows;
  const cols = head.weights.cols;
  const needed = rows * cols * BYTES_PER_CELL;
  if (needed > budgetBytes) {
    return { problem: `A ${request.format.toUpperCase()} of the ${rows} × ${cols} matrix needs about ${formatMemory(needed)} to write, over the memory budget of ${formatMemory(budgetBytes)}: select fewer tokens, or raise selfAttention.memoryBudgetMB.` };
  }
  const matrix = scores ?? hideTokens(head.weights, request.hiddenTokens);
  const text = request.format === 'csv'
    ? matrixToCsv(matrix, result.tokens, result.keyTokens)
    : matrixToJson(matrix, result.tokens, result.keyTokens, {
      kind, layer: request.layer, head: request.head, headName: request.headName, source: request.source, hiddenTokens: request.hiddenTokens,
    });
  return { text };
}

/** Writes the file at `path` (a local path the user chose in the save dialog). */
export function writeMatrixFile(result: AttentionResult, request: MatrixFileRequest, path: string, budgetBytes: number): MatrixFileOutcome {
  const made = matrixFileText(result, request, budgetBytes);
  if ('problem' in made) return made;
  try {
    writeFileSync(path, made.text, 'utf8');
  } catch (error) {
    return { problem: `Could not write ${path}: ${error instanceof Error ? error.message : String(error)}.` };
  }
  return { bytes: Buffer.byteLength(made.text, 'utf8') };
}
