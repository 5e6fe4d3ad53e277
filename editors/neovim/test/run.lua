-- Drives a real, headless Neovim against the built server:
--   SASGUARD_BIN=target/debug/sasguard nvim --headless --clean -l editors/neovim/test/run.lua
-- Prints one line per check and a closing "neovim: N passed, N failed"; exits non-zero on
-- failure. The signature in the fixture is synthetic (random bytes).
local bin = assert(os.getenv('SASGUARD_BIN'), 'set SASGUARD_BIN to the sasguard binary')
local here = debug.getinfo(1, 'S').source:sub(2)
local plugin = vim.fs.dirname(vim.fs.dirname(vim.fn.fnamemodify(here, ':p')))
vim.opt.runtimepath:append(plugin)
vim.cmd('filetype on')
vim.cmd('runtime plugin/sasguard.lua')
vim.g.sasguard_path = bin

local passed, failed = 0, 0
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    print('ok   ' .. name)
  else
    failed = failed + 1
    print('FAIL ' .. name .. (detail and (': ' .. tostring(detail)) or ''))
  end
end

-- A synthetic signature: 32 random bytes, base64, percent-encoded.
math.randomseed(20260115)
local bytes = {}
for i = 1, 32 do
  bytes[i] = string.char(math.random(0, 255))
end
local sig = vim.base64.encode(table.concat(bytes)):gsub('%+', '%%2B'):gsub('/', '%%2F'):gsub('=', '%%3D')
local url = 'https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx'
  .. '&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig=' .. sig
local dir = vim.fn.tempname()
vim.fn.mkdir(dir .. '/.git', 'p')
local prefix = 'label = "😀 models"; MODEL_URL = "'
vim.fn.writefile({ 'import os', prefix .. url .. '"' }, dir .. '/app.py')

local function wait_diags(buf, n)
  return vim.wait(10000, function()
    return #vim.diagnostic.get(buf) == n
  end, 20)
end

-- 0.11 config: vim.lsp.enable with the bundled lsp/sasguard.lua.
vim.lsp.enable('sasguard')
vim.cmd('edit ' .. dir .. '/app.py')
local buf = vim.api.nvim_get_current_buf()
check('diagnostics appear', wait_diags(buf, 1), #vim.diagnostic.get(buf))
local d = vim.diagnostic.get(buf)[1] or {}
check('position: line 2, after the emoji (byte column)', d.lnum == 1 and d.col == #prefix, vim.inspect({ d.lnum, d.col }))
check('end column', d.end_col == #prefix + #url, d.end_col)
check('code is the headline rule', d.code == 'SAS002', d.code)
check('severity error', d.severity == vim.diagnostic.severity.ERROR, d.severity)
check('message says what, to what, until when', type(d.message) == 'string'
  and d.message:find('Account SAS, every container of 4 services, 30 years (', 1, true) == 1
  and d.message:find(' left), full control, HTTP.', 1, true)
  and d.message:find('2051-10-06', 1, true), d.message)
check('message never holds the signature', not (d.message or ''):find(sig, 1, true))
local client = vim.lsp.get_clients({ bufnr = buf, name = 'sasguard' })[1]
check('utf-8 positions negotiated', client and client.offset_encoding == 'utf-8', client and client.offset_encoding)
check('vim.g.sasguard_path is the server command', client and client.config.cmd[1] == bin, client and client.config.cmd[1])
check('root_markers give a workspace folder', client and client.workspace_folders and #client.workspace_folders == 1
  and client.workspace_folders[1].name == dir, client and vim.inspect(client.workspace_folders))

-- Hover.
local pos = { line = 1, character = #prefix + 10 }
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = pos,
}, 5000)
local md = ''
for _, r in pairs(hover or {}) do
  if r.result then
    md = r.result.contents.value
  end
end
check('hover shows the breakdown', md:find('Permissions', 1, true) and md:find('SAS006', 1, true), md:sub(1, 200))
check('hover leads with a heading, then facts as a list, no table and no repeated message',
  -- No table row (commands may hold `|`, as in `--key primary|secondary`).
  md:find('**sasguard: account SAS**', 1, true) == 1 and not md:find('\n%s*|') and not md:find('|%s*%-%-%-')
  and not md:find('Account SAS, every container', 1, true)
  and (md:find('- **Expiry**', 1, true) or math.huge) < (md:find('- **Permissions**', 1, true) or 0), md:sub(1, 400))
check('hover redacts the signature', md:find(sig:sub(1, 2) .. '…3D', 1, true) and not md:find(sig, 1, true))

-- Code action: redact, applied as the user would.
local ctx_diags = vim.lsp.diagnostic.from and vim.lsp.diagnostic.from(vim.diagnostic.get(buf)) or {}
local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 1, character = 0 }, ['end'] = { line = 1, character = 0 } },
  context = { diagnostics = ctx_diags },
}, 5000)
local redact
local titles = {}
for _, r in pairs(res or {}) do
  for _, a in ipairs(r.result or {}) do
    table.insert(titles, a.title)
    if a.title == 'Redact SAS signature' then
      redact = a
    end
  end
end
check('code actions offered', redact ~= nil, table.concat(titles, ' | '))
check('move to environment variable offered', vim.tbl_contains(titles, 'Move to environment variable `MODEL_URL`'), table.concat(titles, ' | '))
if redact then
  vim.lsp.util.apply_workspace_edit(redact.edit, client.offset_encoding)
end
local line = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
check('redaction applied to the buffer', line:find('&sig=REDACTED"', 1, true) ~= nil, line)
check('diagnostic cleared after the fix', wait_diags(buf, 0), #vim.diagnostic.get(buf))

-- Edit the buffer: put the signature back, the diagnostic returns.
vim.api.nvim_buf_set_lines(buf, 1, 2, false, { prefix .. url .. '"' })
check('diagnostics update as the buffer changes', wait_diags(buf, 1), #vim.diagnostic.get(buf))

-- Move the secret to an environment variable (resolved lazily, as Neovim asks).
res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 1, character = 0 }, ['end'] = { line = 1, character = 0 } },
  context = { diagnostics = {} },
}, 5000)
local move
for _, r in pairs(res or {}) do
  for _, a in ipairs(r.result or {}) do
    if a.title:find('Move to environment variable', 1, true) then
      move = a
    end
  end
end
if move and not move.edit then
  local resolved = client:request_sync('codeAction/resolve', move, 5000, buf)
  move = resolved and resolved.result or move
end
if move and move.edit then
  vim.lsp.util.apply_workspace_edit(move.edit, client.offset_encoding)
end
line = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
check('move to environment variable rewrites the code', line:find('"https://acct.blob.core.windows.net/c?" + os.environ["MODEL_URL"]', 1, true) ~= nil, line)
local env_buf = vim.fn.bufnr(dir .. '/.env')
local env_text = env_buf > 0 and table.concat(vim.api.nvim_buf_get_lines(env_buf, 0, -1, false), '\n') or ''
check('.env receives the value', env_text:find("MODEL_URL='sv=2020-08-04", 1, true) == 1, env_text:sub(1, 40))
local gi_buf = vim.fn.bufnr(dir .. '/.gitignore')
local gi_text = gi_buf > 0 and table.concat(vim.api.nvim_buf_get_lines(gi_buf, 0, -1, false), '\n') or ''
check('.gitignore lists .env', vim.trim(gi_text) == '.env', gi_text)
check('no finding left after the move', wait_diags(buf, 0), #vim.diagnostic.get(buf))

-- Buffers with no file type: FileType never fires, the plugin's autocmd attaches them.
vim.fn.writefile({ 'see ' .. url }, dir .. '/NOTES')
vim.cmd('edit ' .. dir .. '/NOTES')
local noft = vim.api.nvim_get_current_buf()
check('an extensionless file is analysed (no file type)', vim.bo[noft].filetype == '' and wait_diags(noft, 1),
  vim.bo[noft].filetype .. ' ' .. #vim.diagnostic.get(noft))
vim.cmd('enew')
local scratch = vim.api.nvim_get_current_buf()
vim.api.nvim_buf_set_lines(scratch, 0, -1, false, { 'see ' .. url })
vim.wait(300)
check('an unnamed buffer is not sent as file:// (no phantom "/" buffer)', vim.fn.bufnr('^/$') == -1
  and #vim.lsp.get_clients({ bufnr = scratch }) == 0)
vim.cmd('file ' .. dir .. '/scratch')
check('a scratch buffer is analysed once named', vim.bo[scratch].filetype == '' and wait_diags(scratch, 1), #vim.diagnostic.get(scratch))

-- The README's snippet: a workspace folder (root_markers) and every file type (no filetypes).
local readme = table.concat(vim.fn.readfile(plugin .. '/../../README.md'), '\n')
local snippet = readme:match('Neovim 0%.11%+ %(`init%.lua`%):%s*```lua\n(.-)```')
local got = {}
if snippet then
  local fake = { lsp = { config = function(_, c) got = c end, enable = function() end } }
  local chunk = load(snippet, 'README', 't', setmetatable({ vim = setmetatable(fake, { __index = vim }) }, { __index = _G }))
  pcall(chunk)
end
check("README's snippet has root_markers and no filetypes", vim.tbl_contains(got.root_markers or {}, '.git')
  and got.filetypes == nil, snippet)

-- 0.10-style setup: require('sasguard').attach() on another buffer.
vim.fn.writefile({ 'see ' .. url }, dir .. '/notes.txt')
vim.cmd('edit ' .. dir .. '/notes.txt')
local buf2 = vim.api.nvim_get_current_buf()
require('sasguard').attach(buf2)
check('any file type is analysed', wait_diags(buf2, 1), #vim.diagnostic.get(buf2))

-- A token written in pieces (Python adjacent literals over three lines): one diagnostic
-- on its first piece, every piece in relatedInformation, redaction of every piece.
local head, tail = sig:sub(1, 20), sig:sub(21)
vim.fn.writefile({
  'URL = ("https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&"',
  '       "se=2051-01-01&sig=' .. head .. '"',
  '       "' .. tail .. '")',
}, dir .. '/pieces.py')
vim.cmd('edit ' .. dir .. '/pieces.py')
local buf3 = vim.api.nvim_get_current_buf()
check('a token in pieces is one diagnostic', wait_diags(buf3, 1), #vim.diagnostic.get(buf3))
local dp = vim.diagnostic.get(buf3)[1] or {}
local related = (((dp.user_data or {}).lsp or {}).relatedInformation) or {}
check('on its first piece', dp.lnum == 0 and dp.end_lnum == 0, vim.inspect({ dp.lnum, dp.end_lnum }))
check('every piece in relatedInformation', #related == 3 and related[3].location.range.start.line == 2, #related)
local res3 = vim.lsp.buf_request_sync(buf3, 'textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(buf3) },
  range = { start = { line = 2, character = 0 }, ['end'] = { line = 2, character = 0 } },
  context = { diagnostics = vim.lsp.diagnostic.from(vim.diagnostic.get(buf3)) },
}, 5000)
for _, r in pairs(res3 or {}) do
  for _, a in ipairs(r.result or {}) do
    if a.title == 'Redact SAS signature' then
      vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding)
    end
  end
end
local text3 = table.concat(vim.api.nvim_buf_get_lines(buf3, 0, -1, false), '\n')
check('asked on the last piece, redaction replaces every piece',
  not text3:find(head, 1, true) and not text3:find(tail, 1, true) and select(2, text3:gsub('REDACTED', '')) == 2)
check('no finding left after redacting the pieces', wait_diags(buf3, 0), #vim.diagnostic.get(buf3))

-- Close: diagnostics are cleared.
vim.cmd('bwipeout! ' .. buf)
local left = vim.wait(5000, function()
  for _, dd in ipairs(vim.diagnostic.get()) do
    if dd.bufnr == buf then
      return false
    end
  end
  return true
end, 20)
check('closing clears the diagnostics', left)

-- :help sasguard opens, from the shipped tags, which match the help file.
local ok_help = pcall(vim.cmd, 'help sasguard')
check(':help sasguard opens', ok_help and vim.api.nvim_buf_get_name(0):find('doc/sasguard.txt', 1, true)
  and vim.api.nvim_get_current_line():find('*sasguard*', 1, true), vim.api.nvim_buf_get_name(0))
if ok_help then
  vim.cmd('helpclose')
end
local tagdir = vim.fn.tempname()
vim.fn.mkdir(tagdir, 'p')
vim.fn.writefile(vim.fn.readfile(plugin .. '/doc/sasguard.txt', 'b'), tagdir .. '/sasguard.txt', 'b')
vim.cmd('helptags ' .. tagdir)
check('doc/tags is up to date (helptags editors/neovim/doc)', vim.fn.filereadable(plugin .. '/doc/tags') == 1
  and vim.deep_equal(vim.fn.readfile(tagdir .. '/tags'), vim.fn.readfile(plugin .. '/doc/tags')))

check(':SasguardScanWorkspace exists', vim.fn.exists(':SasguardScanWorkspace') == 2)
print(('neovim: %d passed, %d failed'):format(passed, failed))
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop(true)
end
os.exit(failed == 0 and 0 or 1)
