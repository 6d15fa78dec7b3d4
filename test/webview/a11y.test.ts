import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { applyTheme, type ThemeName } from '../../webview/theme';
import type { ViewName } from '../../src/shared/protocol';
import { cleanup, mountApp, selectionSnapshot, settle } from './app-fixtures';

afterEach(() => {
  cleanup();
  document.documentElement.removeAttribute('style');
});

async function seriousViolations(): Promise<string[]> {
  const res = await axe.run(document, { resultTypes: ['violations'] });
  const serious = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) for (const n of v.nodes.slice(0, 4)) console.warn(v.id, n.target.join(' '), n.failureSummary);
  return serious
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** WCAG contrast ratio of two opaque CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('accessibility (axe-core)', () => {
  const themes: ThemeName[] = ['light', 'dark', 'high-contrast'];
  const views: ViewName[] = ['tokens', 'matrix', 'pipeline', 'grid'];
  for (const theme of themes) {
    for (const view of views) {
      it(`${view} view in the ${theme} theme has no serious or critical violations`, async () => {
        document.documentElement.lang = 'en';
        applyTheme(theme);
        const app = await mountApp(selectionSnapshot(undefined, { heads: 3 }));
        app.setUi({ view, lockedToken: 2 });
        await settle(app);
        expect(await seriousViolations()).toEqual([]);
      });
    }
  }

  it('error banner and busy state have no serious violations', async () => {
    document.documentElement.lang = 'en';
    applyTheme('dark');
    const app = await mountApp(selectionSnapshot());
    app.error = { message: 'Broken file.', problems: [{ severity: 'error', message: 'Unexpected token' }] };
    app.busy = true;
    await settle(app);
    expect(await seriousViolations()).toEqual([]);
  });

  // Every impact, not only serious: landmarks (region, landmark-one-main) and heading order are moderate.
  for (const theme of ['dark', 'light', 'high-contrast', 'high-contrast-light'] as ThemeName[]) {
    it(`every view in the ${theme} theme has no axe violations at all, including region, landmark-one-main and heading-order`, async () => {
      document.documentElement.lang = 'en';
      applyTheme(theme);
      const app = await mountApp(selectionSnapshot(undefined, { heads: 3 }));
      for (const view of views) {
        app.setUi({ view, lockedToken: 2 });
        await settle(app);
        const res = await axe.run(document, { resultTypes: ['violations'] });
        const found = res.violations.map((v) => `${view}: ${v.id} (${v.impact}) — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`).join(' | ')}`);
        expect(found).toEqual([]);
      }
      // The focused Export button keeps a readable label.
      const exportButton = app.shadowRoot!.querySelector('attn-export')!.shadowRoot!.querySelector('vscode-button') as HTMLElement;
      exportButton.focus();
      expect(exportButton.matches(':focus')).toBe(true);
      const base = exportButton.shadowRoot!.querySelector('.base') as HTMLElement;
      const style = getComputedStyle(base);
      expect(contrast(style.color, style.backgroundColor), `${style.color} on ${style.backgroundColor}`).toBeGreaterThanOrEqual(4.5);
    }, 120_000); // four full-document axe runs; the machine is shared
  }
});
