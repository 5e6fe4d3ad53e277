#!/usr/bin/env bash
# A real Neovim in a terminal (tmux) on a file holding a synthetic SAS URL (32 random bytes,
# base64, percent-encoded): saves the screen with the diagnostic's virtual text
# (test-artifacts/neovim-diagnostic.txt) and with the hover open (neovim-hover.txt), and
# checks that they show the headline and no full signature. The harness conceals the
# signature in the buffer's own text, so any signature on screen would come from sasguard.
# Installs tmux (apt-get, no recommends) when missing; when that fails it prints the whole
# output and exits 77. Usage: scripts/neovim-capture.sh [path/to/sasguard]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
server=${1:-${CARGO_TARGET_DIR:-$root/target}/debug/sasguard}
case "$server" in /*) ;; *) server=$root/$server ;; esac
art=$root/test-artifacts

# shellcheck source=scripts/install.sh
. "$root/scripts/install.sh"

if ! command -v tmux >/dev/null; then
  if ! apt_install tmux; then
    echo "!! neovim-capture: tmux is missing and could not be installed: no screen captures"
    exit 77
  fi
fi

work=$(mktemp -d)
sock=sasguard-capture-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/.git" "$art"
sig=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
sig_pct=$(printf %s "$sig" | sed 's/+/%2B/g; s#/#%2F#g; s/=/%3D/g')
url="https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx"
url+="&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig=$sig_pct"
printf 'import os\nMODEL_URL = "%s"\nprint(MODEL_URL)\n' "$url" >"$work/app.py"
cat >"$work/init.lua" <<EOF
vim.opt.runtimepath:append('$root/editors/neovim')
vim.g.sasguard_path = '$server'
vim.lsp.enable('sasguard')
vim.diagnostic.config({ virtual_text = true })
vim.o.conceallevel, vim.o.concealcursor = 2, 'nvic'
vim.api.nvim_create_autocmd('BufWinEnter', { pattern = '*.py', callback = function()
  vim.fn.matchadd('Conceal', [[sig=\zs[^"&]\+]], 10, -1, { conceal = '~' })
end })
EOF

# wait_for TEXT: until the screen shows TEXT (20 s at most).
wait_for() {
  local i
  for i in $(seq 100); do
    tmux -L "$sock" capture-pane -p -t cap | grep -qF -- "$1" && return 0
    sleep 0.2
  done
  echo "!! neovim-capture: the screen never showed '$1'; it showed:"
  tmux -L "$sock" capture-pane -p -t cap
  return 1
}

cd "$work"
tmux -L "$sock" new-session -d -s cap -x 150 -y 30 \
  "nvim --clean --cmd 'luafile $work/init.lua' +2 app.py"
wait_for 'Account SAS' && sleep 1
tmux -L "$sock" capture-pane -p -t cap >"$art/neovim-diagnostic.txt"
tmux -L "$sock" send-keys -t cap 'f"l' K
wait_for 'sasguard: account SAS' && sleep 1
tmux -L "$sock" capture-pane -p -t cap >"$art/neovim-hover.txt"

passed=0 failed=0
check() { # check NAME COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
shows() { grep -qF -- "$2" "$art/neovim-$1.txt"; }
lacks() { ! grep -qF -e "$sig" -e "$sig_pct" "$art/neovim-$1.txt"; }
check 'virtual text leads with the headline' \
  shows diagnostic 'Account SAS, every container of 4 services, 30 years ('
check 'hover shows its heading and the permissions' \
  eval 'shows hover "sasguard: account SAS" && shows hover Permissions'
check 'no full signature in the diagnostic capture' lacks diagnostic
check 'no full signature in the hover capture' lacks hover
echo "neovim-capture: $passed passed, $failed failed (test-artifacts/neovim-*.txt)"
[ "$failed" -eq 0 ]
