#!/usr/bin/env bash
# Builds the VS Code extension with the release server inside:
#   scripts/package-vscode.sh [TARGET]      (default linux-x64)
# TARGET is a vsce target (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64, …).
# The server is built for this machine; for another target, build it for that target first
# and set SASGUARD_SERVER to its path (e.g. target/aarch64-unknown-linux-gnu/dist/sasguard).
# The .vsix goes to editors/vscode/sasguard-TARGET.vsix, or to SASGUARD_VSIX. The tests build
# in a copy of the extension (SASGUARD_VSCODE_DIR, default editors/vscode) under test-artifacts/.
# Relative paths are taken from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-linux-x64}
server=${SASGUARD_SERVER:-}
dir=${SASGUARD_VSCODE_DIR:-editors/vscode}
out=${SASGUARD_VSIX:-$dir/sasguard-$target.vsix}
shown=$out
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
if [ -z "$server" ]; then
  cargo build --profile dist --locked
  server=${CARGO_TARGET_DIR:-target}/dist/sasguard
fi
exe=sasguard
case "$target" in win32-*) exe=sasguard.exe ;; esac
rm -rf "$dir/server"
mkdir -p "$dir/server"
cp "$server" "$dir/server/$exe"
cd "$dir"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
npx vsce package --target "$target" --out "$out"
echo "built $shown"
