import * as vscode from 'vscode';
import { CancelledError, ComputeClient } from '../compute/computeClient';
import type { Problem } from '../core';

const DEBOUNCE_MS = 150;
const SNIFF_CHARS = 64 * 1024;

/** Whether a document is a tensor file: named *.attention.json, or JSON whose top level looks like one. */
export function isTensorDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.path.endsWith('.attention.json')) return true;
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  // Only the head is read: a whole 50 MB one-line document would be copied on the host's thread.
  return looksLikeTensorText(doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(SNIFF_CHARS))));
}

export function looksLikeTensorText(head: string): boolean {
  return /"tokens"\s*:/.test(head) && /"(attention|embeddings|heads|layers|query)"\s*:/.test(head);
}

/** One document's checks: at most one runs in its worker; edits meanwhile ask for one more with the latest text. */
interface Checks {
  readonly worker: ComputeClient;
  running: boolean;
  again: boolean;
}

/**
 * Puts the tensor-file problems the schema cannot see (shapes, numbers, row sums) in the Problems panel. Each document
 * is parsed in its own worker thread (a thread: a check keeps nothing), never on the extension host's. A check that finishes after a newer edit is
 * dropped, and one more runs with the latest text; the worker is kept (restarting it for every edit would cost more).
 */
export class TensorDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('self-attention');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly checks = new Map<string, Checks>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isTensorDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.check(doc, key);
    }, delay));
  }

  private async check(doc: vscode.TextDocument, key: string): Promise<void> {
    let checks = this.checks.get(key);
    if (!checks) {
      checks = { worker: new ComputeClient(undefined, 'thread'), running: false, again: false };
      this.checks.set(key, checks);
    }
    if (checks.running) {
      checks.again = true;
      return;
    }
    checks.running = true;
    try {
      while (!doc.isClosed && this.checks.get(key) === checks) {
        checks.again = false;
        const version = doc.version;
        const { problems } = await checks.worker.check(doc.getText());
        // After an edit these offsets may no longer fit the text: the loop checks the latest text instead.
        if (doc.isClosed || doc.version !== version) continue;
        this.collection.set(doc.uri, problems.map((p) => toDiagnostic(doc, p)));
        if (!checks.again) break;
      }
    } catch (error) {
      if (!(error instanceof CancelledError)) this.log.warn(`Checking ${key} failed: ${String(error)}`);
    } finally {
      checks.running = false;
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.checks.get(key)?.worker.dispose();
    this.checks.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.checks.forEach((c) => c.worker.dispose());
    this.checks.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}

function toDiagnostic(doc: vscode.TextDocument, problem: Problem): vscode.Diagnostic {
  const loc = problem.location;
  const range = loc
    ? new vscode.Range(doc.positionAt(loc.offset), doc.positionAt(loc.offset + Math.max(1, loc.length)))
    : new vscode.Range(0, 0, 0, 1);
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
  diagnostic.source = 'self-attention';
  return diagnostic;
}
