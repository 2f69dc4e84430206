# shellcheck shell=bash
# Sourced by scripts/demo and scripts/test: makes the virtualenv (once, or when the lock changes) and
# exposes this checkout to Ansible as the collection ncp.clouddb.
#
# NCP_DEPS=locked (the default): .venv holds exactly requirements-lock.txt, what was last tested.
# NCP_DEPS=latest (scripts/test --latest): .venv-latest is made anew from the ranges in
#   requirements-dev.txt and scripts/gates/requirements.txt, so it holds the newest releases they
#   allow today; the packages that differ from the lock are listed.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NCP_DEPS=${NCP_DEPS:-locked}
case "$NCP_DEPS" in
  locked)
    VENV="$ROOT/.venv"
    pip_args=(-r "$ROOT/requirements-lock.txt")
    want=$(sha256sum "$ROOT/requirements-lock.txt" | cut -d' ' -f1) ;;
  latest)
    VENV="$ROOT/.venv-latest"
    pip_args=(--upgrade -r "$ROOT/requirements-dev.txt" -r "$ROOT/scripts/gates/requirements.txt")
    want="latest $(date -u +%F)" ;;
  *)
    echo "scripts/env.sh: NCP_DEPS must be 'locked' or 'latest', not '$NCP_DEPS'" >&2
    false
    return ;;
esac
stamp="$VENV/.requirements.sha256"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Setting up $VENV ($NCP_DEPS packages, one time) ..." >&2
  # A new venv each time: pip install -r never removes a package the lock no longer names.
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${pip_args[@]}" \
      >"$VENV/pip-install.log" 2>&1; then
    grep -v "^WARNING: Location" "$VENV/pip-install.log" >&2
    echo "pip install failed; full log in $VENV/pip-install.log" >&2
    false
    return
  fi
  echo "$want" >"$stamp"
  if [ "$NCP_DEPS" = latest ]; then
    echo "Packages newer (or other) than requirements-lock.txt in $VENV:" >&2
    "$VENV/bin/python" "$ROOT/scripts/gates/checks.py" lock-drift "$ROOT/requirements-lock.txt" >&2 || true
  fi
fi
unset pip_args want stamp
# shellcheck disable=SC1091
. "$VENV/bin/activate"
# Ansible finds collections only below an ansible_collections/<namespace>/<name> folder.
if [ -n "${NCP_COLLECTIONS_PATH:-}" ]; then
  # An installed copy (scripts/test package: the built tarball, installed fresh) replaces this
  # checkout entirely: Ansible and Python see only that collections path.
  export ANSIBLE_COLLECTIONS_PATH="$NCP_COLLECTIONS_PATH"
  export PYTHONPATH="$NCP_COLLECTIONS_PATH"
else
  mkdir -p "$ROOT/collections/ansible_collections/ncp"
  ln -sfn "$ROOT" "$ROOT/collections/ansible_collections/ncp/clouddb"
  export ANSIBLE_COLLECTIONS_PATH="$ROOT/collections"
  export PYTHONPATH="$ROOT/collections${PYTHONPATH:+:$PYTHONPATH}"
fi
export ANSIBLE_HOME="$ROOT/.ansible"
