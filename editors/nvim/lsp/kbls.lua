--- kbls for Neovim 0.11+: with editors/nvim on 'runtimepath', `vim.lsp.enable('kbls')`.
--- Override fields with `vim.lsp.config('kbls', { cmd = { '/path/to/kbls', 'lsp' } })`.
local kbls = require('kbls')

---@type vim.lsp.Config
return {
  cmd = { 'kbls', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = kbls.root_markers,
  settings = { kbls = vim.deepcopy(kbls.default_settings) },
  -- The server also reads its settings from initializationOptions; derive them from `settings`
  -- so that overrides made with vim.lsp.config() reach it from the first request on.
  before_init = function(params, config)
    params.initializationOptions = { kbls = (config.settings or {}).kbls }
  end,
}
