-- Starts `ipsecconf lsp` for Libreswan ipsec.conf buffers (filetype `ipsecconf`).
-- Works on Neovim 0.7 and later: vim.lsp.start_client + buf_attach_client on 0.7
-- (vim.lsp.start only exists from 0.8, and start_client is deprecated from 0.11).
--
--   require('ipsecconf').setup({
--     cmd = { 'ipsecconf', 'lsp' },
--     settings = { rootDir = nil, indent = 'tab', libreswanVersion = '4', warnings = true },
--     format_on_save = true,
--   })

local M = {}

local defaults = {
  -- The server command: the `ipsecconf` binary (a path, or a name on PATH) and `lsp`.
  cmd = { 'ipsecconf', 'lsp' },
  -- Passed as initializationOptions and workspace/didChangeConfiguration {settings = {ipsecconf = …}}.
  -- rootDir: folder absolute includes are taken below; indent: 'tab' or 1-16 spaces;
  -- libreswanVersion: '3.20', '4' or 'current'; warnings: report warnings as well as errors.
  settings = {},
  -- Format the buffer through the server before each :write.
  format_on_save = false,
  -- Milliseconds to wait for the server when formatting on save.
  format_timeout_ms = 2000,
  -- Called as on_attach(client, bufnr) for each ipsecconf buffer.
  on_attach = nil,
  -- Client capabilities (e.g. from cmp_nvim_lsp); Neovim's defaults when nil.
  capabilities = nil,
}

local config = vim.deepcopy(defaults)
local client_id = nil
local warned_missing = false

-- Client methods take `self` from 0.11 on (`client:notify(…)`); 0.7-0.10 use `client.notify(…)`.
local methods_take_self = vim.fn.has('nvim-0.11') == 1
local function call(client, method, ...)
  if methods_take_self then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function notify(message, level)
  vim.notify('ipsecconf: ' .. message, level or vim.log.levels.INFO)
end

-- The folder of the nearest ipsec.conf above the buffer's file, else the file's own folder.
local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local found = vim.fn.findfile('ipsec.conf', dir .. ';')
  if found ~= '' then
    return vim.fn.fnamemodify(found, ':p:h')
  end
  return dir
end

local function running_client()
  if client_id == nil then
    return nil
  end
  local client = vim.lsp.get_client_by_id(client_id)
  if client == nil or call(client, 'is_stopped') then
    client_id = nil
    return nil
  end
  return client
end

-- Formats `bufnr` through the server, synchronously (for BufWritePre). One path for every
-- version: vim.lsp.buf.format is 0.8+, and 0.7's formatting_sync only knows the current buffer.
local function format_buffer(bufnr)
  local client = running_client()
  if client == nil then
    return
  end
  local params = vim.lsp.util.make_formatting_params({})
  params.textDocument = { uri = vim.uri_from_bufnr(bufnr) }
  local response, err = call(client, 'request_sync', 'textDocument/formatting', params, config.format_timeout_ms, bufnr)
  if response == nil then
    notify('formatting failed: ' .. tostring(err), vim.log.levels.WARN)
  elseif response.err then
    notify('formatting failed: ' .. tostring(response.err.message), vim.log.levels.WARN)
  elseif response.result then
    vim.lsp.util.apply_text_edits(response.result, bufnr, client.offset_encoding or 'utf-16')
  end
end

local function on_attach(client, bufnr)
  -- Cleared on every attach, so a later setup() without format_on_save turns it off.
  local group = vim.api.nvim_create_augroup('ipsecconf_format_' .. bufnr, { clear = true })
  if config.format_on_save then
    vim.api.nvim_create_autocmd('BufWritePre', {
      group = group,
      buffer = bufnr,
      desc = 'ipsecconf: format on save',
      callback = function()
        format_buffer(bufnr)
      end,
    })
  end
  if config.on_attach then
    config.on_attach(client, bufnr)
  end
end

local function start(bufnr)
  local program = config.cmd[1]
  if vim.fn.executable(program) ~= 1 then
    if not warned_missing then
      warned_missing = true
      notify(
        ('cannot find the language server `%s`. Install it (`cargo install --path crates/cli` in the '
          .. 'ipsecconf repository) or pass its path: require("ipsecconf").setup({ cmd = { "/path/to/ipsecconf", "lsp" } })'):format(
          program
        ),
        vim.log.levels.ERROR
      )
    end
    return nil
  end
  local client_config = {
    name = 'ipsecconf',
    cmd = config.cmd,
    root_dir = root_dir(bufnr),
    init_options = config.settings,
    -- Neovim sends these as workspace/didChangeConfiguration after initialize.
    settings = { ipsecconf = config.settings },
    capabilities = config.capabilities,
    on_attach = on_attach,
  }
  if vim.lsp.start then
    -- 0.8+: starts and attaches `bufnr`; one client serves every buffer (see M.attach).
    return vim.lsp.start(client_config, { bufnr = bufnr })
  end
  local id = vim.lsp.start_client(client_config)
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Attaches the server to `bufnr` (default: the current buffer), starting it when needed.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if running_client() then
    vim.lsp.buf_attach_client(bufnr, client_id)
  else
    client_id = start(bufnr)
  end
  return client_id
end

--- The id of the running client, or nil.
function M.client_id()
  return running_client() and client_id or nil
end

--- Changes settings of the running server (and of servers started later).
function M.update_settings(settings)
  config.settings = vim.tbl_deep_extend('force', config.settings, settings or {})
  local client = running_client()
  if client then
    call(client, 'notify', 'workspace/didChangeConfiguration', { settings = { ipsecconf = config.settings } })
  end
end

--- Attaches every loaded ipsecconf buffer (after a restart, or opened before setup()).
local function attach_open_buffers()
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'ipsecconf' then
      M.attach(bufnr)
    end
  end
end

--- Stops the server and starts it again for every ipsecconf buffer.
function M.restart()
  local client = running_client()
  client_id = nil
  if client then
    call(client, 'stop')
  end
  attach_open_buffers()
end

function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if type(config.cmd) == 'string' then
    config.cmd = { config.cmd, 'lsp' }
  end
  warned_missing = false

  local group = vim.api.nvim_create_augroup('ipsecconf', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'ipsecconf',
    desc = 'ipsecconf: start the language server',
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  vim.api.nvim_create_user_command('IpsecconfRestart', M.restart, { desc = 'Restart the ipsecconf language server' })

  -- Buffers opened before setup() ran.
  attach_open_buffers()
end

return M
