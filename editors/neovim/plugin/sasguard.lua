if vim.g.loaded_sasguard then
  return
end
vim.g.loaded_sasguard = true

vim.api.nvim_create_user_command('SasguardScanWorkspace', function()
  require('sasguard').scan_workspace()
end, { desc = 'sasguard: scan the files of the workspace that are not open' })

-- `vim.lsp.enable('sasguard')` attaches on FileType only: also attach buffers with no file
-- type. Scheduled, so that file type detection (and modelines) have run first.
if vim.fn.has('nvim-0.11') == 1 then
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile', 'BufEnter', 'BufFilePost', 'BufWritePost' }, {
    group = vim.api.nvim_create_augroup('sasguard.nofiletype', { clear = true }),
    callback = function(args)
      vim.schedule(function()
        require('sasguard').attach_unfiletyped(args.buf)
      end)
    end,
  })
end
