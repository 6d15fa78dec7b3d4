import { buildSelectionSpec, evaluate, parseTensorFile, tokenize, validateSpec } from '../core';
import type { AttentionResult, Problem } from '../core';
import type { ComputeSettings } from '../protocol';

export type ComputeRequest =
  | { readonly kind: 'selection'; readonly text: string; readonly settings: ComputeSettings; readonly maxTokens: number }
  | { readonly kind: 'file'; readonly text: string };

export type ComputeOutcome =
  | {
    readonly ok: true;
    readonly result: AttentionResult;
    readonly tokenRanges?: readonly (readonly [number, number])[];
    readonly warnings: readonly Problem[];
  }
  | { readonly ok: false; readonly message: string; readonly problems: readonly Problem[] };

/** Characters per token above which a selection is refused before tokenizing it at all. */
const MAX_CHARS_PER_TOKEN = 64;

/** Runs one request to completion. Pure: the same code runs inline and in the worker thread. */
export function runJob(request: ComputeRequest): ComputeOutcome {
  return request.kind === 'selection' ? runSelection(request.text, request.settings, request.maxTokens) : runFile(request.text);
}

function runSelection(text: string, settings: ComputeSettings, maxTokens: number): ComputeOutcome {
  if (text.trim() === '') return failure('The selection is empty: select some text to visualize.');
  if (text.length > maxTokens * MAX_CHARS_PER_TOKEN) {
    return failure(`The selection has ${text.length.toLocaleString('en')} characters, far more than the limit of ${maxTokens.toLocaleString('en')} tokens (setting selfAttention.maxTokens). Select less text.`);
  }
  const count = tokenize(text, settings.tokenizer).length;
  if (count > maxTokens) {
    return failure(`The selection has ${count.toLocaleString('en')} tokens, more than the limit of ${maxTokens.toLocaleString('en')} (setting selfAttention.maxTokens). Select less text.`);
  }
  const { spec, tokens } = buildSelectionSpec(text, settings);
  const problems = validateSpec(spec);
  if (problems.length > 0) return { ok: false, message: problems[0].message, problems };
  return { ok: true, result: evaluate(spec), tokenRanges: tokens.map((t) => [t.start, t.end] as const), warnings: [] };
}

function runFile(text: string): ComputeOutcome {
  const parsed = parseTensorFile(text);
  if (!parsed.ok) return { ok: false, message: describe(parsed.problems[0]), problems: parsed.problems };
  return { ok: true, result: evaluate(parsed.spec), warnings: parsed.warnings };
}

export function describe(problem: Problem | undefined): string {
  if (!problem) return 'The input could not be read.';
  const located = !problem.location || /\(line \d+, column \d+\)/.test(problem.message);
  const where = located ? '' : ` (line ${problem.location!.line + 1}, column ${problem.location!.column + 1})`;
  return problem.message + where;
}

function failure(message: string): ComputeOutcome {
  return { ok: false, message, problems: [{ severity: 'error', message }] };
}
