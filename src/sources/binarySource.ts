import * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { SourceInfo, SourceRef } from '../shared/protocol';
import { ownBytes, readFailure } from './binaryFiles';
import { baseName } from './selectionSource';
import { sourceKey, type AttentionSource } from './source';

/**
 * A .npy / .npz / .safetensors file opened directly. Its bytes are read on every computation (they are
 * transferred to the worker); a change on disk recomputes. Tokens come from safetensors metadata, else
 * positions are shown with a warning.
 */
export class BinarySource implements AttentionSource {
  readonly key: string;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cursorMoved = new vscode.EventEmitter<number | null>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.cursorMoved];
  readonly onDidChange = this.changed.event;
  readonly onDidMoveCursor = this.cursorMoved.event;

  constructor(readonly uri: vscode.Uri) {
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
    try {
      const bytes = ownBytes(await vscode.workspace.fs.readFile(this.uri));
      return { kind: 'binary', bytes, fileName: baseName(this.uri) };
    } catch (error) {
      return { kind: 'error', message: readFailure(this.title(), error) };
    }
  }

  setTokenRanges(): void {}

  tokenRanges() {
    return undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
