import * as vscode from 'vscode';
import { TINT_LEVELS, tintLevels, UNDERLINE_PX } from './tintLevels';

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
  // Light backgrounds keep the text readable; the underline, wider for higher levels, carries the level. It is
  // drawn in the text's own colour (CSS currentColor), which every theme keeps readable on whatever is behind the
  // text: the editor background, and a still-active selection (the high-contrast themes recolour selected text).
  private readonly tints = Array.from({ length: TINT_LEVELS }, (_, i) =>
    vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor(`selfAttention.attentionTint${i + 1}`),
      textDecoration: `underline solid ${UNDERLINE_PX[i]}px`,
    }),
  );

  /**
   * weights[j] is how much the focused token attends to key j. Levels are relative to the row's maximum
   * (the panel's legend states it), so a row of thousands of small weights still shows where it attends.
   */
  show(uri: vscode.Uri, focused: vscode.Range, keys: readonly vscode.Range[], weights: ArrayLike<number>): void {
    const buckets: vscode.Range[][] = this.tints.map(() => []);
    tintLevels(weights).forEach((level, j) => {
      if (level > 0 && keys[j]) buckets[level - 1].push(keys[j]);
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
