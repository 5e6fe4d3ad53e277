-- sasguard for Neovim: `require('sasguard').setup(opts)`.
-- On Neovim 0.11+ this enables the bundled `lsp/sasguard.lua` config; on 0.10 it starts
-- the client itself for every buffer. `opts`:
--   cmd      = { 'sasguard', 'lsp' }   -- the server command
--   settings = { maxLifetime = '7d', rules = { SAS007 = 'off' } }  -- .sasguard.toml keys
local M = {}

local defaults = {
  cmd = { vim.g.sasguard_path or 'sasguard', 'lsp' },
  settings = {},
}

M.config = vim.deepcopy(defaults)

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= '' and vim.fs.dirname(name) or vim.uv.cwd()
  local marker = vim.fs.find({ '.sasguard.toml', '.git' }, { path = start, upward = true })[1]
  return marker and vim.fs.dirname(marker) or start
end

--- Starts (or reuses) the client for a buffer; for Neovim 0.10.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].buftype ~= '' then
    return
  end
  vim.lsp.start({
    name = 'sasguard',
    cmd = M.config.cmd,
    root_dir = root_dir(bufnr),
    settings = { sasguard = M.config.settings },
    init_options = M.config.settings,
  }, { bufnr = bufnr })
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if vim.fn.has('nvim-0.11') == 1 then
    vim.lsp.config('sasguard', {
      cmd = M.config.cmd,
      settings = { sasguard = M.config.settings },
      init_options = M.config.settings,
    })
    vim.lsp.enable('sasguard')
  else
    local group = vim.api.nvim_create_augroup('sasguard', { clear = true })
    vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
      group = group,
      callback = function(args)
        M.attach(args.buf)
      end,
    })
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.api.nvim_buf_get_name(buf) ~= '' then
        M.attach(buf)
      end
    end
  end
end

--- Scans the workspace's files that are not open (`sasguard.scanWorkspace`).
function M.scan_workspace()
  local clients = vim.lsp.get_clients({ name = 'sasguard' })
  if #clients == 0 then
    vim.notify('sasguard: the server is not running', vim.log.levels.WARN)
    return
  end
  for _, client in ipairs(clients) do
    client:request('workspace/executeCommand', { command = 'sasguard.scanWorkspace', arguments = {} }, function(err, result)
      if err then
        vim.notify('sasguard: ' .. err.message, vim.log.levels.ERROR)
      elseif result then
        vim.notify(('sasguard: %d findings in %d files'):format(result.findings, result.files))
      end
    end)
  end
end

return M
