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
});
