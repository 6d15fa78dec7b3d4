/** Collecting problems with exact locations, and wording for JSON syntax errors. */
import type { Problem, SourceLocation } from '../types';
import { type JsonValue, type JsonPath, type SyntaxErrorInfo, LineIndex } from './json';
import { MAX_PROBLEMS } from './limits';

export class Reporter {
  private readonly list: Problem[] = [];
  private droppedErrors = 0;
  private droppedWarnings = 0;
  errorCount = 0;
  readonly lines: LineIndex;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  location(offset: number, length: number, path: readonly (string | number)[]): SourceLocation {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const l = Math.max(0, Math.min(length, this.text.length - o));
    const { line, column } = this.lines.position(o);
    return { offset: o, length: l, line, column, path: [...path] };
  }

  /** 1-based "line 3, column 5", as editors display it. */
  humanPosition(offset: number): string {
    const { line, column } = this.lines.position(Math.max(0, Math.min(offset, this.text.length)));
    return `line ${line + 1}, column ${column + 1}`;
  }

  private add(severity: Problem['severity'], message: string, offset?: number, length?: number, path?: JsonPath): void {
    if (severity === 'error') this.errorCount++;
    if (this.list.length >= MAX_PROBLEMS) {
      if (severity === 'error') this.droppedErrors++;
      else this.droppedWarnings++;
      return;
    }
    const problem: Problem =
      offset === undefined
        ? { severity, message }
        : { severity, message, location: this.location(offset, length ?? 0, path ?? []) };
    this.list.push(problem);
  }

  error(message: string, offset?: number, length?: number, path?: JsonPath): void {
    this.add('error', message, offset, length, path);
  }

  warn(message: string, offset?: number, length?: number, path?: JsonPath): void {
    this.add('warning', message, offset, length, path);
  }

  errorAt(node: JsonValue | { offset: number; length: number }, path: JsonPath, message: string): void {
    this.error(message, node.offset, node.length, path);
  }

  warnAt(node: JsonValue | { offset: number; length: number }, path: JsonPath, message: string): void {
    this.warn(message, node.offset, node.length, path);
  }

  /** Whether further problems would only be counted, so their messages need not be built. */
  get full(): boolean {
    return this.list.length >= MAX_PROBLEMS;
  }

  /** Counts `count` errors that are not listed (the reporter is full). */
  countErrors(count: number): void {
    this.errorCount += count;
    this.droppedErrors += count;
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** The problems, with a closing line when some were left out. */
  problems(): Problem[] {
    const out = [...this.list];
    const dropped = this.droppedErrors + this.droppedWarnings;
    if (dropped > 0) {
      out.push({
        severity: this.droppedErrors > 0 ? 'error' : 'warning',
        message: `…and ${dropped} more problem${dropped === 1 ? '' : 's'} not listed (${this.droppedErrors} error${this.droppedErrors === 1 ? '' : 's'}, ${this.droppedWarnings} warning${this.droppedWarnings === 1 ? '' : 's'}).`,
      });
    }
    return out;
  }

  warnings(): Problem[] {
    return this.problems().filter((p) => p.severity === 'warning');
  }
}

/** Adds the syntax error, worded for people, with a 1-based "(line l, column c)" as editors show it. */
export function reportSyntaxError(rep: Reporter, e: SyntaxErrorInfo): void {
  rep.error(`${e.message} (${rep.humanPosition(e.offset)}).`, e.offset, e.length, []);
}
