/**
 * <attn-pipeline>: the chain of one layer, from X through Q, K, V, scores, scaling, mask, softmax,
 * ·V, concat and ·W_O (and, for encoder layers, add & norm → feed-forward → add & norm). Each step is a
 * small canvas thumbnail with its shape and one plain sentence; the active token's row is traced
 * through every step (a large result's n×n steps ask for theirs: see attn-pipeline-thumbs.ts).
 * Below: what the mask costs (pairs computed vs n²) and how that grows with n.
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { AttnView } from './attn-view';
import { customElement } from 'lit/decorators.js';
import { styleProps } from '../directives/style-props';
import { countVisiblePairs, describeMask, type AttentionResult, type HeadResult, type LayerResult, type Matrix } from '../../src/shared/core';
import { isWithheld, type MatrixKind } from '../../src/shared/protocol';
import { fmt } from '../render/format';
import { tokenText } from '../token-text';
import { drawThumb } from '../render/thumbnail';
import { pipelineStyles } from './attn-pipeline.styles';
import { stepPicture, stepTrace, THUMB_BOX, type StepPicture, type StepTrace } from './attn-pipeline-thumbs';
import { headTitle } from '../head-label';
import { withModelSteps } from './attn-pipeline-model';
import type { ExportContext } from '../export-provider';
import { pipelineExport } from './pipeline-export';

export interface PipelineStep {
  /** Stable id, e.g. 'x', 'wq', 'q', 'scores', 'scaled', 'mask', 'weights', 'z', 'concat', 'wo', 'addnorm1', … */
  readonly id: string;
  readonly name: string;
  /** "rows×cols", or null when unknown. */
  readonly shape: string | null;
  readonly explain: string;
  /** The matrix drawn as a thumbnail (withheld in a large result's snapshot); null when the result does not keep it. */
  readonly matrix: Matrix | null;
  /** The head's n×n matrix this step draws: a large result pools it by block max, and may withhold it (on request). */
  readonly kind?: MatrixKind;
  /** The step shows `matrix` × factor (the scaling step: the scores × scale ÷ T, without the mask). */
  readonly factor?: number;
  readonly sequential?: boolean;
  readonly maskSource?: Matrix | null;
  /** Whether rows are tokens (so the active token's row can be traced). */
  readonly tokenRows: boolean;
  readonly groupStart?: boolean;
}

/** A step's picture and traced row, as drawn (the SVG export draws the same). */
export interface StepCard {
  readonly step: PipelineStep;
  readonly picture: StepPicture | null;
  readonly trace: StepTrace | null;
}

export const COST_SIZES = [128, 512, 2048, 8192] as const;

/** The shape a matrix stands for (a withheld one's true shape). */
const shapeOf = (m: Matrix | null): string | null => (!m ? null : isWithheld(m) ? `${m.withheld.rows}×${m.withheld.cols}` : `${m.rows}×${m.cols}`);

/** The steps of layer `layer`, head `head`, in order. Pure. */
export function pipelineSteps(result: AttentionResult, layer: number, head: number): PipelineStep[] {
  const L: LayerResult | undefined = result.layers[layer];
  const H: HeadResult | undefined = L?.heads[head];
  if (!L || !H) return [];
  const steps: PipelineStep[] = [];
  const x = L.input;
  const dModel = x?.cols ?? null;
  const dK = H.q?.cols ?? null;
  const dV = H.v?.cols ?? null;
  const temp = result.options.temperature;
  const mask = result.options.mask;
  steps.push({
    id: 'x',
    name: 'X',
    shape: shapeOf(x),
    matrix: x,
    tokenRows: true,
    explain: layer === 0 ? 'Each token enters as a row of numbers: its embedding, plus its position when that is switched on.' : `Each token enters as a row of numbers: the output of layer ${layer}.`,
  });
  const proj = (id: string, name: string, d: number | null, matrix: Matrix | null, what: string): PipelineStep => ({
    id,
    name,
    shape: dModel !== null && d !== null ? `${dModel}×${d}` : null,
    matrix,
    tokenRows: false,
    explain: what,
  });
  if (x && H.q && H.q !== x) {
    const w = H.projections;
    steps.push(proj('wq', 'W_Q', dK, w?.wq ?? null, 'A learned matrix that turns each row of X into a query.'));
    steps.push(proj('wk', 'W_K', H.k?.cols ?? null, w?.wk ?? null, 'A learned matrix that turns each row of X into a key.'));
    steps.push(proj('wv', 'W_V', dV, w?.wv ?? null, 'A learned matrix that turns each row of X into a value.'));
  }
  steps.push({ id: 'q', name: 'Q', shape: shapeOf(H.q), matrix: H.q, tokenRows: true, groupStart: true, explain: 'Queries: what each token is looking for in the others.' });
  steps.push({ id: 'k', name: 'K', shape: shapeOf(H.k), matrix: H.k, tokenRows: true, explain: 'Keys: how each token describes itself to the queries.' });
  steps.push({ id: 'v', name: 'V', shape: shapeOf(H.v), matrix: H.v, tokenRows: true, explain: 'Values: what each token hands on when it is attended to.' });
  steps.push({
    id: 'scores',
    name: 'Q·Kᵀ',
    shape: shapeOf(H.scores),
    matrix: H.scores,
    kind: 'scores',
    tokenRows: true,
    groupStart: true,
    explain: 'Every query is compared with every key by a dot product; a larger number means a better match.',
  });
  const scaleText = dK !== null && Math.abs(H.scale - 1 / Math.sqrt(dK)) < 1e-6 ? `1/√${dK}` : fmt(H.scale, 4);
  steps.push({
    id: 'scaled',
    name: temp === 1 ? '÷√d_k' : `÷√d_k, ÷T`,
    shape: shapeOf(H.scores),
    // Without the mask, to show the scaling on its own.
    matrix: H.scores,
    kind: 'scores',
    factor: H.scale / temp,
    tokenRows: true,
    explain: `Scores are multiplied by ${scaleText}${temp === 1 ? '' : ` and divided by the temperature ${fmt(temp, 2)}`}, so the softmax does not saturate as d_k grows.`,
  });
  steps.push({
    id: 'mask',
    name: 'mask',
    shape: shapeOf(H.scaled),
    matrix: H.scaled,
    kind: 'scaled',
    maskSource: H.scaled,
    tokenRows: true,
    explain: mask.kind === 'none' ? 'No mask: every query may look at every key.' : `Mask (${describeMask(mask)}): forbidden pairs become −∞, so they get zero weight.`,
  });
  steps.push({
    id: 'weights',
    name: 'softmax',
    shape: shapeOf(H.weights),
    matrix: H.weights,
    kind: 'weights',
    sequential: true,
    maskSource: H.scaled,
    tokenRows: true,
    explain: 'Each row becomes weights that are positive and add up to 1.',
  });
  steps.push({
    id: 'z',
    name: '·V → Z',
    shape: shapeOf(H.output),
    matrix: H.output,
    tokenRows: true,
    explain: "Each token's output is the weighted average of the value rows, using its weights.",
  });
  if (L.heads.length > 1 || L.concat !== H.output) {
    steps.push({
      id: 'concat',
      name: `concat (${L.heads.length} heads)`,
      shape: shapeOf(L.concat),
      matrix: L.concat,
      tokenRows: true,
      groupStart: true,
      explain: 'The outputs of all heads are placed side by side.',
    });
  }
  if (L.attentionOutput && L.attentionOutput !== L.concat) {
    steps.push({
      id: 'wo',
      name: '·W_O',
      shape: shapeOf(L.attentionOutput),
      matrix: L.attentionOutput,
      tokenRows: true,
      explain: 'A learned output matrix mixes the heads back to the model width.',
    });
  }
  if (L.encoder) {
    const e = L.encoder;
    steps.push({ id: 'addnorm1', name: 'add & norm', shape: shapeOf(e.addNorm1), matrix: e.addNorm1, tokenRows: true, groupStart: true, explain: 'X is added back (a residual), then each row is normalised to mean 0 and variance 1.' });
    steps.push({ id: 'ffnHidden', name: 'feed-forward (ReLU)', shape: shapeOf(e.ffnHidden), matrix: e.ffnHidden, tokenRows: true, explain: 'Each token on its own goes through a wider layer; negatives are cut to 0.' });
    steps.push({ id: 'ffnOutput', name: 'feed-forward out', shape: shapeOf(e.ffnOutput), matrix: e.ffnOutput, tokenRows: true, explain: 'A second matrix brings each row back to the model width.' });
    steps.push({ id: 'addnorm2', name: 'add & norm', shape: shapeOf(e.addNorm2), matrix: e.addNorm2, tokenRows: true, explain: 'Residual again, then normalised: this is what the next layer receives.' });
  }
  return L.model ? withModelSteps(steps, L, L.model, layer, head) : steps;
}

/** What the mask costs: pairs computed now, and how the pairs grow with n. */
export function maskCost(result: AttentionResult): { readout: string; rows: { n: number; pairs: number; full: number; share: string; ratio: number }[] } {
  const { computedPairs, fullPairs } = result.cost;
  const pct = fullPairs > 0 ? (computedPairs / fullPairs) * 100 : 100;
  const readout = `${describeMask(result.options.mask)}: ${computedPairs.toLocaleString('en-US')} query–key pairs computed of ${fullPairs.toLocaleString('en-US')} for full attention (${pct.toFixed(1)}%).`;
  const rows = COST_SIZES.map((n) => {
    const pairs = countVisiblePairs(result.options.mask, n, n);
    const ratio = pairs / (n * n);
    return { n, pairs, full: n * n, ratio, share: `${(ratio * 100).toFixed(ratio < 0.01 ? 2 : 1)}%` };
  });
  return { readout, rows };
}

@customElement('attn-pipeline')
export class AttnPipeline extends AttnView {
  static override styles = pipelineStyles;


  private steps: PipelineStep[] = [];
  private cards: StepCard[] = [];

  protected override exportView() {
    return { view: 'pipeline' as const, provider: { svg: (ctx: ExportContext) => pipelineExport(this.result, this.layer, this.head, this.traceRow, this.cards, this.clientWidth, ctx) } };
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('result') || changed.has('layer') || changed.has('head')) {
      this.steps = this.result ? pipelineSteps(this.result, this.layer, this.head) : [];
    }
    // Every update: an answer (dataVersion) or another traced row changes what the withheld steps show.
    const src = this.result ? { result: this.result, layer: this.layer, head: this.head, data: this.data } : null;
    const row = this.traceRow;
    this.cards = src ? this.steps.map((step) => ({ step, picture: stepPicture(step, src), trace: stepTrace(step, row, src) })) : [];
  }

  /** The row traced through the steps: the hovered/locked token, if any. */
  private get traceRow(): number | null {
    return this.activeToken ?? this.lockedToken;
  }

  protected override updated(): void {
    const root = this.renderRoot;
    const focus = getComputedStyle(this).getPropertyValue('--vscode-focusBorder').trim() || '#0078d4';
    const row = this.traceRow;
    for (const { step, picture } of this.cards) {
      if (!picture || !('thumb' in picture)) continue;
      const canvas = root.querySelector(`canvas[data-step="${step.id}"]`) as HTMLCanvasElement | null;
      if (canvas) drawThumb(canvas, picture, picture.thumb, THUMB_BOX, step.tokenRows ? row : null, focus);
    }
  }

  private renderStep({ step, picture, trace }: StepCard): TemplateResult {
    return html`<li class="step ${step.groupStart ? 'group-start' : ''}" data-step=${step.id}>
      <div><span class="name">${step.name}</span> <span class="shape">${step.shape ?? ''}</span></div>
      <div class="thumb">
        ${!picture
          ? html`<span class="missing">${missingText(step)}</span>`
          : 'thumb' in picture
            ? html`<canvas data-step=${step.id} aria-hidden="true"></canvas>`
            : html`<span class="missing" ?data-pending=${picture.pending}>${picture.note}</span>`}
      </div>
      <p class="explain">${step.explain}</p>
      ${trace ? html`<div class="trace" ?data-pending=${trace.pending}>${trace.text}</div>` : nothing}
    </li>`;
  }

  private renderCost(result: AttentionResult): TemplateResult {
    const mask = result.options.mask;
    const { computedPairs, fullPairs } = result.cost;
    const pct = fullPairs > 0 ? (computedPairs / fullPairs) * 100 : 100;
    const { rows } = maskCost(result);
    return html`<section class="cost" aria-labelledby="cost-title">
      <h3 id="cost-title">Cost of the mask</h3>
      <p class="readout">
        ${describeMask(mask)}: <strong>${computedPairs.toLocaleString('en-US')}</strong> query–key pairs computed of
        ${fullPairs.toLocaleString('en-US')} for full attention (${pct.toFixed(1)}%).
      </p>
      <table>
        <caption class="note">How the pairs grow with n for this mask</caption>
        <thead>
          <tr><th scope="col">n</th><th scope="col">pairs</th><th scope="col">n²</th><th scope="col">share</th><th scope="col" class="bar-cell">of n²</th></tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr data-n=${r.n}>
              <td>${r.n.toLocaleString('en-US')}</td>
              <td class="pairs">${r.pairs.toLocaleString('en-US')}</td>
              <td>${r.full.toLocaleString('en-US')}</td>
              <td>${r.share}</td>
              <td class="bar-cell"><span class="bar" ${styleProps({ width: `${Math.max(0.5, r.ratio * 100)}%` })}></span></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  override render(): TemplateResult {
    const result = this.result;
    if (!result || this.steps.length === 0) return html`<p class="empty">No attention result to show.</p>`;
    const head = result.layers[this.layer].heads[this.head];
    const row = this.traceRow;
    const precomputed = head.q === null;
    const fileOnly = result.layers.every((L) => L.heads.every((h) => h.q === null));
    const token = row !== null ? result.tokens[row] : undefined;
    return html`
      <h2>${headTitle(this.layer, this.head, head.name)}: how the numbers flow</h2>
      ${precomputed
        ? html`<p class="note">${fileOnly
            ? 'This file holds only attention weights, so the steps before softmax cannot be shown.'
            : 'This large result carries the full pipeline only for the focused head; focus this head to see it.'}</p>`
        : nothing}
      ${row !== null && token !== undefined
        ? html`<p class="note" role="status">Tracing token ${row + 1} “<bdi>${tokenText(token)}</bdi>” through every step.</p>`
        : html`<p class="note" role="status">Hover or lock a token to trace its row through every step.</p>`}
      <ol class="steps" aria-label="Pipeline steps">
        ${this.cards.map((card) => this.renderStep(card))}
      </ol>
      ${this.renderCost(result)}
    `;
  }
}

/** Why a step has no thumbnail at all. */
export function missingText(step: PipelineStep): string {
  return step.id.startsWith('w') ? 'weights not kept in the result' : 'not in this result';
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-pipeline': AttnPipeline;
  }
}
