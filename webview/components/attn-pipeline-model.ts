/**
 * A real model's own steps in <attn-pipeline>: its norm (LayerNorm or RMSNorm), RoPE with its dims and θ, the
 * key/value head a query head reads under grouped-query attention, the MLP (GELU or SwiGLU) and the residual adds
 * (GPT-NeoX's parallel one), each with this run's matrix and shape. Pure: it rewrites the generic step list.
 */
import { ropeAngles, type LayerResult, type Matrix, type ModelLayerSteps } from '../../src/shared/core';
import { headLabel } from '../head-label';
import type { PipelineStep } from './attn-pipeline';

const shapeOf = (m: Matrix | null): string | null => (m ? `${m.rows}×${m.cols}` : null);

const ACTIVATIONS: Record<ModelLayerSteps['mlp']['activation'], string> = {
  gelu_new: 'GELU (tanh approximation, gelu_new)',
  gelu: 'exact GELU (erf)',
  silu: 'SiLU',
  relu: 'ReLU',
};

function normExplain(m: ModelLayerSteps, what: string): string {
  return m.norm === 'RMSNorm'
    ? `Each row is divided by its root mean square (ε = ${m.normEps}), then multiplied by a learned gain; no mean is removed, no bias added. ${what}`
    : `Each row is shifted to mean 0 and scaled to variance 1 (ε = ${m.normEps}), then multiplied by a learned gain and shifted by a learned bias. ${what}`;
}

function mlpStep(m: ModelLayerSteps, dModel: number | null): PipelineStep {
  const act = ACTIVATIONS[m.mlp.activation];
  const back = dModel === null ? '' : ` back to ${dModel}`;
  const name = m.mlp.gated ? (m.mlp.activation === 'silu' ? 'MLP (SwiGLU)' : `MLP (gated ${m.mlp.activation})`) : `MLP (${m.mlp.activation})`;
  const explain = m.mlp.gated
    ? `Each token on its own: ${act}(x·W_gate) ⊙ (x·W_up), ${m.mlp.width} wide, then ·W_down${back}.`
    : `Each token on its own: ${act} of x·W_in + b, ${m.mlp.width} wide, then ·W_out + b${back}.`;
  return { id: 'mlp', name, shape: shapeOf(m.mlpOutput), matrix: m.mlpOutput, tokenRows: true, explain };
}

/** The K/V sharing of grouped-query attention, in words: which heads read the same key/value head. */
function sharing(m: ModelLayerSteps, layer: number, head: number): { kv: number; text: string } | null {
  const kv = m.kvHeadOf[head];
  if (kv === undefined || m.kvHeads === m.kvHeadOf.length) return null;
  const group = m.kvHeadOf.length / m.kvHeads;
  const readers = m.kvHeadOf.flatMap((k, h) => (k === kv ? [headLabel(layer, h)] : []));
  return {
    kv,
    text: `Grouped-query attention: ${m.kvHeadOf.length} query heads share ${m.kvHeads} key/value head${m.kvHeads === 1 ? '' : 's'}, ${group} per key/value head; ${headLabel(layer, head)} reads key/value head ${kv}, shared by ${readers.join(', ')}.`,
  };
}

/** A projection reads the normed X, not X. */
function fromNormed(step: PipelineStep, m: ModelLayerSteps): PipelineStep {
  return { ...step, explain: step.explain.replace('each row of X', `each row of ${m.norm}(X)`) };
}

/** The generic steps of a real model's layer, turned into its family's chain. */
export function withModelSteps(steps: readonly PipelineStep[], L: LayerResult, m: ModelLayerSteps, layer: number, head: number): PipelineStep[] {
  const T = L.input?.rows ?? L.heads[head]?.weights.rows ?? 0;
  const dModel = L.input?.cols ?? null;
  const gqa = sharing(m, layer, head);
  const rotary = m.rotary;
  const out: PipelineStep[] = [];
  for (const step of steps) {
    switch (step.id) {
      case 'x':
        out.push({
          ...step,
          name: 'X (residual stream)',
          explain: layer === 0
            ? `Each token's row of the embedding table${m.family === 'gpt2' ? ', plus its learned position row' : ''}: the residual stream entering layer 0.`
            : `The residual stream: what layer ${layer - 1} handed on.`,
        });
        out.push({ id: 'norm1', name: m.norm, shape: shapeOf(m.attentionNormed), matrix: m.attentionNormed, tokenRows: true, explain: normExplain(m, 'Q, K and V are made from this.') });
        break;
      case 'wq':
        out.push(fromNormed(step, m));
        break;
      case 'wk':
      case 'wv':
        out.push(fromNormed(gqa ? { ...step, name: `${step.name} (kv head ${gqa.kv})` } : step, m));
        if (step.id === 'wv' && rotary) {
          const half = rotary.dims / 2;
          out.push({
            id: 'rope',
            name: `RoPE (${rotary.dims} of ${rotary.headDim} dims, θ = ${rotary.theta})`,
            shape: `${T}×${half}`,
            matrix: ropeAngles(T, rotary.dims, rotary.theta),
            tokenRows: true,
            groupStart: true,
            explain: `Rotary positions: in every query and key row, column i and column i + ${half} (i < ${half}) are rotated together by the angle position × ${rotary.theta}^(−2i/${rotary.dims})${rotary.dims < rotary.headDim ? `; the other ${rotary.headDim - rotary.dims} columns pass unrotated` : ''}. Shown: each position's ${half} angles, in radians.`,
          });
        }
        break;
      case 'q':
        out.push(rotary ? { ...step, name: 'Q (after RoPE)', groupStart: false } : step);
        break;
      case 'k':
        out.push({ ...step, name: `K${rotary ? ' (after RoPE)' : ''}${gqa ? `, kv head ${gqa.kv}` : ''}`, explain: gqa ? `${step.explain} ${gqa.text}` : step.explain });
        break;
      case 'v':
        out.push(gqa ? { ...step, name: `V, kv head ${gqa.kv}`, explain: `${step.explain} Shared like K.` } : step);
        break;
      case 'wo':
        out.push(step);
        out.push(...afterAttention(L, m, layer, dModel));
        break;
      default:
        out.push(step);
    }
  }
  return out;
}

/** Residual add, second norm, MLP and the last add: sequential, or GPT-NeoX's parallel residual. */
function afterAttention(L: LayerResult, m: ModelLayerSteps, layer: number, dModel: number | null): PipelineStep[] {
  const next = `what layer ${layer + 1} (or the final norm) reads.`;
  if (m.parallelResidual) {
    return [
      { id: 'norm2', name: `${m.norm} (MLP's own)`, shape: shapeOf(m.mlpNormed), matrix: m.mlpNormed, tokenRows: true, groupStart: true, explain: normExplain(m, 'Parallel residual: the MLP reads X itself, the same X attention read, not X + attention.') },
      mlpStep(m, dModel),
      { id: 'add', name: 'X + attention + MLP', shape: shapeOf(L.output), matrix: L.output, tokenRows: true, explain: `Parallel residual (GPT-NeoX): both branches are added to X in one step: ${next}` },
    ];
  }
  return [
    { id: 'add1', name: 'X + attention', shape: shapeOf(m.residualMid), matrix: m.residualMid, tokenRows: true, groupStart: true, explain: 'Residual add: the attention output is added to X, which the stream carries on unchanged.' },
    { id: 'norm2', name: m.norm, shape: shapeOf(m.mlpNormed), matrix: m.mlpNormed, tokenRows: true, explain: normExplain(m, 'The MLP reads this.') },
    mlpStep(m, dModel),
    { id: 'add2', name: '+ MLP', shape: shapeOf(L.output), matrix: L.output, tokenRows: true, explain: `Residual add: the MLP's output is added to X + attention: ${next}` },
  ];
}
