-- A second LSP client: headless Neovim (0.7+) starts the built tinyml server over stdio, attaches
-- it to the current buffer, waits for diagnostics and prints one DIAG line per diagnostic.
-- Run: TINYML_SERVER=server.js TINYML_ROOT=dir nvim --headless --clean -n FILE -c 'luafile check.lua'
-- Exit code: 0 when diagnostics arrived, 1 when none did within the wait.

local server = assert(os.getenv('TINYML_SERVER'), 'TINYML_SERVER is not set')
local root = assert(os.getenv('TINYML_ROOT'), 'TINYML_ROOT is not set')
local board = os.getenv('TINYML_BOARD') or 'nucleo-l4r5zi'
local wait_ms = tonumber(os.getenv('TINYML_WAIT_MS') or '20000')

local function out(line)
  io.stdout:write(line .. '\n')
end

local client_id = vim.lsp.start_client({
  name = 'tinyml',
  cmd = { os.getenv('TINYML_NODE') or 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'root' } },
  settings = { tinyml = { board = board } },
})
if not client_id then
  out('ERROR could not start the server')
  vim.cmd('cq!')
end
vim.lsp.buf_attach_client(0, client_id)

local arrived = vim.wait(wait_ms, function()
  return #vim.diagnostic.get(0) > 0
end, 50)

for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = (d.user_data or {}).lsp or {}
  out(string.format('DIAG %d:%d-%d:%d severity=%d source=%s code=%s message=%s', d.lnum, d.col, d.end_lnum or -1,
    d.end_col or -1, d.severity, tostring(d.source), tostring(d.code or lsp.code), (d.message:gsub('\n', ' '))))
end

vim.lsp.stop_client(client_id)
if arrived then
  vim.cmd('qa!')
else
  out('ERROR no diagnostics within ' .. wait_ms .. ' ms')
  vim.cmd('cq!')
end
