// Host safety in the real VS Code, as a person meets it: panel settings stay in the panel until "Save as
// default" is confirmed in a modal dialog, and a panel restored from a forged state reads nothing outside
// the workspace and says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parse } from 'jsonc-parser';
import { assertEventually, openFile, openWorkbench, runCommand, runContextMenuItem, shot, webview, type Session } from './workbench';

const SENTENCE = "The animal didn't cross the street because it was too tired.";
const USER_SETTINGS = process.env.SAV_USER_SETTINGS ?? '';

function userSettings(): Record<string, unknown> {
  return (parse(fs.readFileSync(USER_SETTINGS, 'utf8')) ?? {}) as Record<string, unknown>;
}

describe('Host safety, in the real VS Code', function () {
  let session: Session;
  let original = '';

  before(async () => {
    original = fs.readFileSync(USER_SETTINGS, 'utf8');
    session = await openWorkbench();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await session?.close();
    fs.writeFileSync(USER_SETTINGS, original);
  });

  it('a control changes only the panel; "Save as default" writes the user settings after a modal confirmation', async () => {
    const { page } = session;
    const editor = await openFile(page, 'story.txt');
    await runContextMenuItem(page, editor, SENTENCE);
    const view = webview(page);
    const meta = view.locator('attn-app header .meta');
    await meta.filter({ hasText: '4 heads' }).waitFor({ timeout: 60_000 });

    await view.locator('details.computation > summary').first().click();
    const heads = view.locator('vscode-textfield#f-heads input');
    await heads.waitFor();
    await heads.fill('2');
    await heads.press('Enter');
    await meta.filter({ hasText: '2 heads' }).waitFor({ timeout: 30_000 });
    assert.equal(userSettings()['selfAttention.heads'], undefined, 'the user settings file is untouched');
    await view.getByText('Changes apply to this panel only.').waitFor();

    await view.locator('vscode-button#save-default').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /heads 2/);
    await shot(page, 'save-as-default-confirmation');
    await dialog.getByRole('button', { name: 'Save as Default' }).click();
    await assertEventually(async () => userSettings()['selfAttention.heads'] === 2, 'selfAttention.heads is 2 in the user settings', 30_000);
    await view.getByText('This panel uses your settings.').waitFor({ timeout: 30_000 });
    assert.match((await meta.textContent()) ?? '', /2 heads/);
  });

  it('a panel restored from a forged state naming /etc/passwd reads nothing and says so', async () => {
    const { page } = session;
    const view = webview(page);
    // Play a compromised webview: it saves a state that names a file outside the workspace.
    await view.locator('attn-app').evaluate((el) => {
      const app = el as HTMLElement & { snapshot: { source: object } | null; setUi(patch: object): void };
      if (!app.snapshot) throw new Error('no snapshot to forge');
      app.snapshot = { ...app.snapshot, source: { ...app.snapshot.source, ref: { kind: 'selection', uri: 'file:///etc/passwd', start: 0, end: 400 } } };
      app.setUi({ threshold: 0.07 });
    });
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const banner = webview(page).locator('.banner.error[role="alert"]'); // not the busy ring, also an alert
    await banner.waitFor({ timeout: 90_000 });
    const text = (await banner.textContent()) ?? '';
    assert.match(text, /This panel was not restored\. passwd was not read: its real path is \/etc\/passwd, outside the workspace folder/);
    const app = (await webview(page).locator('attn-app').textContent()) ?? '';
    assert.doesNotMatch(app, /root|nologin|daemon/, 'nothing from /etc/passwd is shown');
    assert.equal(await webview(page).locator('attn-token-view').count(), 0);
    assert.equal(await page.locator('.tab', { hasText: 'passwd' }).count(), 0, 'no editor opened /etc/passwd');
    await shot(page, 'restore-forged-state-refused');
  });
});
