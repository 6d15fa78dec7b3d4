import * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { SourceInfo, SourceRef } from '../shared/protocol';
import { ownBytes } from './binaryFiles';
import { baseName } from './selectionSource';
import { sourceKey, type AttentionSource } from './source';
import { MAX_BINARY_FILE_BYTES, folderOf, readAllowed } from './workspaceFiles';

/**
 * A .npy / .npz / .safetensors file opened directly. Its bytes are read on every computation (they are
 * transferred to the worker); a change on disk recomputes. Tokens come from safetensors metadata, else
 * positions are shown with a warning.
 */
export class BinarySource implements AttentionSource {
  readonly key: string;
  readonly usesSettings = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cursorMoved = new vscode.EventEmitter<number | null>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.cursorMoved];
  readonly onDidChange = this.changed.event;
  readonly onDidMoveCursor = this.cursorMoved.event;

  /** @param chosen the user opened this file themselves (see FileSource). */
  constructor(readonly uri: vscode.Uri, private readonly chosen: boolean) {
    this.key = sourceKey('file', uri);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), baseName(uri)));
    const fire = () => this.changed.fire();
    this.disposables.push(watcher, watcher.onDidChange(fire), watcher.onDidCreate(fire), watcher.onDidDelete(fire));
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
    const read = await readAllowed(this.uri, { what: this.title(), maxBytes: MAX_BINARY_FILE_BYTES, alsoFrom: this.chosen ? folderOf(this.uri) : undefined });
    return read.ok ? { kind: 'binary', bytes: ownBytes(read.value), fileName: baseName(this.uri) } : { kind: 'error', message: read.message };
  }

  /** A binary file has no text to point into. */
  setTokenRanges(): void {}

  tokenRanges() {
    return undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
