# Shared set-up for scripts/serve and scripts/test (sourced, not run).
# Creates .venv with Python >= 3.11 and installs the project when pyproject.toml changed.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Motcua needs Python 3.11 or newer (apt-get install python3 python3-venv)." >&2
  return 1
}

# ensure_venv [extra]: the virtual environment, with the project installed (and its extras).
ensure_venv() {
  local extra=${1:-}
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  local stamp=".venv/.motcua-installed${extra:+-$extra}"
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Motcua${extra:+ with [$extra]} into .venv …"
    .venv/bin/python -m pip install --quiet -e ".${extra:+[$extra]}"
    echo "$want" >"$stamp"
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
