#!/usr/bin/env bash
# The pre-commit hook as its users run it: the real pre-commit (from PyPI) installs sasguard
# from this repository's committed HEAD (.pre-commit-hooks.yaml: built by cargo), then, in a
# fresh repository, refuses a commit that holds a live SAS token (showing the finding, the
# signature redacted) and lets a clean one through. The signature is synthetic (random
# bytes). pre-commit's cache stays in test-artifacts/pre-commit-home (git-ignored), so a
# second run does not build again. Prints "pre-commit: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/install.sh
source scripts/install.sh
pip_install pre-commit || exit 1
export PRE_COMMIT_HOME=$root/test-artifacts/pre-commit-home
rev=$(git rev-parse HEAD) || exit 1
repo=$(mktemp -d) || exit 1
trap 'rm -rf "$repo"' EXIT

passed=0 failed=0
check() { # NAME CONDITION-STATUS
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
g() { git -C "$repo" -c user.name=t -c user.email=t@example.com "$@"; }

g init -q
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: sasguard\n' "$root" "$rev" >"$repo/.pre-commit-config.yaml"
g add .pre-commit-config.yaml && g commit -q -m config
(cd "$repo" && quiet pre-commit install && quiet timeout 900 pre-commit install-hooks) || exit 1

sig=$(python3 -c 'import base64,os;print(base64.b64encode(os.urandom(32)).decode().replace("+","%2B").replace("/","%2F").replace("=","%3D"))')
printf 'URL = "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2051-01-01&sig=%s"\n' "$sig" >"$repo/app.py"
g add app.py
out=$(cd "$repo" && git -c user.name=t -c user.email=t@example.com commit -m token 2>&1)
rc=$?
[ "$rc" -ne 0 ]; check "a commit holding a live token is refused" $?
[ "$(g rev-list --count HEAD)" = 1 ]; check "nothing was committed" $?
grep -q 'app.py:1:8: error\[SAS002 account-sas\]' <<<"$out"; check "the finding is shown" $?
! grep -qF "$sig" <<<"$out"; check "the signature is not shown" $?

echo 'URL = "https://acct.blob.core.windows.net/c"' >"$repo/app.py"
g add app.py
(cd "$repo" && git -c user.name=t -c user.email=t@example.com commit -q -m clean >/dev/null 2>&1)
check "a clean commit passes" $?
[ "$(g rev-list --count HEAD)" = 2 ]; check "the clean commit is in the history" $?

echo "pre-commit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
