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
# The bundled server's minimum glibc: the highest GLIBC_x.y symbol version it needs. The READMEs
# state the figure of a build on Debian 12 x86_64; a build elsewhere may need more.
case "$target" in
  linux-*)
    documented=$(grep -o 'glibc [0-9.]* or newer' "$dir/README.md" | head -1 | grep -o '[0-9][0-9.]*' || true)
    if ! command -v objdump >/dev/null 2>&1; then
      echo "notice: objdump (binutils) not found: the server's minimum glibc is not checked"
    elif ! symbols=$(objdump -T "$server" 2>&1); then
      echo "notice: objdump cannot read $server: its minimum glibc is not checked"
    else
      glibc=$(grep -o 'GLIBC_[0-9.]*' <<<"$symbols" | sort -V | tail -1 || true)
      if [ -z "$glibc" ]; then
        echo "server needs no glibc symbol version (static or not glibc): $server"
      else
        echo "server needs glibc ${glibc#GLIBC_} or newer (README says ${documented:-nothing}): $server"
        if [ -n "$documented" ] &&
          [ "$(printf '%s\n' "$documented" "${glibc#GLIBC_}" | sort -V | tail -1)" != "$documented" ]; then
          echo "warning: this server needs a newer glibc than the README states ($documented)"
        fi
      fi
    fi
    ;;
esac
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
