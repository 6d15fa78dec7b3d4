import * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { SourceInfo, SourceRef } from '../protocol';
import { baseName } from './selectionSource';
import { sourceKey, type AttentionSource } from './source';
import { tokenStringRanges } from './tokenStringRanges';
import { tokenAt } from './tokenAt';

/** A tensor file. Every edit recomputes, saved or not; the file itself is only read. */
export class FileSource implements AttentionSource {
  readonly key: string;
  private lastText: string;
  private ranges: { queries: [number, number][]; keys: [number, number][] } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cursorMoved = new vscode.EventEmitter<number | null>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.cursorMoved];
  readonly onDidChange = this.changed.event;
  readonly onDidMoveCursor = this.cursorMoved.event;

  constructor(readonly uri: vscode.Uri, initialText: string) {
    this.key = sourceKey('file', uri);
    this.lastText = initialText;
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== uri.toString() || e.contentChanges.length === 0) return;
        this.lastText = e.document.getText();
        this.changed.fire();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() !== uri.toString() || !this.ranges) return;
        const offset = e.textEditor.document.offsetAt(e.selections[0].active);
        this.cursorMoved.fire(tokenAt(this.ranges.queries, offset));
      }),
    );
  }

  static async open(uri: vscode.Uri): Promise<FileSource> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return new FileSource(uri, text);
  }

  title(): string {
    return baseName(this.uri);
  }

  info(): SourceInfo {
    return { kind: 'file', ref: this.ref(), label: this.title() };
  }

  ref(): SourceRef {
    return { kind: 'file', uri: this.uri.toString() };
  }

  request(): ComputeRequest {
    return { kind: 'file', text: this.lastText };
  }

  setTokenRanges(): void {
    this.ranges = tokenStringRanges(this.lastText);
  }

  tokenRanges() {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (!doc || !this.ranges) return undefined;
    const toRange = ([s, e]: [number, number]) => new vscode.Range(doc.positionAt(s), doc.positionAt(e));
    return { queries: this.ranges.queries.map(toRange), keys: this.ranges.keys.map(toRange) };
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
