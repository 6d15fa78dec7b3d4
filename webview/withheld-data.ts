/**
 * The webview's end of the data it asks for: a large result's snapshot withholds the focused head's n×n matrices
 * (see isWithheld), and the views ask for the rows, the heatmap raster and the thumbnails they draw. One store per
 * panel, owned by `<attn-app>`: it numbers the requests, asks for a row or a thumbnail once, keeps the answers of the
 * snapshot on screen, and drops stale answers (another snapshot, or a raster request superseded by a newer one).
 */
import type { Matrix } from '../src/shared/core';
import type { DataRefusal, MatrixKind, RasterAnswer, RasterRequest, RowAnswer, RowRequest, WithheldMatrix } from '../src/shared/protocol';

export type DataRequest = { readonly type: 'raster'; readonly request: RasterRequest } | { readonly type: 'row'; readonly request: RowRequest };

/** What a view asks for a raster: everything but the numbering. */
export type RasterWanted = Omit<RasterRequest, 'requestId' | 'seq'>;

/** The most rows kept per snapshot (a hover sweep over thousands of tokens asks for many). */
const MAX_ROWS = 512;

export class WithheldData {
  private seq = -1;
  private nextId = 1;
  private latestRaster = 0;
  private readonly rows = new Map<string, RowAnswer>();
  private readonly asked = new Set<string>();
  private rasterAnswer: RasterAnswer | null = null;
  private wanted: RasterWanted | null = null;
  private readonly thumbs = new Map<string, RasterAnswer | DataRefusal>();
  /** Thumbnails wanted and not asked yet, and the one asked (the host answers only the newest raster request). */
  private readonly thumbQueue = new Map<string, RasterWanted>();
  private thumbAsked: { readonly key: string; readonly requestId: number } | null = null;
  /** Why the last request was refused, if it was (the views show it). */
  problem: string | null = null;

  /** @param send posts a request to the host; @param changed is told when an answer arrived. */
  constructor(private readonly send: (request: DataRequest) => void, private readonly changed: () => void) {}

  /** The snapshot on screen: answers of any other are dropped, and a new one starts afresh. */
  showing(seq: number): void {
    if (seq === this.seq) return;
    this.seq = seq;
    this.rows.clear();
    this.asked.clear();
    this.rasterAnswer = null;
    this.wanted = null;
    this.problem = null;
    this.thumbs.clear();
    this.thumbQueue.clear();
    this.thumbAsked = null;
  }

  /** Row `query` of a head's weights (and scores), asked for once if not here yet (undefined until it comes). */
  row(layer: number, head: number, query: number): RowAnswer | undefined {
    const key = `${layer}/${head}/${query}`;
    const row = this.rows.get(key);
    if (row || this.asked.has(key) || this.seq < 0) return row;
    this.asked.add(key);
    this.send({ type: 'row', request: { requestId: this.nextId++, seq: this.seq, layer, head, query } });
    return undefined;
  }

  /** The newest raster answered for this layer, head and matrix (it stays on screen while a newer one comes). */
  raster(layer: number, head: number, matrix: MatrixKind): RasterAnswer | null {
    const r = this.rasterAnswer;
    return r && r.layer === layer && r.head === head && r.matrix === matrix ? r : null;
  }

  /** The raster asked for last (so a view asks again only when it needs another). */
  get lastWanted(): RasterWanted | null {
    return this.wanted;
  }

  /**
   * A whole `rows × cols` matrix pooled to at most `size` values a side (a pipeline thumbnail), or why it is not
   * here; undefined until it comes. Asked for once per snapshot, one at a time: the host answers only the newest
   * raster request, so the next thumbnail is asked when the last one is answered.
   */
  thumb(layer: number, head: number, matrix: MatrixKind, rows: number, cols: number, size: number): RasterAnswer | DataRefusal | undefined {
    const key = `${layer}/${head}/${matrix}/${rows}×${cols}/${size}`;
    const thumb = this.thumbs.get(key);
    if (thumb || this.seq < 0 || this.thumbAsked?.key === key || this.thumbQueue.has(key)) return thumb;
    this.thumbQueue.set(key, { layer, head, matrix, rows: [0, rows], cols: [0, cols], outWidth: size, outHeight: size });
    this.askNextThumb();
    return undefined;
  }

  private askNextThumb(): void {
    const next = this.thumbAsked ? undefined : this.thumbQueue.entries().next().value;
    if (!next) return;
    const [key, wanted] = next;
    this.thumbQueue.delete(key);
    this.thumbAsked = { key, requestId: this.nextId++ };
    this.send({ type: 'raster', request: { ...wanted, requestId: this.thumbAsked.requestId, seq: this.seq } });
  }

  askRaster(wanted: RasterWanted): void {
    if (this.seq < 0) return;
    // This request supersedes a thumbnail's at the host: that one is asked again when a view wants it.
    this.thumbAsked = null;
    this.wanted = wanted;
    this.latestRaster = this.nextId++;
    this.send({ type: 'raster', request: { ...wanted, requestId: this.latestRaster, seq: this.seq } });
  }

  receiveRaster(answer: RasterAnswer | DataRefusal): boolean {
    if (answer.seq === this.seq && answer.requestId === this.thumbAsked?.requestId) {
      this.thumbs.set(this.thumbAsked.key, answer);
      this.thumbAsked = null;
      this.askNextThumb();
      this.changed();
      return true;
    }
    if (answer.seq !== this.seq || answer.requestId !== this.latestRaster) return false;
    if ('problem' in answer) this.problem = answer.problem;
    else this.rasterAnswer = answer;
    this.changed();
    return true;
  }

  receiveRow(answer: RowAnswer | DataRefusal): boolean {
    if (answer.seq !== this.seq) return false;
    if ('problem' in answer) {
      this.problem = answer.problem;
    } else {
      if (this.rows.size >= MAX_ROWS) this.rows.delete(this.rows.keys().next().value as string);
      this.rows.set(`${answer.layer}/${answer.head}/${answer.query}`, answer);
    }
    this.changed();
    return true;
  }
}

/** A row answer's weights as a 1 × m matrix (row 0), for the helpers that take a matrix and a row index. */
export function rowMatrix(row: Float32Array): Matrix {
  return { rows: 1, cols: row.length, data: row };
}

/** What the panel says while a withheld matrix's CSV or JSON is written where the result is held. */
export function withheldExportNote(m: WithheldMatrix): string {
  const { rows, cols } = m.withheld;
  return `The ${rows} × ${cols} matrix is written to the file you choose by the process that holds it, not by this panel.`;
}
