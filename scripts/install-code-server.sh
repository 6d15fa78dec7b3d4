#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last release on Node 20) into .cache/code-server.
# @vscode/ripgrep's postinstall would download rg from GitHub; we seed its cache with Debian's rg instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
CS_DIR="$CACHE/code-server"
CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

if [ -x "$CS_DIR/node_modules/.bin/code-server" ]; then exit 0; fi

echo "Installing code-server $CS_VERSION into $CS_DIR (about a minute, once)"
export TMPDIR="$CACHE/tmp"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION" "$TMPDIR/rg-src" "$CS_DIR"
cp /usr/bin/rg "$TMPDIR/rg-src/rg"
tar czf "$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ASSET" -C "$TMPDIR/rg-src" rg

echo '{"name":"code-server-cache","private":true}' > "$CS_DIR/package.json"
# unsafe_perm: its postinstall refuses root without it. yes: node-pty runs `npx node-gyp`.
if ! (cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --no-save --foreground-scripts "code-server@$CS_VERSION" \
    > "$CACHE/code-server-install.log" 2>&1); then
  tail -40 "$CACHE/code-server-install.log"
  rm -rf "$CS_DIR/node_modules"
  exit 1
fi
test -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
echo "code-server installed: $("$CS_DIR/node_modules/.bin/code-server" --version | head -1)"
