import * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { SourceInfo, SourceRef } from '../shared/protocol';
import type { AttentionSource } from './source';

let count = 0;

/**
 * Stands in for a source that may not be reopened, such as a restored panel whose saved state names a file
 * outside the workspace: the panel opens empty and says why, and nothing is read.
 */
export class RefusedSource implements AttentionSource {
  readonly key = `refused:${++count}`;
  readonly usesSettings = false;
  readonly uri = vscode.Uri.from({ scheme: 'untitled', path: 'Self-Attention' });
  readonly onDidChange: vscode.Event<void> = () => new vscode.Disposable(() => undefined);
  readonly onDidMoveCursor: vscode.Event<number | null> = () => new vscode.Disposable(() => undefined);

  constructor(private readonly message: string) {}

  title(): string {
    return vscode.l10n.t('not restored');
  }

  info(): SourceInfo {
    return { kind: 'file', ref: this.ref(), label: this.title() };
  }

  ref(): SourceRef {
    return { kind: 'file', uri: this.uri.toString() };
  }

  request(): ComputeRequest {
    return { kind: 'error', message: this.message };
  }

  setTokenRanges(): void {}

  tokenRanges() {
    return undefined;
  }

  dispose(): void {}
}
