-- sasguard for Neovim: `require('sasguard').setup(opts)`.
-- On Neovim 0.11+ this enables the bundled `lsp/sasguard.lua` config; on 0.10 it starts
-- the client itself for every buffer. `opts`:
--   cmd      = { 'sasguard', 'lsp' }   -- the server command (default: vim.g.sasguard_path
--                                       -- or 'sasguard', read when setup() runs)
--   settings = { maxLifetime = '7d', rules = { SAS007 = 'off' } }  -- .sasguard.toml keys
local M = {}

local function defaults()
  return { cmd = { vim.g.sasguard_path or 'sasguard', 'lsp' }, settings = {} }
end

M.config = defaults()

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
  M.config = vim.tbl_deep_extend('force', defaults(), opts or {})
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

--- Neovim 0.11: `vim.lsp.enable()` starts clients on FileType, which never fires for a buffer
--- with no file type (an extensionless file); plugin/sasguard.lua calls this for those.
--- Not for an unnamed buffer: Neovim would send it as `file://` and file the diagnostics
--- under a new buffer named "/"; it attaches once named (`:file`, `:write name`).
function M.attach_unfiletyped(bufnr)
  local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled('sasguard')
    or (vim.lsp._enabled_configs or {}).sasguard ~= nil -- guarded: in case a build lacks is_enabled()
  if not enabled or not vim.api.nvim_buf_is_loaded(bufnr) or vim.bo[bufnr].filetype ~= ''
    or vim.bo[bufnr].buftype ~= '' or vim.api.nvim_buf_get_name(bufnr) == ''
    or #vim.lsp.get_clients({ bufnr = bufnr, name = 'sasguard' }) > 0 then
    return
  end
  local config = vim.lsp.config.sasguard
  -- Like Neovim: honour a `filetypes` list, and do not try a command that is not executable.
  if not config or config.filetypes or (type(config.cmd) == 'table' and vim.fn.executable(config.cmd[1]) == 0) then
    return
  end
  config = vim.deepcopy(config)
  local function start()
    vim.lsp.start(config, { bufnr = bufnr, reuse_client = config.reuse_client })
  end
  if type(config.root_dir) == 'function' then
    config.root_dir(bufnr, function(dir)
      config.root_dir = dir
      vim.schedule(start)
    end)
  else
    config.root_dir = config.root_dir or (config.root_markers and vim.fs.root(bufnr, config.root_markers))
    start()
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
