# Shared set-up for scripts/serve and scripts/test (sourced, not run).
# Creates .venv with Python >= 3.11 and installs the locked dependencies (requirements/) and
# the project when the lock or pyproject.toml changed.

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

# ensure_venv [extra]: the virtual environment, with the locked dependencies and the project.
# serve installs requirements/runtime.txt, test requirements/test.txt (runtime + the test
# extra), both written by scripts/lock with a hash for every file: pip refuses anything else,
# so every install runs the same code. They are installed again when the lock or
# pyproject.toml changes. pyproject.toml keeps ranges for whoever embeds the package.
ensure_venv() {
  local extra=${1:-}
  local lock="requirements/${extra:-runtime}.txt"
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
  fi
  local stamp=".venv/.motcua-installed${extra:+-$extra}"
  local want
  want=$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Motcua's locked dependencies ($lock) into .venv …"
    # pip and setuptools are in the lock too: the project itself is then installed without
    # an isolated build environment, so nothing unhashed is downloaded.
    .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
    .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
    local problems
    if ! problems=$(.venv/bin/python -m pip check 2>&1); then
      echo "$problems" >&2
      echo "The lock does not satisfy pyproject.toml (a dependency was added or changed):" >&2
      echo "run scripts/lock and commit requirements/." >&2
      return 1
    fi
    echo "$want" >"$stamp"
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
