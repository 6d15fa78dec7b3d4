import * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { SourceInfo, SourceRef } from '../shared/protocol';
import { sourceKey, type AttentionSource, type RunSettings, type TokenRanges } from './source';
import { tokenAt } from './tokenAt';

/**
 * A range of text in a document. With "follow" on, it moves with the editor's selection and
 * recomputes when the selected text is edited.
 */
export class SelectionSource implements AttentionSource {
  readonly key: string;
  readonly usesSettings = true;
  follow = true;
  private start: number;
  private end: number;
  private text: string;
  private fileName: string;
  private ranges: readonly (readonly [number, number])[] | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cursorMoved = new vscode.EventEmitter<number | null>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.cursorMoved];
  readonly onDidChange = this.changed.event;
  readonly onDidMoveCursor = this.cursorMoved.event;

  constructor(readonly uri: vscode.Uri, document: vscode.TextDocument, range: vscode.Range) {
    this.key = sourceKey('selection', uri);
    this.start = document.offsetAt(range.start);
    this.end = document.offsetAt(range.end);
    this.text = document.getText(range);
    this.fileName = baseName(uri);
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
    );
  }

  /** Visualizing again from the same document moves the source to the new range. */
  retarget(document: vscode.TextDocument, range: vscode.Range): void {
    this.start = document.offsetAt(range.start);
    this.end = document.offsetAt(range.end);
    this.text = document.getText(range);
    this.changed.fire();
  }

  title(): string {
    const doc = this.document();
    if (!doc) return this.fileName;
    const first = doc.positionAt(this.start).line + 1;
    const last = doc.positionAt(this.end).line + 1;
    return first === last ? `${this.fileName}:${first}` : `${this.fileName}:${first}–${last}`;
  }

  info(): SourceInfo {
    return { kind: 'selection', ref: this.ref(), label: `Selection in ${this.title()}`, tokenRanges: this.ranges };
  }

  ref(): SourceRef {
    return { kind: 'selection', uri: this.uri.toString(), start: this.start, end: this.end };
  }

  request(settings: RunSettings): ComputeRequest {
    return { kind: 'selection', text: this.text, settings: settings.compute, maxTokens: settings.maxTokens };
  }

  /** A selection's keys are its queries. */
  setTokenRanges(ranges: TokenRanges | undefined): void {
    this.ranges = ranges?.queries;
  }

  tokenRanges() {
    const doc = this.document();
    if (!doc || !this.ranges) return undefined;
    const ranges = this.ranges.map(([s, e]) => new vscode.Range(doc.positionAt(this.start + s), doc.positionAt(this.start + e)));
    return { queries: ranges, keys: ranges };
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private document(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (e.textEditor.document.uri.toString() !== this.uri.toString()) return;
    const selection = e.selections[0];
    if (selection.isEmpty) {
      if (!this.ranges) return;
      const offset = e.textEditor.document.offsetAt(selection.active) - this.start;
      this.cursorMoved.fire(tokenAt(this.ranges, offset));
      return;
    }
    if (!this.follow) return;
    const start = e.textEditor.document.offsetAt(selection.start);
    const end = e.textEditor.document.offsetAt(selection.end);
    if (start === this.start && end === this.end) return;
    this.retarget(e.textEditor.document, selection);
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.document.uri.toString() !== this.uri.toString() || e.contentChanges.length === 0) return;
    let touched = false;
    for (const change of e.contentChanges) {
      const from = change.rangeOffset;
      const to = change.rangeOffset + change.rangeLength;
      const delta = change.text.length - change.rangeLength;
      if (to <= this.start) {
        this.start += delta;
        this.end += delta;
      } else if (from <= this.end) {
        this.end = Math.max(this.start, this.end + delta);
        touched = true;
      }
    }
    if (!touched) return;
    this.text = e.document.getText(new vscode.Range(e.document.positionAt(this.start), e.document.positionAt(this.end)));
    if (this.follow) this.changed.fire();
  }
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
