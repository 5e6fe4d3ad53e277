# shellcheck shell=bash
# Install helpers shared by the test scripts (sourced, not run). Each install prints nothing
# when it succeeds; when it fails, it prints the command and its whole output and returns
# its exit status, so the caller stops loudly.

# quiet CMD...: runs an install (or build) step.
quiet() {
  local out rc=0
  out=$(mktemp) || return 1
  "$@" >"$out" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "!! failed (exit $rc): $*"
    cat "$out"
  fi
  rm -f "$out"
  return "$rc"
}

# apt_install PACKAGE...: installs the packages that are missing, without recommends.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  quiet apt-get update || return
  quiet env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# pip_install PACKAGE...: Debian's own Python refuses pip installs unless told otherwise.
pip_install() {
  quiet env PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --disable-pip-version-check \
    --root-user-action=ignore "$@"
}
