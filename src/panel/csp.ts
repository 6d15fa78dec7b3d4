/**
 * The webview's Content-Security-Policy. Pure (no vscode import) so it can be unit-tested.
 * Nothing loads unless listed: scripts only with the per-load nonce, images and fonts only from the
 * extension's own webview resources (plus data: images for exports), never from the network.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}
