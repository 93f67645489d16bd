# Shared by scripts/demo, scripts/test and scripts/reset: a project-local virtualenv installed
# from requirements/dev.lock (pinned, hashed). A stamp holding the hash of the lock and of
# pyproject.toml marks a .venv that already matches, so later runs install nothing and work
# without a package index.
ensure_venv() {
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (python3 is $(python3 --version 2>&1))" >&2
    exit 1
  fi
  local stamp=.venv/.lock-stamp want
  want=$(cat requirements/dev.lock pyproject.toml | python3 -c \
    'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" --require-hashes --no-deps -r requirements/dev.lock
  # The project itself, editable, built by the locked setuptools: no index needed for it.
  "${pip[@]}" --no-deps --no-build-isolation -e .
  echo "$want" >"$stamp"
}
