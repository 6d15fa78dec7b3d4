import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/panel/csp';

/** What VS Code passes as webview.cspSource (desktop and web). */
const SOURCES = ['https://*.vscode-cdn.net', 'vscode-webview://1a2b3c', "'self' https://*.vscode-cdn.net"];
const NONCE = 'q1w2e3r4t5y6u7i8o9p0ZA==';

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...values] = part.split(/\s+/);
    expect(out.has(name), `directive ${name} given once`).toBe(false);
    out.set(name, values);
  }
  return out;
}

describe('contentSecurityPolicy', () => {
  for (const cspSource of SOURCES) {
    describe(`with cspSource ${cspSource}`, () => {
      const csp = contentSecurityPolicy(cspSource, NONCE);
      const d = directives(csp);
      const own = cspSource.split(/\s+/);

      it("default-src is 'none': nothing loads unless listed", () => {
        expect(d.get('default-src')).toEqual(["'none'"]);
      });
      it('script-src is only the nonce', () => {
        expect(d.get('script-src')).toEqual([`'nonce-${NONCE}'`]);
      });
      it('no unsafe-eval, unsafe-inline, unsafe-hashes, wasm-unsafe-eval or strict-dynamic anywhere', () => {
        expect(csp).not.toMatch(/unsafe-|strict-dynamic/);
      });
      it('img-src is the webview resources plus data: only', () => {
        expect(d.get('img-src')).toEqual([...own, 'data:']);
      });
      it('styles and fonts come from the webview resources (styles also by nonce), nothing else', () => {
        expect(d.get('style-src')).toEqual([...own, `'nonce-${NONCE}'`]);
        expect(d.get('font-src')).toEqual(own);
      });
      it('no remote or wildcard sources beyond cspSource, no connections, frames or objects', () => {
        const values = [...d.values()].flat().filter((v) => !own.includes(v));
        for (const v of values) expect(v).toMatch(/^('none'|'nonce-[A-Za-z0-9+/=]+'|data:)$/);
        expect(values.join(' ')).not.toMatch(/https?:|ws:|wss:|blob:|filesystem:|\*/);
        for (const name of ['connect-src', 'frame-src', 'child-src', 'object-src', 'worker-src', 'media-src', 'form-action']) {
          expect(d.has(name), `${name} falls back to default-src 'none'`).toBe(false);
        }
      });
    });
  }

  it('the nonce is only ever the one given, in script-src and style-src', () => {
    fc.assert(fc.property(fc.base64String({ minLength: 16, maxLength: 32 }), (nonce) => {
      const csp = contentSecurityPolicy('https://*.vscode-cdn.net', nonce);
      expect(csp.match(/'nonce-[^']*'/g)).toEqual([`'nonce-${nonce}'`, `'nonce-${nonce}'`]);
    }));
  });
});
