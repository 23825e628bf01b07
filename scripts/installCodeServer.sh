#!/usr/bin/env bash
# Installs code-server (a real VS Code in a browser, for the e2e tests and `npm run try`) into a
# cache folder outside the project's node_modules, so `npm ci` for the unit tests stays fast.
# Idempotent: a second run only prints the binary's path. Recipe: shared/docs/TESTING-REAL-PARTS.md.
#   TINYML_CACHE  cache root (default ~/.cache/tinyml-lens); code-server goes to $TINYML_CACHE/code-server-<version>
# Prints the path of the code-server binary on the last line of stdout; progress goes to stderr.
set -euo pipefail

VERSION=4.100.3 # the newest code-server (VS Code 1.100.3) that accepts Node 20
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11 # the folder @vscode/ripgrep 1.15.11's postinstall looks in
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

cache_root=${TINYML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tinyml-lens}
dir=$cache_root/code-server-$VERSION
bin=$dir/node_modules/.bin/code-server
log() { echo "installCodeServer: $*" >&2; }

if [ -x "$bin" ] && [ -f "$dir/.installed" ]; then
  echo "$bin"
  exit 0
fi

need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev) # kerberos headers for a native module
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need[*]} (install them as root, then run again)"
    exit 1
  fi
  log "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

mkdir -p "$dir"
# @vscode/ripgrep's postinstall downloads rg from a host that is not reachable: pre-seed its
# download cache (under $TMPDIR) with Debian's rg so that it unpacks that instead.
tmp=$dir/.tmp
rg_cache=$tmp/$RIPGREP_CACHE
mkdir -p "$rg_cache"
[ -f "$rg_cache/$RIPGREP_ASSET" ] || tar czf "$rg_cache/$RIPGREP_ASSET" -C "$(dirname "$(command -v rg)")" rg

log "installing code-server@$VERSION into $dir (about 1.5 minutes cold)"
[ -f "$dir/package.json" ] || echo '{ "name": "tinyml-lens-code-server", "private": true }' >"$dir/package.json"
# unsafe_perm: code-server's postinstall checks it when run as root; yes: a nested `npx node-gyp` would prompt.
(
  cd "$dir"
  TMPDIR=$tmp npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$VERSION" >&2
)
if [ ! -x "$bin" ]; then
  log "code-server was not installed: $bin is missing"
  exit 1
fi
"$bin" --version >/dev/null
touch "$dir/.installed"
log "done"
echo "$bin"
