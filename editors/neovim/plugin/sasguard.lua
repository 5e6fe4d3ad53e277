if vim.g.loaded_sasguard then
  return
end
vim.g.loaded_sasguard = true

vim.api.nvim_create_user_command('SasguardScanWorkspace', function()
  require('sasguard').scan_workspace()
end, { desc = 'sasguard: scan the files of the workspace that are not open' })
