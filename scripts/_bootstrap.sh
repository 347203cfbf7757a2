# Sourced by scripts/run, scripts/test and scripts/gen: installs what is missing, fast when
# nothing changed (stamps hold the hash of the files that decide what gets installed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export RUFF_NO_CACHE=true
export PIP_DISABLE_PIP_VERSION_CHECK=1

_hash() { cat "$@" | sha256sum | cut -c1-16; }

ensure_python() {  # ensure_python "" | "dev"
  local extra="${1:-}" spec="." stamp
  [ -n "$extra" ] && spec=".[$extra]"
  if [ ! -x .venv/bin/python ]; then
    local py; py="$(command -v python3.11 || command -v python3)"
    echo "creating the Python environment in .venv ($("$py" --version))..." >&2
    "$py" -m venv .venv
  fi
  stamp=".venv/.stamp-${extra:-base}-$(_hash pyproject.toml requirements.lock)"
  if [ ! -f "$stamp" ]; then
    local started=$SECONDS
    echo "installing Python dependencies ($spec, pinned by requirements.lock; the first time takes a few minutes)..." >&2
    .venv/bin/python -m pip install -q -c requirements.lock -e "$spec" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
    .venv/bin/python -c "import fastapi, docx, server" >/dev/null
    rm -f .venv/.stamp-"${extra:-base}"-*
    touch "$stamp"
    echo "Python dependencies installed ($((SECONDS - started)) s)." >&2
  fi
}

ensure_node() {
  local stamp; stamp="node_modules/.stamp-$(_hash package.json package-lock.json)"
  if [ ! -f "$stamp" ]; then
    local started=$SECONDS
    echo "installing npm dependencies (npm ci: TypeScript and the test tools)..." >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
    touch "$stamp"
    echo "npm dependencies installed ($((SECONDS - started)) s)." >&2
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests (apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
  fi
}

ensure_libreoffice() {  # the Word working paper's test converts it to PDF with LibreOffice
  if ! command -v libreoffice >/dev/null 2>&1 && ! command -v soffice >/dev/null 2>&1; then
    echo "installing Debian's LibreOffice Writer (headless)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >&2 \
      || apt-get install -y -qq --no-install-recommends libreoffice-writer >&2
  fi
}
