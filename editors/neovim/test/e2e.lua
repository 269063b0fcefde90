-- End-to-end test of the Neovim plugin against the real server, in headless Neovim:
--   IPSECCONF_BIN=/path/to/ipsecconf nvim --headless -u NONE -i NONE \
--     --cmd 'set rtp^=editors/neovim' --cmd 'filetype plugin on' --cmd 'syntax on' \
--     -c 'luafile editors/neovim/test/e2e.lua'
-- Exits 0 when every check passes, 1 otherwise; prints one line per check.
--
-- What is expected comes from the fixture and from the `ipsecconf` CLI, never from
-- this file: hover must show what `ipsecconf explain` prints from ipsec.conf(5), and
-- formatting must give what `ipsecconf fmt` gives.

local bin = os.getenv('IPSECCONF_BIN')
local script_dir = debug.getinfo(1, 'S').source:sub(2):match('(.*)/')
local fixture = script_dir .. '/../../test_data/ipsec.conf'
local timeout = 20000

local passed, failed = 0, 0
-- Plain lines on stdout (print() in headless Neovim goes to stderr without newlines).
local function say(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    say('ok   ' .. name)
  else
    failed = failed + 1
    say('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

local function finish()
  say(('%d passed, %d failed'):format(passed, failed))
  vim.cmd(failed == 0 and passed > 0 and 'qall!' or 'cquit! 1')
end

local function run(cmd, input)
  local output = vim.fn.system(cmd, input)
  if vim.v.shell_error ~= 0 and vim.v.shell_error ~= 1 then
    error(('`%s` failed (%d): %s'):format(table.concat(cmd, ' '), vim.v.shell_error, output))
  end
  return output
end

-- The clients attached to a buffer (vim.lsp.get_clients is 0.10+, buf_get_clients is older).
local function clients_of(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.lsp.buf_get_clients(bufnr)
end

local function read_file(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

-- Position (0-based line, column) of the first match of `needle` in the buffer.
local function position_of(bufnr, needle)
  for line, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local column = text:find(needle, 1, true)
    if column then
      return line - 1, column - 1
    end
  end
  error('the fixture has no `' .. needle .. '`')
end

local function main()
  assert(bin and vim.fn.executable(bin) == 1, 'set IPSECCONF_BIN to the ipsecconf binary (got ' .. tostring(bin) .. ')')
  assert(vim.fn.filereadable(fixture) == 1, 'fixture missing: ' .. fixture)
  check('Neovim is 0.7 or later', vim.fn.has('nvim-0.7') == 1)

  -- A config tree in a temporary folder: ipsec.conf is detected by its name.
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir .. '/ipsec.d', 'p')
  local original = read_file(fixture)
  local conf = dir .. '/ipsec.conf'
  vim.fn.writefile(vim.split(original, '\n', { plain = true }), conf, 'b')

  require('ipsecconf').setup({
    cmd = { bin, 'lsp' },
    settings = { indent = 4, libreswanVersion = 'current', warnings = true },
    format_on_save = false,
  })

  vim.cmd('edit ' .. vim.fn.fnameescape(conf))
  local bufnr = vim.api.nvim_get_current_buf()
  check('ipsec.conf gets filetype ipsecconf', vim.bo[bufnr].filetype == 'ipsecconf', vim.bo[bufnr].filetype)
  check('the plugin\'s syntax is loaded', vim.b[bufnr].current_syntax == 'ipsecconf')
  check('commentstring is "# %s"', vim.bo[bufnr].commentstring == '# %s', vim.bo[bufnr].commentstring)
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/ipsec.d/extra.conf'))
  check('ipsec.d/*.conf gets filetype ipsecconf', vim.bo.filetype == 'ipsecconf', vim.bo.filetype)
  vim.cmd('buffer ' .. bufnr)

  -- Highlighting without the server (syntax/ipsecconf.vim): the group under each marked word.
  local syntax_cases = {
    { 'version 2', { version = 'ipsecconfVersion', ['2'] = 'ipsecconfNumber' } },
    { 'include /etc/ipsec.d/*.conf', { include = 'ipsecconfInclude', ['/etc'] = 'ipsecconfPath' } },
    { 'conn %default', { conn = 'ipsecconfSection', ['%default'] = 'ipsecconfDefault' } },
    { 'conn west # comment', { west = 'ipsecconfName', ['# comment'] = 'ipsecconfComment' } },
    {
      '\tleftsubnet=10.0.0.0/8 # c',
      { left = 'ipsecconfSide', subnet = 'ipsecconfKey', ['='] = 'ipsecconfEquals', ['10.0'] = 'ipsecconfAddress' },
    },
    { '\tright=%defaultroute', { right = 'ipsecconfSide', ['%defaultroute'] = 'ipsecconfMagic' } },
    { '\tauto=yes', { auto = 'ipsecconfKey', yes = 'ipsecconfBoolean' } },
    { '\tikelifetime=8h', { ['8h'] = 'ipsecconfNumber' } },
    { '\trightid="@x y"', { ['"@x y"'] = 'ipsecconfString' } },
    { '\trightid=a#b', { ['a#b'] = 'ipsecconfValue' } },
    { '\tx-note=a # b', { ['x-note'] = 'ipsecconfUserKey', ['# b'] = 'ipsecconfUserValue' } },
    { 'leftid=@outside', { leftid = 'ipsecconfStray' } },
  }
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/syntax.ipsec.conf'))
  check('*.ipsec.conf gets filetype ipsecconf', vim.bo.filetype == 'ipsecconf', vim.bo.filetype)
  local syntax_lines = vim.tbl_map(function(case)
    return (case[1]:gsub('\\t', '\t'))
  end, syntax_cases)
  vim.api.nvim_buf_set_lines(0, 0, -1, false, syntax_lines)
  local wrong = {}
  for line, case in ipairs(syntax_cases) do
    for word, group in pairs(case[2]) do
      local column = syntax_lines[line]:find(word, 1, true)
      local got = column and vim.fn.synIDattr(vim.fn.synID(line, column, 1), 'name') or 'word not found'
      if got ~= group then
        table.insert(wrong, ('%q in %q: %s, expected %s'):format(word, syntax_lines[line], got, group))
      end
    end
  end
  check('syntax groups without the server', #wrong == 0, table.concat(wrong, '; '))
  vim.cmd('buffer ' .. bufnr)

  local client_id = require('ipsecconf').client_id()
  check('the server started', client_id ~= nil)
  local attached = vim.wait(timeout, function()
    return next(clients_of(bufnr)) ~= nil and vim.lsp.get_client_by_id(client_id).initialized
  end, 50)
  check('the client attached and initialized', attached)

  -- Diagnostics: the fixture's `also=no-such-conn` names a conn that does not exist.
  local bad_line = position_of(bufnr, 'also=no-such-conn')
  local got_diagnostics = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  check('diagnostics arrive', got_diagnostics)
  local found = nil
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    if diagnostic.lnum == bad_line and diagnostic.message:find('no-such-conn', 1, true) then
      found = diagnostic
    end
  end
  check(
    'a diagnostic on the also=no-such-conn line names the missing conn',
    found ~= nil,
    vim.inspect(vim.diagnostic.get(bufnr))
  )
  check('it is an error', found ~= nil and found.severity == vim.diagnostic.severity.ERROR)

  -- Hover on a keyword shows its ipsec.conf(5) text, as `ipsecconf explain` prints it.
  local explained = run({ bin, 'explain', 'ikelifetime' })
  local man_sentence = explained:match('\n\n([^\n-][^\n]*)')
  check('ipsecconf explain gives the man page text', man_sentence ~= nil and #man_sentence > 40, explained)
  local hover_line, hover_column = position_of(bufnr, 'ikelifetime')
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = hover_line, character = hover_column + 3 },
  }, timeout)
  local hover_text = ''
  for _, response in pairs(hover or {}) do
    local contents = response.result and response.result.contents
    if type(contents) == 'table' then
      hover_text = hover_text .. (contents.value or table.concat(vim.tbl_map(function(c)
        return type(c) == 'table' and c.value or c
      end, contents), '\n'))
    end
  end
  check('hover names the keyword', hover_text:find('ikelifetime', 1, true) ~= nil, hover_text)
  check(
    'hover shows the man page text',
    man_sentence ~= nil and hover_text:find(man_sentence:sub(1, 60), 1, true) ~= nil,
    ('expected %q in %q'):format(tostring(man_sentence), hover_text)
  )

  -- Formatting through the server, with the `indent = 4` setting, matches the CLI formatter.
  local expected = run({ bin, 'fmt', '--indent-spaces', '4', '-' }, original)
  check('the fixture is not formatted yet', expected ~= original)
  local formatting = vim.lsp.buf_request_sync(bufnr, 'textDocument/formatting', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    options = { tabSize = 8, insertSpaces = false },
  }, timeout)
  local edits = nil
  for _, response in pairs(formatting or {}) do
    edits = edits or response.result
    if response.err then
      check('formatting answers', false, vim.inspect(response.err))
    end
  end
  check('formatting returns edits', edits ~= nil and #edits > 0, vim.inspect(formatting))
  if edits then
    vim.lsp.util.apply_text_edits(edits, bufnr, vim.lsp.get_client_by_id(client_id).offset_encoding)
  end
  check('formatted text equals `ipsecconf fmt --indent-spaces 4`', buffer_text(bufnr) == expected, buffer_text(bufnr))

  -- Format on save: a second file, written from an unformatted buffer.
  require('ipsecconf').setup({
    cmd = { bin, 'lsp' },
    settings = { indent = 'tab' },
    format_on_save = true,
  })
  local saved = dir .. '/ipsec.d/saved.conf'
  vim.cmd('edit ' .. vim.fn.fnameescape(saved))
  local saved_buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(saved_buf, 0, -1, false, vim.split(original:gsub('\n$', ''), '\n', { plain = true }))
  vim.wait(timeout, function()
    return next(clients_of(saved_buf)) ~= nil
  end, 50)
  -- The settings change (indent back to a tab) reaches the running server.
  require('ipsecconf').update_settings({ indent = 'tab' })
  vim.cmd('silent write')
  local on_disk = read_file(saved)
  local expected_tab = run({ bin, 'fmt', '-' }, original)
  check('format on save writes `ipsecconf fmt` output', on_disk == expected_tab, on_disk)

  vim.lsp.stop_client(require('ipsecconf').client_id())
  vim.wait(timeout, function()
    return require('ipsecconf').client_id() == nil
  end, 50)

  -- A missing binary: one clear message, no client, no error.
  local messages = {}
  local original_notify = vim.notify
  vim.notify = function(message, level)
    table.insert(messages, { message = message, level = level })
  end
  require('ipsecconf').setup({ cmd = { dir .. '/no-such-ipsecconf', 'lsp' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/ipsec.d/third.conf'))
  vim.notify = original_notify
  check('a missing binary starts no client', require('ipsecconf').client_id() == nil)
  check(
    'a missing binary gets one clear error message',
    #messages == 1
      and messages[1].level == vim.log.levels.ERROR
      and messages[1].message:find('cannot find the language server', 1, true) ~= nil,
    vim.inspect(messages)
  )

  vim.fn.delete(dir, 'rf')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  check('the test ran to its end', false, err)
end
finish()
