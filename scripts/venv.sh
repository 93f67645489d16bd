# Shared by scripts/demo and scripts/test: a project-local virtualenv with the project installed.
ensure_venv() {
  local extras="$1"
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (python3 is $(python3 --version 2>&1))" >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$extras"
}
