-- Headless end-to-end test of the Neovim client against the real kbls server.
--
--   KBLS_BIN=target/debug/kbls KBLS_REPO=$PWD nvim --headless --clean -n -l editors/nvim/test/test.lua
--
-- Phase 1 uses the Neovim 0.11 config (lsp/kbls.lua + vim.lsp.enable) and checks the features;
-- phase 2 uses require('kbls').setup() (the 0.10 path) and :checkhealth; phase 3 checks settings
-- precedence (defaults < kbls.toml < the user's settings) on a small generated knowledge base.
-- Targets are picked from fixtures/kb at run time. Any failure (a missing binary or fixture included) exits non-zero.

local script_dir = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, 'S').source:sub(2)))
local repo = vim.fs.normalize(os.getenv('KBLS_REPO') or vim.fs.joinpath(script_dir, '..', '..', '..'))
repo = assert(vim.uv.fs_realpath(repo), 'KBLS_REPO does not exist: ' .. repo)
local bin = os.getenv('KBLS_BIN') or vim.fs.joinpath(repo, 'target', 'debug', 'kbls')
bin = vim.uv.fs_realpath(bin) or error(('kbls binary not found at %s: run `cargo build` or set KBLS_BIN'):format(bin))
local kb = vim.fs.joinpath(repo, 'fixtures', 'kb')
assert(vim.uv.fs_stat(kb), 'fixture corpus missing: ' .. kb)

-- Long enough for a debug build to index the corpus on a slow CI machine.
local TIMEOUT_MS = 20000

vim.opt.runtimepath:prepend(vim.fs.joinpath(repo, 'editors', 'nvim'))
vim.cmd.runtime('plugin/kbls.lua')
vim.lsp.set_log_level('WARN')

local n_passed = 0
local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    io.stderr:write(('FAIL %s\n%s\nLSP log: %s\n'):format(name, err, vim.lsp.get_log_path()))
    os.exit(1)
  end
  n_passed = n_passed + 1
  io.stdout:write(('ok %d - %s\n'):format(n_passed, name))
end

---------------------------------------------------------------------------------------------------
-- The corpus: a rough scan for targets (plain relative links outside code fences).

local function read_lines(path)
  return vim.fn.readfile(path)
end

--- The note's lines with front matter and fenced code blanked (indices kept): what is prose.
local function prose_lines(path)
  local lines = read_lines(path)
  local fence
  for idx, line in ipairs(lines) do
    local marker = line:match('^%s*(```+)') or line:match('^%s*(~~~+)')
    if fence then
      if marker and marker:sub(1, 1) == fence:sub(1, 1) and #marker >= #fence then
        fence = nil
      end
      lines[idx] = ''
    elseif marker then
      fence = marker
      lines[idx] = ''
    end
  end
  if lines[1] == '---' then
    for idx = 2, #lines do
      local done = lines[idx] == '---' or lines[idx] == '...'
      lines[idx] = ''
      if done then
        lines[1] = ''
        break
      end
    end
  end
  return lines
end

local notes = {}
for name, kind in vim.fs.dir(kb, { depth = 10 }) do
  if kind == 'file' and name:match('%.md$') then
    notes[#notes + 1] = vim.fs.joinpath(kb, name)
  end
end
table.sort(notes)
assert(#notes > 0, 'no notes in ' .. kb)

--- GitHub-style heading slug: lowercase, punctuation dropped, spaces to dashes.
local function slug(heading)
  return (heading:lower():gsub('[^%w%s_-]', ''):gsub('%s', '-'))
end

local function title_of(path)
  for _, line in ipairs(prose_lines(path)) do
    local title = line:match('^#%s+(.-)%s*#*%s*$')
    if title then
      return title
    end
  end
end

--- 0-based line of the heading with this slug, or nil.
local function heading_line(path, anchor)
  for idx, line in ipairs(prose_lines(path)) do
    local text = line:match('^#+%s+(.-)%s*#*%s*$')
    if text and slug(text) == anchor then
      return idx - 1
    end
  end
end

--- Relative Markdown links of every note: { source, lnum (0-based), col (0-based byte of `[`),
--- target (absolute), anchor, exists }.
local links = {}
for _, source in ipairs(notes) do
  for idx, line in ipairs(prose_lines(source)) do
    local init = 1
    while true do
      local s, e, dest = line:find('%[[^%]]*%]%(([^%)%s]+)%)', init)
      if not s then
        break
      end
      init = e + 1
      local path, anchor = dest:match('^([^#]*)#?(.*)$')
      local is_image = s > 1 and line:sub(s - 1, s - 1) == '!'
      local in_code_span = select(2, line:sub(1, s - 1):gsub('`', '')) % 2 == 1
      if
        not is_image
        and not in_code_span
        and path:match('%.md$')
        and not path:match('^%a[%w+.-]*:')
        and not path:match('^/')
      then
        local target = vim.fs.normalize(vim.fs.joinpath(vim.fs.dirname(source), path))
        target = vim.uv.fs_realpath(target) or target
        links[#links + 1] = {
          source = source,
          lnum = idx - 1,
          col = s - 1,
          target = target,
          anchor = anchor,
          exists = vim.uv.fs_stat(target) ~= nil,
        }
      end
    end
  end
end

local function rel(path)
  return vim.fs.relpath and vim.fs.relpath(kb, path) or path:sub(#kb + 2)
end

--- A link to an existing note whose anchor names one of its headings (for hover and definition).
local function pick_anchored_link()
  for _, link in ipairs(links) do
    if link.exists and link.target ~= link.source and link.anchor ~= '' then
      local line = heading_line(link.target, link.anchor)
      if line and title_of(link.target) then
        return link, line
      end
    end
  end
  error('no fixture note has a [text](note.md#heading) link whose heading exists')
end

--- A link to a note that does not exist, in a note without suppression comments.
local function pick_broken_link()
  for _, link in ipairs(links) do
    if not link.exists and not table.concat(read_lines(link.source), '\n'):find('kbls-disable', 1, true) then
      return link
    end
  end
  error('no fixture note links to a missing note; the broken-link check needs one')
end

---------------------------------------------------------------------------------------------------
-- Helpers.

local function open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

--- Waits until kbls is attached to `bufnr` and initialized.
local function wait_client(bufnr)
  local client
  local ok = vim.wait(TIMEOUT_MS, function()
    client = vim.lsp.get_clients({ name = 'kbls', bufnr = bufnr })[1]
    return client ~= nil and client.initialized and client.server_capabilities ~= nil
  end, 50)
  assert(ok, 'kbls did not attach to ' .. vim.api.nvim_buf_get_name(bufnr))
  return client
end

--- Sends a request for the buffer until `accept(result)` is true; returns the last result.
local function request_until(client, bufnr, method, params, accept)
  local res, err
  vim.wait(TIMEOUT_MS, function()
    local reply = client:request_sync(method, params, TIMEOUT_MS, bufnr)
    res, err = reply and reply.result, reply and reply.err
    return err == nil and accept(res)
  end, 200)
  assert(err == nil, ('%s failed: %s'):format(method, vim.inspect(err)))
  return res
end

local function position_params(client, row, col)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  return table.concat(vim.lsp.util.convert_input_to_markdown_lines(result.contents), '\n')
end

local function completion_items(result)
  return result and (result.items or result) or {}
end

--- Runs an Ex command (async underneath) until the quickfix list satisfies `accept`.
local function quickfix_until(command, accept)
  local deadline = vim.uv.hrtime() + TIMEOUT_MS * 1e6
  local res
  repeat
    vim.cmd('cclose') -- run the command from the note, not from the quickfix window
    vim.fn.setqflist({}, 'r')
    vim.cmd(command)
    vim.wait(3000, function()
      res = accept()
      return res ~= nil
    end, 50)
  until res ~= nil or vim.uv.hrtime() > deadline
  vim.cmd('cclose')
  return res
end

local function quickfix_files()
  local files = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    files[#files + 1] = vim.uv.fs_realpath(vim.api.nvim_buf_get_name(item.bufnr))
  end
  return files
end

---------------------------------------------------------------------------------------------------
-- Phase 1: Neovim 0.11 config.

local link, target_heading = pick_anchored_link()
local client, bufnr

check('vim.lsp.enable attaches with the fixture root', function()
  assert(vim.fn.has('nvim-0.11') == 1, 'this test needs Neovim 0.11+')
  local base = vim.lsp.config.kbls -- lsp/kbls.lua, found on 'runtimepath'
  assert(base and base.cmd[1] == 'kbls' and base.before_init, 'lsp/kbls.lua not loaded: ' .. vim.inspect(base))
  local sent -- initializationOptions as sent, captured around the config's own before_init
  vim.lsp.config('kbls', {
    cmd = { bin, 'lsp' },
    settings = { kbls = { codeLens = false } },
    before_init = function(params, config)
      base.before_init(params, config)
      sent = params.initializationOptions
    end,
  })
  vim.lsp.enable('kbls')
  bufnr = open(link.source)
  client = wait_client(bufnr)
  assert(client.root_dir == kb, ('root_dir %s, expected %s (kbls.toml)'):format(client.root_dir, kb))
  -- Only what the user set, no defaults: those would override the knowledge base's kbls.toml.
  assert(vim.json.encode(sent) == '{"kbls":{"codeLens":false}}', 'initializationOptions: ' .. vim.json.encode(sent))
  assert(vim.deep_equal(client.settings, { kbls = { codeLens = false } }), 'settings: ' .. vim.inspect(client.settings))
end)

local at_link = ('%s:%d'):format(rel(link.source), link.lnum + 1)

check('hover on a link shows the target title (' .. at_link .. ')', function()
  local title = title_of(link.target)
  local params = position_params(client, link.lnum, link.col + 1)
  local res = request_until(client, bufnr, 'textDocument/hover', params, function(r)
    return hover_text(r):find(title, 1, true) ~= nil
  end)
  assert(
    hover_text(res):find(title, 1, true),
    ('hover on %s:%d has no %q:\n%s'):format(rel(link.source), link.lnum + 1, title, hover_text(res))
  )
end)

check(('go to definition lands on the heading (%s -> %s:%d)'):format(at_link, rel(link.target), target_heading + 1), function()
  vim.api.nvim_win_set_cursor(0, { link.lnum + 1, link.col + 1 })
  vim.lsp.buf.definition()
  local ok = vim.wait(TIMEOUT_MS, function()
    return vim.uv.fs_realpath(vim.api.nvim_buf_get_name(0)) == link.target
      and vim.api.nvim_win_get_cursor(0)[1] - 1 == target_heading
  end, 50)
  assert(
    ok,
    ('definition of %s:%d went to %s:%d, expected %s:%d'):format(
      rel(link.source),
      link.lnum + 1,
      vim.api.nvim_buf_get_name(0),
      vim.api.nvim_win_get_cursor(0)[1],
      rel(link.target),
      target_heading + 1
    )
  )
end)

check('completion after ]( offers note paths', function()
  bufnr = open(link.source)
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { '', 'See [x](' })
  -- Past the end of the line, as in insert mode: the normal-mode cursor can't go there.
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = last + 1, character = #'See [x](' },
  }
  params.context = { triggerKind = 1 } -- invoked
  local function has_md_path(res)
    for _, item in ipairs(completion_items(res)) do
      local text = (item.textEdit and item.textEdit.newText) or item.insertText or item.label
      if text:find('%.md') then
        return true
      end
    end
    return false
  end
  local res = request_until(client, bufnr, 'textDocument/completion', params, has_md_path)
  assert(has_md_path(res), 'no .md path among completion items: ' .. vim.inspect(completion_items(res)))
  vim.cmd('silent edit!') -- drop the edit; the server gets the original text back
end)

check('hover on a DCGM field shows its description', function()
  local term, description = 'DCGM_FI_DEV_GPU_UTIL', 'gpu utilization'
  for _, note in ipairs(notes) do
    for idx, line in ipairs(read_lines(note)) do
      local col = line:find(term, 1, true)
      if col then
        bufnr = open(note)
        local params = position_params(client, idx - 1, col + 3)
        local res = request_until(client, bufnr, 'textDocument/hover', params, function(r)
          return hover_text(r):lower():find(description, 1, true) ~= nil
        end)
        local text = hover_text(res)
        assert(
          text:lower():find(description, 1, true),
          ('hover on %s at %s:%d has no %q:\n%s'):format(term, rel(note), idx, description, text)
        )
        return
      end
    end
  end
  error(term .. ' does not occur in the fixture corpus')
end)

check('a link to a missing note gets a broken-link diagnostic', function()
  local broken = pick_broken_link()
  bufnr = open(broken.source)
  local found = vim.wait(TIMEOUT_MS, function()
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      if diagnostic.code == 'broken-link' and diagnostic.lnum == broken.lnum then
        return true
      end
    end
    return false
  end, 50)
  if not found then
    local got = vim.tbl_map(function(d)
      return ('%d: [%s] %s'):format(d.lnum + 1, tostring(d.code), d.message)
    end, vim.diagnostic.get(bufnr))
    error(
      ('no broken-link diagnostic on %s:%d (link to %s); got:\n%s'):format(
        rel(broken.source),
        broken.lnum + 1,
        rel(broken.target),
        table.concat(got, '\n')
      )
    )
  end
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    assert(diagnostic.source == 'kbls', 'diagnostic source: ' .. tostring(diagnostic.source))
  end
end)

check(':KblsSearch ndots fills the quickfix list', function()
  local expected = {}
  for _, note in ipairs(notes) do
    if table.concat(read_lines(note), '\n'):lower():find('ndots', 1, true) then
      expected[vim.uv.fs_realpath(note)] = true
    end
  end
  assert(next(expected), 'no fixture note mentions ndots')
  local hit = quickfix_until('KblsSearch ndots', function()
    for _, file in ipairs(quickfix_files()) do
      if expected[file] then
        return file
      end
    end
  end)
  assert(hit, 'quickfix has no ndots hit: ' .. vim.inspect(vim.fn.getqflist()))
  local qf = vim.fn.getqflist({ title = 1, items = 1 })
  assert(qf.title:find('ndots', 1, true), 'quickfix title: ' .. qf.title)
  assert(qf.items[1].lnum >= 1 and qf.items[1].text ~= '', 'quickfix item: ' .. vim.inspect(qf.items[1]))
end)

check(':KblsSearch while the index is built shows the server\'s message, not "no notes match"', function()
  local client = assert(require('kbls').client(vim.api.nvim_get_current_buf()))
  local indexing = 'kbls is still building the full-text index of 47 notes; try again in a moment'
  -- The server answers so (RequestFailed) after waiting for the index; answer at once here.
  client.request = function(_, method, _, handler)
    assert(method == 'kbls/search', method)
    handler({ code = -32803, message = indexing }, nil)
    return true, 1
  end
  local notify = vim.notify
  local shown = {}
  vim.notify = function(msg, level)
    shown[#shown + 1] = { msg = msg, level = level }
  end
  local ok, err = pcall(vim.cmd, 'KblsSearch ndots')
  vim.notify = notify
  client.request = nil -- the method of the client class again
  assert(ok, err)
  assert(#shown == 1 and shown[1].msg == indexing, 'notified: ' .. vim.inspect(shown))
  assert(shown[1].level == vim.log.levels.WARN, 'level: ' .. vim.inspect(shown[1]))
end)

check(':KblsBacklinks lists the notes linking to ' .. rel(link.target), function()
  local linkers = {}
  for _, l in ipairs(links) do
    if l.target == link.target and l.source ~= link.target then
      linkers[vim.uv.fs_realpath(l.source)] = true
    end
  end
  bufnr = open(link.target)
  wait_client(bufnr)
  local found = quickfix_until('KblsBacklinks', function()
    for _, file in ipairs(quickfix_files()) do
      if linkers[file] then
        return file
      end
    end
  end)
  assert(found, ('no backlink of %s in quickfix: %s'):format(rel(link.target), vim.inspect(quickfix_files())))
  for _, file in ipairs(quickfix_files()) do
    assert(file ~= link.target, 'a note is not its own backlink')
  end
end)

---------------------------------------------------------------------------------------------------
-- Phase 2: require('kbls').setup(), the Neovim 0.10 path, on a fresh client.

local function stop_all()
  vim.lsp.enable('kbls', false)
  local ids = vim.tbl_map(function(c)
    return c.id
  end, vim.lsp.get_clients({ name = 'kbls' }))
  vim.lsp.stop_client(ids)
  assert(
    vim.wait(TIMEOUT_MS, function()
      return #vim.lsp.get_clients({ name = 'kbls' }) == 0
    end, 50),
    'kbls clients did not stop'
  )
  vim.cmd('silent %bwipeout!')
end

check('setup() attaches one client per root, not to hover popups', function()
  stop_all()
  require('kbls').setup({ cmd = bin, settings = { rules = { ['broken-link'] = 'error' } } })
  bufnr = open(link.source)
  client = wait_client(bufnr)
  assert(client.root_dir == kb, 'root_dir: ' .. tostring(client.root_dir))
  -- Only what the user set: initializationOptions and `settings` (sent as didChangeConfiguration).
  local sent = { kbls = { rules = { ['broken-link'] = 'error' } } }
  assert(vim.deep_equal(client.config.init_options, sent), vim.inspect(client.config.init_options))
  assert(vim.deep_equal(client.settings, sent), vim.inspect(client.settings))

  -- The hover popup is a Markdown buffer too; setup() must leave it alone.
  vim.api.nvim_win_set_cursor(0, { link.lnum + 1, link.col + 1 })
  vim.lsp.buf.hover()
  local popup = vim.wait(TIMEOUT_MS, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        return true
      end
    end
    return false
  end, 50)
  assert(popup, 'no hover popup opened')
  vim.wait(200)
  local clients = vim.lsp.get_clients({ name = 'kbls' })
  assert(#clients == 1, ('%d kbls clients after hover, expected 1'):format(#clients))
end)

check(':checkhealth kbls reports the binary and the attached client', function()
  vim.cmd('silent checkhealth kbls')
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  assert(not report:find('ERROR'), report)
  assert(report:find('kbls %d+%.%d+%.%d+'), 'no version in report:\n' .. report)
  assert(report:find('kbls is attached to', 1, true), 'no attached client in report:\n' .. report)
end)

---------------------------------------------------------------------------------------------------
-- Phase 3: settings precedence, built-in defaults < kbls.toml < what the user set, on both paths.
-- The knowledge base's kbls.toml says `stale_after_days = 20` and its note is 40 days old: it is
-- stale only if kbls.toml beats the server's default of 180 (which the client used to send), and
-- fresh again once the user sets staleAfterDays = 365. Its broken link shows that the note has
-- been diagnosed, so that the absence of stale-note means something.

local TODAY, NOTE_DATE = '2026-11-28', '2026-10-19'
vim.env.KBLS_TODAY = TODAY -- inherited by the servers started from here on
local precedence_kb = vim.fn.tempname()
assert(vim.fn.mkdir(precedence_kb, 'p') == 1, 'cannot create ' .. precedence_kb)
precedence_kb = assert(vim.uv.fs_realpath(precedence_kb))
vim.fn.writefile({ 'stale_after_days = 20' }, vim.fs.joinpath(precedence_kb, 'kbls.toml'))
local old_note = vim.fs.joinpath(precedence_kb, 'old.md')
vim.fn.writefile({ '# Old', '', 'Last updated: ' .. NOTE_DATE, '', 'See [gone](missing.md).' }, old_note)

--- The diagnostic codes of a buffer once `accept(codes)` holds, or the last ones seen.
local function codes_until(bufnr, accept)
  local codes
  vim.wait(TIMEOUT_MS, function()
    codes = {}
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      codes[tostring(diagnostic.code)] = diagnostic.message
    end
    return accept(codes)
  end, 50)
  return codes
end

local function stale(codes)
  return codes['stale-note'] ~= nil
end

local function diagnosed_fresh(codes)
  return codes['broken-link'] ~= nil and not stale(codes)
end

--- Opens the note with a fresh server and checks stale-note against `expect_stale`.
local function expect_note(expect_stale, why)
  bufnr = open(old_note)
  client = wait_client(bufnr)
  assert(client.root_dir == precedence_kb, 'root_dir: ' .. tostring(client.root_dir))
  if expect_stale then
    local codes = codes_until(bufnr, stale)
    assert(stale(codes), why .. '; diagnostics: ' .. vim.inspect(codes))
    assert(codes['stale-note']:find('more than the 20 days allowed', 1, true), codes['stale-note'])
  else
    local codes = codes_until(bufnr, diagnosed_fresh)
    assert(diagnosed_fresh(codes), why .. '; diagnostics: ' .. vim.inspect(codes))
  end
end

check('setup() without staleAfterDays: kbls.toml (20 days) wins over the built-in 180', function()
  stop_all()
  require('kbls').setup({ cmd = bin })
  expect_note(true, 'no stale-note: kbls.toml lost to a default')
  assert(vim.json.encode(client.config.init_options) == '{"kbls":{}}', vim.json.encode(client.config.init_options))
  assert(vim.deep_equal(client.settings, { kbls = {} }), vim.inspect(client.settings))
end)

check('setup() with staleAfterDays = 365: the user wins over kbls.toml', function()
  stop_all()
  require('kbls').setup({ cmd = bin, settings = { staleAfterDays = 365 } })
  expect_note(false, "stale-note: kbls.toml's 20 won over the user's 365")
  assert(vim.deep_equal(client.config.init_options, { kbls = { staleAfterDays = 365 } }), vim.inspect(client.config.init_options))
end)

check('setup() with settings = { kbls = { staleAfterDays = 365 } }, as the README writes it', function()
  stop_all()
  require('kbls').setup({ cmd = bin, settings = { kbls = { staleAfterDays = 365 } } })
  expect_note(false, "stale-note: kbls.toml's 20 won over the user's 365")
  assert(vim.deep_equal(client.config.init_options, { kbls = { staleAfterDays = 365 } }), vim.inspect(client.config.init_options))
end)

--- Replaces every override made with vim.lsp.config() (lsp/kbls.lua stays underneath) and
--- records the initializationOptions that lsp/kbls.lua's before_init sends.
local function config_0_11(settings)
  vim.lsp.config.kbls = {}
  local base = vim.lsp.config.kbls
  assert(base.before_init and base.settings == nil, 'lsp/kbls.lua must not carry settings: ' .. vim.inspect(base.settings))
  local sent = {}
  vim.lsp.config.kbls = {
    cmd = { bin, 'lsp' },
    settings = settings,
    before_init = function(params, config)
      base.before_init(params, config)
      sent.options = params.initializationOptions
    end,
  }
  vim.lsp.enable('kbls')
  return sent
end

check('vim.lsp.enable without settings: kbls.toml (20 days) wins over the built-in 180', function()
  stop_all()
  pcall(vim.api.nvim_del_augroup_by_name, 'kbls') -- setup()'s autocmd must not start a second client
  local sent = config_0_11(nil)
  expect_note(true, 'no stale-note: kbls.toml lost to a default')
  assert(vim.json.encode(sent.options) == '{"kbls":{}}', 'initializationOptions: ' .. vim.json.encode(sent.options))
  assert(next(client.settings) == nil, 'settings: ' .. vim.inspect(client.settings))
end)

check('a staleAfterDays the user sets on the running client wins over kbls.toml', function()
  -- What a Neovim user does to change a setting at run time: edit client.settings and notify.
  client.settings = { kbls = { staleAfterDays = 365 } }
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  -- Neovim pulls diagnostics on its own schedule (it ignores workspace/diagnostic/refresh), so pull.
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  local items
  vim.wait(TIMEOUT_MS, function()
    local reply = client:request_sync('textDocument/diagnostic', params, TIMEOUT_MS, bufnr)
    items = {}
    for _, diagnostic in ipairs(reply and reply.result and reply.result.items or {}) do
      items[diagnostic.code] = diagnostic.message
    end
    return diagnosed_fresh(items)
  end, 200)
  assert(diagnosed_fresh(items), "stale-note: kbls.toml's 20 won over the user's 365; " .. vim.inspect(items))
end)

check('vim.lsp.enable with staleAfterDays = 365: the user wins over kbls.toml', function()
  stop_all()
  local sent = config_0_11({ kbls = { staleAfterDays = 365 } })
  expect_note(false, "stale-note: kbls.toml's 20 won over the user's 365")
  assert(vim.deep_equal(sent.options, { kbls = { staleAfterDays = 365 } }), vim.inspect(sent.options))
  assert(vim.deep_equal(client.settings, { kbls = { staleAfterDays = 365 } }), vim.inspect(client.settings))
end)

stop_all()
vim.fn.delete(precedence_kb, 'rf')
io.stdout:write(('%d passed, 0 failed\n'):format(n_passed))
