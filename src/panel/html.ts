import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy } from './csp';

/** The folders the webview may load from: the bundle and static media, nothing else. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function buildHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Self-Attention</title>
<style nonce="${nonce}">html, body { margin: 0; padding: 0; height: 100%; } body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }</style>
</head>
<body>
<attn-app></attn-app>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
