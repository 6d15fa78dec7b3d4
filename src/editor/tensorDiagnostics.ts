import * as vscode from 'vscode';
import { parseTensorFile, type Problem } from '../core';

const DEBOUNCE_MS = 150;
const SNIFF_CHARS = 64 * 1024;

/** Whether a document is a tensor file: named *.attention.json, or JSON whose top level looks like one. */
export function isTensorDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.path.endsWith('.attention.json')) return true;
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  return looksLikeTensorText(doc.getText(new vscode.Range(0, 0, doc.lineCount, 0)).slice(0, SNIFF_CHARS));
}

export function looksLikeTensorText(head: string): boolean {
  return /"tokens"\s*:/.test(head) && /"(attention|embeddings|heads|layers|query)"\s*:/.test(head);
}

/** Puts the tensor-file problems the schema cannot see (shapes, numbers, row sums) in the Problems panel. */
export class TensorDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('self-attention');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    );
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isTensorDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.check(doc);
    }, delay));
  }

  private check(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const parsed = parseTensorFile(doc.getText());
    const problems = parsed.ok ? parsed.warnings : parsed.problems;
    this.collection.set(doc.uri, problems.map((p) => toDiagnostic(doc, p)));
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
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
