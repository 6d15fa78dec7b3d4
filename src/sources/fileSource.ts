import * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import { parseTensorFile } from '../core';
import { ownBytes, readFailure, resolveReferencePath } from './binaryFiles';
import type { SourceInfo, SourceRef } from '../shared/protocol';
import { baseName } from './selectionSource';
import { sourceKey, type AttentionSource } from './source';
import { tokenStringRanges } from './tokenStringRanges';
import { tokenAt } from './tokenAt';

/** Sidecar files are small (tokens and a path); bigger JSON is never parsed on the host. */
const MAX_SIDECAR_CHARS = 4 * 1024 * 1024;

/**
 * A tensor file. Every edit recomputes, saved or not; the file itself is only read. A sidecar
 * (`"attention_file": "x.npz"`) also reads that binary file and recomputes when it changes on disk.
 */
export class FileSource implements AttentionSource {
  readonly key: string;
  private lastText: string;
  private ranges: { queries: [number, number][]; keys: [number, number][] } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cursorMoved = new vscode.EventEmitter<number | null>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.cursorMoved];
  readonly onDidChange = this.changed.event;
  readonly onDidMoveCursor = this.cursorMoved.event;
  /** Watches the binary file the sidecar references, while it references one. */
  private binaryWatch: { readonly path: string; readonly watcher: vscode.Disposable } | undefined;

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
      this.watch(uri, () => void this.reloadFromDisk()),
    );
  }

  /** Fires `onChange` when the file at `target` is changed, created or deleted on disk. */
  private watch(target: vscode.Uri, onChange: () => void): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(target, '..'), baseName(target)));
    return vscode.Disposable.from(watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange), watcher.onDidDelete(onChange));
  }

  /** The JSON changed on disk: when no editor holds it, its text comes from the disk. */
  private async reloadFromDisk(): Promise<void> {
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === this.uri.toString())) {
      try {
        this.lastText = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.uri));
      } catch {
        return;
      }
    }
    this.changed.fire();
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

  async request(): Promise<ComputeRequest> {
    const text = this.lastText;
    const reference = text.length <= MAX_SIDECAR_CHARS && text.includes('"attention_file"') ? parseTensorFile(text) : undefined;
    if (!reference?.ok || reference.reference === undefined) {
      this.watchBinary(undefined);
      // Not a sidecar (or a broken one): the worker parses it and reports any problem with its location.
      return { kind: 'file', text };
    }
    const file = reference.reference.file;
    const root = vscode.workspace.getWorkspaceFolder(this.uri)?.uri;
    const resolved = resolveReferencePath(this.uri.path, file, root?.path);
    if (!resolved.ok) {
      this.watchBinary(undefined);
      return { kind: 'error', message: resolved.message };
    }
    const target = this.uri.with({ path: resolved.path });
    this.watchBinary(target);
    try {
      const bytes = ownBytes(await vscode.workspace.fs.readFile(target));
      return { kind: 'binary', bytes, fileName: file, sidecarText: text };
    } catch (error) {
      return { kind: 'error', message: readFailure(`attention_file "${file}" (${target.fsPath || target.path})`, error) };
    }
  }

  private watchBinary(target: vscode.Uri | undefined): void {
    if (this.binaryWatch?.path === target?.path) return;
    this.binaryWatch?.watcher.dispose();
    this.binaryWatch = target ? { path: target.path, watcher: this.watch(target, () => this.changed.fire()) } : undefined;
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
    this.binaryWatch?.watcher.dispose();
    this.binaryWatch = undefined;
    this.disposables.forEach((d) => d.dispose());
  }
}
