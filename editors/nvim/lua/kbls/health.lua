--- :checkhealth kbls
local M = {}

local MIN_VERSION = { 0, 1, 0 }
local INSTALL = 'Install it with `cargo install --path .` in a checkout of the kbls repository '
  .. '(puts `kbls` in ~/.cargo/bin, which must be on $PATH), or pass the binary as `cmd`.'

---@param text string
---@return integer[]?
local function parse_version(text)
  local major, minor, patch = text:match('^kbls (%d+)%.(%d+)%.(%d+)')
  if major then
    return { tonumber(major), tonumber(minor), tonumber(patch) }
  end
end

local function at_least(version, min)
  for i = 1, 3 do
    if version[i] ~= min[i] then
      return version[i] > min[i]
    end
  end
  return true
end

local function check_binary()
  local kbls = require('kbls')
  local bin = kbls.server_binary()
  if vim.fn.executable(bin) ~= 1 then
    vim.health.error(('server binary `%s` not found'):format(bin), { INSTALL })
    return
  end
  vim.health.ok(('server binary: %s'):format(vim.fn.exepath(bin)))

  local res = vim.system({ bin, '--version' }, { text = true }):wait(5000)
  local out = vim.trim(res.stdout or '')
  local version = res.code == 0 and parse_version(out) or nil
  if not version then
    vim.health.error(
      ('`%s --version` gave exit code %s and %q, not "kbls X.Y.Z"'):format(bin, tostring(res.code), out),
      { INSTALL }
    )
  elseif not at_least(version, MIN_VERSION) then
    vim.health.error(
      ('%s is too old: version %s or newer is needed'):format(out, table.concat(MIN_VERSION, '.')),
      { INSTALL }
    )
  else
    vim.health.ok(out)
  end
end

local function check_clients()
  -- :checkhealth shows its report in a new buffer; the note it was run from is usually '#'.
  local origin = vim.fn.bufnr('#')
  if origin > 0 and vim.bo[origin].filetype == 'markdown' then
    local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(origin), ':~:.')
    if #vim.lsp.get_clients({ name = 'kbls', bufnr = origin }) > 0 then
      vim.health.ok(('kbls is attached to %s'):format(name))
    else
      vim.health.warn(('kbls is not attached to %s'):format(name), {
        'Neovim 0.11+: add editors/nvim to your runtimepath and call vim.lsp.enable("kbls").',
        'Neovim 0.10: call require("kbls").setup().',
        'See :help kbls-setup and the log at ' .. vim.lsp.get_log_path(),
      })
    end
  end

  local clients = vim.lsp.get_clients({ name = 'kbls' })
  if #clients == 0 then
    vim.health.info('no kbls server is running (it starts when a Markdown note is opened)')
  end
  for _, client in ipairs(clients) do
    local buffers = vim.tbl_keys(client.attached_buffers)
    vim.health.info(
      ('client %d: root %s, %d buffer(s) attached, position encoding %s'):format(
        client.id,
        client.root_dir or '(none)',
        #buffers,
        client.offset_encoding
      )
    )
  end
end

function M.check()
  vim.health.start('kbls: server binary')
  check_binary()
  vim.health.start('kbls: clients')
  check_clients()
end

return M
