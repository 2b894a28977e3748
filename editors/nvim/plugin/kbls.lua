-- User commands for kbls; they work with either setup() or vim.lsp.enable('kbls').
if vim.g.loaded_kbls then
  return
end
vim.g.loaded_kbls = true

vim.api.nvim_create_user_command('KblsSearch', function(cmd)
  require('kbls').search(cmd.args)
end, { nargs = '?', desc = 'kbls: search all notes, results in the quickfix list' })

vim.api.nvim_create_user_command('KblsBacklinks', function()
  require('kbls').backlinks()
end, { nargs = 0, desc = 'kbls: notes linking to the current note, in the quickfix list' })
