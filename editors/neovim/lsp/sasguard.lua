-- sasguard for Neovim 0.11+: `vim.lsp.enable('sasguard')`.
-- Finds Azure SAS tokens and keys in every buffer and judges how dangerous they are.
-- Override any field with `vim.lsp.config('sasguard', { ... })`.

---@type vim.lsp.Config
return {
  cmd = { vim.g.sasguard_path or 'sasguard', 'lsp' },
  -- No `filetypes`: attach to every file type, since a token can be pasted anywhere.
  root_markers = { '.sasguard.toml', '.git' },
  -- Sent as `initializationOptions` and answered to `workspace/configuration`
  -- (section `sasguard`); the keys are those of `.sasguard.toml`.
  settings = { sasguard = {} },
  init_options = {},
}
