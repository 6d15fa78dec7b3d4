#!/usr/bin/env bash
# Installs what the real-VS-Code layers need and npm cannot provide: Debian packages, then
# code-server into the git-ignored .cache/ folder. Idempotent; quick when everything is present.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(chromium ripgrep libkrb5-dev)

if ! dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1; then
  echo "Installing Debian packages: ${PACKAGES[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
fi

bash "$ROOT/scripts/install-code-server.sh"
