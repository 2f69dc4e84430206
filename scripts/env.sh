# shellcheck shell=bash
# Sourced by scripts/demo and scripts/test: makes .venv (once, or when requirements change) and
# exposes this checkout to Ansible as the collection ncp.clouddb.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
stamp="$VENV/.requirements.sha256"
want=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Setting up $VENV (one time) ..." >&2
  python3 -m venv "$VENV"
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt" \
      >"$VENV/pip-install.log" 2>&1; then
    grep -v "^WARNING: Location" "$VENV/pip-install.log" >&2
    echo "pip install failed; full log in $VENV/pip-install.log" >&2
    false
    return
  fi
  echo "$want" >"$stamp"
fi
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
