--- kbls: the Markdown knowledge-base language server, for Neovim.
---
--- Neovim 0.10: `require('kbls').setup(opts)` starts `kbls lsp` for Markdown buffers.
--- Neovim 0.11+: `vim.lsp.enable('kbls')` uses the config in lsp/kbls.lua instead.
--- Both get :KblsSearch and :KblsBacklinks from plugin/kbls.lua, which call into this module.
local M = {}

--- The server settings to send under the `kbls` key (initializationOptions and settings): a copy
--- of the keys the user set, and nothing else. The server holds every default, and a key sent
--- would override the knowledge base's kbls.toml (precedence: the server's defaults < kbls.toml
--- < what the user set), so no default is filled in here. Accepts `{ kbls = { ... } }` or the
--- same table unwrapped.
---@param settings? table
---@return table
function M.user_settings(settings)
  settings = settings or {}
  if type(settings.kbls) == 'table' then
    settings = settings.kbls
  end
  local res = vim.deepcopy(settings)
  -- Tables that must reach the server as JSON objects: empty ones would encode as [].
  if next(res) == nil then
    res = vim.empty_dict()
  end
  if type(res.rules) == 'table' and next(res.rules) == nil then
    res.rules = vim.empty_dict()
  end
  return res
end

--- A directory holding one of these is the root of a knowledge base.
M.root_markers = { 'kbls.toml', '.git' }

--- Results per :KblsSearch; a quickfix list longer than this is not read anyway.
M.search_limit = 50

---@class kbls.Opts
---@field cmd? string Server binary (default `kbls`, looked up on $PATH).
---@field settings? table |kbls-settings| to send (staleAfterDays, rules, codeLens, dateHint, searchIndex); only these keys are sent.
---@field filetypes? string[] Filetypes to attach to (default `{ 'markdown' }`).
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table Client capabilities, e.g. from a completion plugin.

---@type kbls.Opts
local opts = {}

--- The binary `setup()` was given, or the one in the 0.11 config, or `kbls`.
function M.server_binary()
  if opts.cmd then
    return opts.cmd
  end
  local config = vim.lsp.config and vim.lsp.config.kbls
  if config and type(config.cmd) == 'table' and config.cmd[1] then
    return config.cmd[1]
  end
  return 'kbls'
end

--- The knowledge-base root of a buffer: the nearest directory with a root marker, else the
--- file's own directory (a lone note still gets a server).
---@param bufnr integer
---@return string
function M.root_dir(bufnr)
  local root = vim.fs.root(bufnr, M.root_markers)
  if root then
    return root
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  return name ~= '' and vim.fs.dirname(name) or assert(vim.uv.cwd())
end

--- Starts (or reuses) the server for one buffer. Called by the FileType autocmd of setup().
---@param bufnr integer
---@return integer? client_id
function M.start(bufnr)
  -- Hover and signature popups are `nofile` Markdown buffers: they must not get a server.
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local settings = M.user_settings(opts.settings)
  return vim.lsp.start({
    name = 'kbls',
    cmd = { opts.cmd or 'kbls', 'lsp' },
    root_dir = M.root_dir(bufnr),
    init_options = { kbls = settings },
    settings = { kbls = settings },
    capabilities = opts.capabilities,
    on_attach = opts.on_attach,
  }, { bufnr = bufnr })
end

--- Neovim 0.10 entry point: attach kbls to every Markdown buffer, now and later.
---@param user_opts? kbls.Opts
function M.setup(user_opts)
  opts = user_opts or {}
  local filetypes = opts.filetypes or { 'markdown' }
  local group = vim.api.nvim_create_augroup('kbls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  -- Buffers opened before setup() ran (a lazy-loaded plugin) get their server too.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

--- The kbls client of a buffer, or else any kbls client (search works from any buffer).
---@param bufnr integer
---@param attached_only? boolean
---@return vim.lsp.Client?
function M.client(bufnr, attached_only)
  local clients = vim.lsp.get_clients({ name = 'kbls', bufnr = bufnr })
  if #clients == 0 and not attached_only then
    clients = vim.lsp.get_clients({ name = 'kbls' })
  end
  return clients[1]
end

--- client:request() on 0.11, client.request() on 0.10 (where the method form does not exist).
local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(msg, level)
  vim.notify('kbls: ' .. msg, level or vim.log.levels.INFO)
end

local function show_quickfix(title, items)
  vim.fn.setqflist({}, ' ', { title = title, items = items })
  vim.cmd('botright copen')
end

--- One quickfix item for an LSP location; columns are converted from the server's encoding.
local function location_item(client, uri, range)
  return vim.lsp.util.locations_to_items({ { uri = uri, range = range } }, client.offset_encoding)[1]
end

--- LSP's RequestFailed: what the server answers a request it cannot serve yet.
local REQUEST_FAILED = -32803

--- Runs `kbls/search` and puts the hits, best first, into the quickfix list.
---@param query string
function M.search(query)
  query = vim.trim(query or '')
  if query == '' then
    vim.ui.input({ prompt = 'kbls search: ' }, function(input)
      if input and vim.trim(input) ~= '' then
        M.search(input)
      end
    end)
    return
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    return notify('no kbls server is running; open a Markdown note first', vim.log.levels.ERROR)
  end
  request(client, 'kbls/search', { query = query, limit = M.search_limit }, function(err, hits)
    if err and err.code == REQUEST_FAILED then
      -- The index is still being built: the server says so ("kbls is still building the
      -- full-text index of 3,412 notes; try again in a moment"), never "no notes match".
      return vim.notify(err.message, vim.log.levels.WARN)
    elseif err then
      return notify('search failed: ' .. err.message, vim.log.levels.ERROR)
    end
    local items = {}
    for _, hit in ipairs(hits or {}) do
      local item = location_item(client, hit.uri, hit.range)
      local where = hit.title
      if hit.headingPath ~= '' and hit.headingPath ~= hit.title then
        where = where .. ' › ' .. hit.headingPath
      end
      item.text = where .. ': ' .. vim.trim(((hit.snippet or ''):gsub('%s+', ' ')))
      items[#items + 1] = item
    end
    if #items == 0 then
      return notify(('no notes match %q'):format(query))
    end
    show_quickfix('kbls search: ' .. query, items)
  end, bufnr)
end

--- Lists the notes linking to the current one: references to position 0:0, declaration excluded.
function M.backlinks()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr, true)
  if not client then
    return notify('kbls is not attached to this buffer', vim.log.levels.ERROR)
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 0, character = 0 },
    context = { includeDeclaration = false },
  }
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t')
  request(client, 'textDocument/references', params, function(err, locations)
    if err then
      return notify('backlinks failed: ' .. err.message, vim.log.levels.ERROR)
    end
    if not locations or #locations == 0 then
      return notify('no notes link to ' .. name)
    end
    show_quickfix('kbls backlinks: ' .. name, vim.lsp.util.locations_to_items(locations, client.offset_encoding))
  end, bufnr)
end

return M
