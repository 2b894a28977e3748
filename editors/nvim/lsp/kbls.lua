--- kbls for Neovim 0.11+: with editors/nvim on 'runtimepath', `vim.lsp.enable('kbls')`.
--- Override fields with `vim.lsp.config('kbls', { cmd = { '/path/to/kbls', 'lsp' } })`.
local kbls = require('kbls')

---@type vim.lsp.Config
return {
  cmd = { 'kbls', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = kbls.root_markers,
  -- No `settings` here: only what the user sets with vim.lsp.config() is sent, so that the
  -- knowledge base's kbls.toml, not a default, decides everything else.
  -- The server also reads its settings from initializationOptions; derive them from `settings`
  -- so that overrides made with vim.lsp.config() reach it from the first request on.
  before_init = function(params, config)
    params.initializationOptions = { kbls = kbls.user_settings(config.settings) }
  end,
}
