import * as vscode from 'vscode';

/** Weight buckets for the tints; each has its own theme colour (contributed in package.json). */
const TINT_LEVELS = 5;

/**
 * Shows, in the source editor, the token focused in the panel and tints the tokens it attends to
 * by weight. Colours are theme colours, so themes can restyle them.
 */
export class TokenDecorations implements vscode.Disposable {
  private readonly focus = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('selfAttention.focusedTokenBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('selfAttention.focusedTokenBorder'),
  });
  private readonly tints = Array.from({ length: TINT_LEVELS }, (_, i) =>
    vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor(`selfAttention.attentionTint${i + 1}`) }),
  );

  /** weights[j] is how much the focused token attends to key j. */
  show(uri: vscode.Uri, focused: vscode.Range, keys: readonly vscode.Range[], weights: ArrayLike<number>): void {
    const max = Math.max(1e-9, ...Array.from(weights));
    const buckets: vscode.Range[][] = this.tints.map(() => []);
    keys.forEach((range, j) => {
      const level = Math.ceil((weights[j] / max) * TINT_LEVELS) - 1;
      if (level >= 0 && weights[j] >= 0.01) buckets[Math.min(level, TINT_LEVELS - 1)].push(range);
    });
    for (const editor of this.editorsFor(uri)) {
      editor.setDecorations(this.focus, [focused]);
      this.tints.forEach((type, i) => editor.setDecorations(type, buckets[i]));
    }
  }

  clear(uri: vscode.Uri): void {
    for (const editor of this.editorsFor(uri)) {
      editor.setDecorations(this.focus, []);
      this.tints.forEach((type) => editor.setDecorations(type, []));
    }
  }

  dispose(): void {
    this.focus.dispose();
    this.tints.forEach((t) => t.dispose());
  }

  private editorsFor(uri: vscode.Uri): readonly vscode.TextEditor[] {
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri.toString());
  }
}
