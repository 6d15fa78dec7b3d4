import * as vscode from 'vscode';
import { ComputeClient } from '../compute/computeClient';
import type { ComputeRequest } from '../compute/job';
import { ownBytes, resolveReferencePath } from './binaryFiles';
import type { SourceInfo, SourceRef } from '../shared/protocol';
import { baseName } from './selectionSource';
import { sourceKey, type AttentionSource, type TokenRanges } from './source';
import { tokenAt } from './tokenAt';
import { MAX_BINARY_FILE_BYTES, MAX_JSON_FILE_BYTES, folderOf, readAllowed } from './workspaceFiles';

/**
 * A tensor file. Every edit recomputes, saved or not; the file itself is only read. A sidecar
 * (`"attention_file": "x.npz"`) also reads that binary file and recomputes when it changes on disk.
 */
export class FileSource implements AttentionSource {
  readonly key: string;
  private lastText: string;
  readonly usesSettings = false;
  private ranges: TokenRanges | undefined;
  /** Parses the text in a worker thread to find a sidecar's binary file; a newer request cancels an older parse. */
  private readonly sidecarCheck = new ComputeClient(undefined, 'thread');
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cursorMoved = new vscode.EventEmitter<number | null>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.cursorMoved];
  readonly onDidChange = this.changed.event;
  readonly onDidMoveCursor = this.cursorMoved.event;
  /** Watches the binary file the sidecar references, while it references one. */
  private binaryWatch: { readonly path: string; readonly watcher: vscode.Disposable } | undefined;

  /**
   * @param chosen the user opened this file themselves: in a trusted workspace its folder may be read
   *   even outside the workspace folders (a restored panel is not chosen).
   */
  constructor(readonly uri: vscode.Uri, initialText: string, private readonly chosen: boolean) {
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
      const read = await FileSource.read(this.uri, this.chosen);
      if (!read.ok) return;
      this.lastText = read.value;
    }
    this.changed.fire();
  }

  /** The file's text: from its editor when open, else from disk under the file rules. */
  static async open(uri: vscode.Uri, chosen: boolean): Promise<FileSource | { readonly message: string }> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return new FileSource(uri, open.getText(), chosen);
    const read = await FileSource.read(uri, chosen);
    return read.ok ? new FileSource(uri, read.value, chosen) : read;
  }

  private static async read(uri: vscode.Uri, chosen: boolean) {
    const read = await readAllowed(uri, { what: baseName(uri), maxBytes: MAX_JSON_FILE_BYTES, alsoFrom: chosen ? folderOf(uri) : undefined });
    return read.ok ? { ok: true as const, value: new TextDecoder().decode(read.value) } : read;
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
    const reference = text.includes('"attention_file"') ? (await this.sidecarCheck.check(text)).reference : undefined;
    if (reference === undefined) {
      this.watchBinary(undefined);
      // Not a sidecar (or a broken one): the worker parses it and reports any problem with its location.
      return { kind: 'file', text };
    }
    const file = reference.file;
    const root = vscode.workspace.getWorkspaceFolder(this.uri)?.uri;
    const resolved = resolveReferencePath(this.uri.path, file, root?.path);
    if (!resolved.ok) {
      this.watchBinary(undefined);
      return { kind: 'error', message: resolved.message };
    }
    const target = this.uri.with({ path: resolved.path });
    this.watchBinary(target);
    // Beside the JSON file that names it, or anywhere in the workspace; after symlinks are resolved.
    const read = await readAllowed(target, { what: `attention_file "${file}"`, maxBytes: MAX_BINARY_FILE_BYTES, alsoFrom: folderOf(this.uri) });
    return read.ok ? { kind: 'binary', bytes: ownBytes(read.value), fileName: file, sidecarText: text } : { kind: 'error', message: read.message };
  }

  private watchBinary(target: vscode.Uri | undefined): void {
    if (this.binaryWatch?.path === target?.path) return;
    this.binaryWatch?.watcher.dispose();
    this.binaryWatch = target ? { path: target.path, watcher: this.watch(target, () => this.changed.fire()) } : undefined;
  }

  /** Where the token strings are in the file's text, found by the worker along with the result. */
  setTokenRanges(ranges: TokenRanges | undefined): void {
    this.ranges = ranges;
  }

  tokenRanges() {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (!doc || !this.ranges) return undefined;
    const toRange = ([s, e]: readonly [number, number]) => new vscode.Range(doc.positionAt(s), doc.positionAt(e));
    return { queries: this.ranges.queries.map(toRange), keys: this.ranges.keys.map(toRange) };
  }

  dispose(): void {
    this.sidecarCheck.dispose();
    this.binaryWatch?.watcher.dispose();
    this.binaryWatch = undefined;
    this.disposables.forEach((d) => d.dispose());
  }
}
