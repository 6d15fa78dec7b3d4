/**
 * A binary attention file (optionally with its *.attention.json sidecar) → a precomputed spec.
 * Pure and non-throwing, like parseTensorFile. The spec's matrices are views on the tensor's buffer.
 */
import { parseTensorFile, type TensorFileResult } from '../tensorFile';
import { DEFAULT_OPTIONS, type ParseResult, type PrecomputedSpec, type Problem, type SourceLocation } from '../types';
import { attentionFromTensor, checkAttentionWeights, positionTokens, tokensFromMetadata } from './attention';
import { formatShape } from './common';
import { readBinaryTensor } from './read';
import { plural } from '../plural';

export interface BinaryAttentionInput {
  /** The binary file's bytes. Aligned float32 data is used in place: do not reuse them afterwards. */
  readonly bytes: Uint8Array;
  /** Its name or path (the extension picks the reader). */
  readonly fileName: string;
  /** The text of the *.attention.json that references it, when opened through one. */
  readonly sidecarText?: string;
  /** The memory budget in bytes: a compressed array that would inflate to more is refused before inflating. */
  readonly maxBytes?: number;
}

function fail(message: string, location?: SourceLocation): ParseResult {
  return { ok: false, problems: [{ severity: 'error', message, ...(location !== undefined ? { location } : {}) }] };
}

/** The spec; with a sidecar, where its token strings are (`tokenRanges`, see parseTensorFile). */
export function parseBinaryAttention(input: BinaryAttentionInput): TensorFileResult {
  try {
    return parseUnchecked(input);
  } catch (e) {
    return fail(`Internal error while reading ${input.fileName}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseUnchecked({ bytes, fileName, sidecarText, maxBytes }: BinaryAttentionInput): TensorFileResult {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const warnings: Problem[] = [];
  let sidecar: PrecomputedSpec | undefined;
  let location: SourceLocation | undefined;
  let tensorName: string | undefined;
  let headNames: readonly (readonly string[])[] | readonly string[] | undefined;
  let tokenRanges: TensorFileResult['tokenRanges'];
  if (sidecarText !== undefined) {
    const parsed = parseTensorFile(sidecarText);
    if (!parsed.ok) return parsed;
    if (parsed.reference === undefined || parsed.spec.kind !== 'precomputed') return parsed;
    sidecar = parsed.spec;
    location = parsed.reference.location;
    tensorName = parsed.reference.tensor;
    headNames = parsed.reference.headNames;
    tokenRanges = parsed.tokenRanges;
    warnings.push(...parsed.warnings);
  }
  const at = (p: Problem): Problem => (location !== undefined && p.location === undefined ? { ...p, location } : p);

  const read = readBinaryTensor(bytes, base, tensorName, maxBytes);
  if (!read.ok) return { ok: false, problems: [at(read.problem)] };
  const label = read.name !== undefined ? `${base}, array "${read.name}"` : base;
  if (read.others !== undefined && read.others.length > 0) {
    warnings.push(at({
      severity: 'warning',
      message: `${base} holds ${read.others.length + 1} arrays; showing "${read.name ?? ''}" ${formatShape(read.tensor.shape)}. Name another with "attention_tensor" in a sidecar *.attention.json.`,
    }));
  }

  // Tokens: the sidecar's, else the safetensors metadata's, else positions.
  let tokens = sidecar?.tokens;
  let keyTokens = sidecar?.keyTokens;
  if (sidecar === undefined) {
    const meta = tokensFromMetadata(read.metadata, base);
    if (meta.problem) return { ok: false, problems: [meta.problem] };
    tokens = meta.tokens;
    keyTokens = meta.keyTokens;
  }
  const positions = tokens === undefined;
  const att = attentionFromTensor(read.tensor, label, tokens?.length, keyTokens?.length ?? tokens?.length);
  if (!att.ok) return { ok: false, problems: [at(att.problem)] };
  const { weights, queries, keys } = att.value;
  if (positions) {
    tokens = positionTokens(queries);
    if (keys !== queries) keyTokens = positionTokens(keys);
    warnings.push({
      severity: 'warning',
      message: `${base} carries no tokens, so positions 0…${queries - 1} are shown. Add them with a sidecar *.attention.json ({ "tokens": [...], "attention_file": "${base}" })${base.endsWith('.safetensors') ? ' or metadata={"tokens": json.dumps(tokens)}' : ''}.`,
    });
  }
  const checks = checkAttentionWeights(weights, label).map(at);
  if (checks.some((p) => p.severity === 'error')) return { ok: false, problems: checks };
  warnings.push(...checks);

  // head_names, flat (every layer) or per layer, must match the tensor's heads.
  let names: string[][] | undefined;
  if (headNames !== undefined && headNames.length > 0) {
    const nested = Array.isArray(headNames[0]);
    names = nested ? (headNames as readonly (readonly string[])[]).map((l) => [...l]) : weights.map(() => [...(headNames as readonly string[])]);
    if (names.length !== weights.length) {
      return fail(`head_names has names for ${plural(names.length, 'layer')}, but ${label} has ${weights.length}.`, location);
    }
    const badLayer = names.findIndex((l, i) => l.length !== weights[i].length);
    if (badLayer >= 0) {
      return fail(`head_names${nested ? `[${badLayer}]` : ''} has ${plural(names[badLayer].length, 'name')}, but ${label} has ${plural(weights[badLayer].length, 'head')} per layer.`, location);
    }
  }
  const description = read.metadata?.description ?? `Attention weights exported from a model (${base}).`;
  const source = read.metadata?.source;
  const spec: PrecomputedSpec = {
    kind: 'precomputed',
    tokens: tokens ?? [],
    ...(keyTokens !== undefined ? { keyTokens } : {}),
    options: sidecar?.options ?? DEFAULT_OPTIONS,
    provenance: sidecar?.provenance ?? { kind: 'model', description: source !== undefined ? `${description} Source: ${source}` : description },
    attention: weights,
    ...(names !== undefined ? { headNames: names } : {}),
  };
  return { ok: true, spec, warnings, ...(tokenRanges !== undefined ? { tokenRanges } : {}) };
}
