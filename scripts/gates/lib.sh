# shellcheck shell=bash
# Helpers shared by the steps of scripts/test (sourced; expects ROOT, GATES_WORK and an active .venv).

gates_note() { printf '    %s\n' "$*"; }
gates_fail() { printf '    FAIL: %s\n' "$*" >&2; }

# The collection's namespace, name and version, from galaxy.yml.
gates_galaxy() {
  python - "$ROOT/galaxy.yml" <<'PY'
import sys
import yaml
with open(sys.argv[1]) as handle:
    meta = yaml.safe_load(handle)
print(meta['namespace'], meta['name'], meta['version'])
PY
}
read -r GATES_NS GATES_NAME GATES_VERSION < <(gates_galaxy)
export GATES_NS GATES_NAME GATES_VERSION

# The files a fresh clone of this working tree would have: tracked and untracked-but-not-ignored
# files that exist (git), or, outside a git checkout, everything but the usual generated folders.
gates_list_files() {
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do
        if [ -e "$ROOT/$f" ] || [ -L "$ROOT/$f" ]; then printf '%s\0' "$f"; fi
      done
  else
    (cd "$ROOT" && find . \( -name .git -o -name .venv -o -name .ansible -o -name collections \
        -o -name __pycache__ -o -name .pytest_cache -o -path ./tests/output \) -prune -o \
        \( -type f -o -type l \) -printf '%P\0')
  fi
}

# Copy the collection into DEST/ansible_collections/<ns>/<name> and print that path. ansible-test
# needs that layout and resolves symlinks, so the repo's symlink tree (collections/) will not do.
gates_stage_collection() {
  local dest="$1/ansible_collections/$GATES_NS/$GATES_NAME"
  rm -rf "$dest"
  mkdir -p "$dest"
  gates_list_files | tar -C "$ROOT" --null -T - -cf - | tar -C "$dest" -xf -
  printf '%s\n' "$dest"
}

# ansible-test runs compile, import and unit tests for every Python version it supports that it
# finds on PATH as pythonX.Y. Some machines have pyenv shims there that answer "command not found"
# for versions that pyenv has installed but not selected, and ansible-test fails on them rather
# than skipping. Make DIR hold a link to one working interpreter per supported version (found on
# PATH, as a pyenv version, or in /usr/bin and /usr/local/bin) and print the PATH to use: DIR first,
# pyenv shim folders dropped. Versions not found anywhere are skipped by ansible-test.
gates_python_path() {
  local dir=$1 versions v cand exe pyenv_root
  mkdir -p "$dir"
  pyenv_root=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}
  versions=$(python -c 'from ansible_test._internal.constants import SUPPORTED_PYTHON_VERSIONS as v; print(" ".join(v))')
  for v in $versions; do
    for cand in "$(command -v "python$v" 2>/dev/null)" \
        "$pyenv_root"/versions/"$v".*/bin/"python$v" \
        "/usr/local/bin/python$v" "/usr/bin/python$v"; do
      [ -n "$cand" ] && [ -x "$cand" ] || continue
      exe=$("$cand" -c 'import sys; print(sys.executable)' 2>/dev/null) || continue
      [ -n "$exe" ] || continue
      ln -sfn "$exe" "$dir/python$v"
      break
    done
  done
  local path_out="$dir" entry
  local IFS=:
  for entry in $PATH; do
    case "$entry" in */shims) continue ;; esac
    path_out="$path_out:$entry"
  done
  printf '%s\n' "$path_out"
}

# Build the collection tarball once per run into $GATES_WORK/dist and print its path.
gates_tarball() {
  local dist="$GATES_WORK/dist"
  local tarball="$dist/$GATES_NS-$GATES_NAME-$GATES_VERSION.tar.gz"
  if [ ! -f "$tarball" ]; then
    mkdir -p "$dist"
    (cd "$ROOT" && ansible-galaxy collection build --force --output-path "$dist" . >"$dist/build.log" 2>&1) || {
      cat "$dist/build.log" >&2
      return 1
    }
    if grep -q 'WARNING' "$dist/build.log"; then
      cat "$dist/build.log" >&2
      gates_fail "ansible-galaxy collection build warned (see above)"
      return 1
    fi
  fi
  printf '%s\n' "$tarball"
}

# Install TARBALL into a new, empty collections path DEST (without dependencies: galaxy.yml has
# none and the registries Galaxy would ask are out of reach) and print the installed folder.
gates_install() {
  local tarball=$1 dest=$2
  rm -rf "$dest"
  mkdir -p "$dest"
  # PYTHONPATH (scripts/env.sh) would show ansible-galaxy the repo's copy as already installed.
  env -u PYTHONPATH ANSIBLE_COLLECTIONS_PATH="$dest" \
    ansible-galaxy collection install --no-deps --force -p "$dest" "$tarball" \
    >"$dest.install.log" 2>&1 || { cat "$dest.install.log" >&2; return 1; }
  if [ ! -f "$dest/ansible_collections/$GATES_NS/$GATES_NAME/MANIFEST.json" ]; then
    cat "$dest.install.log" >&2
    gates_fail "install did not produce $dest/ansible_collections/$GATES_NS/$GATES_NAME"
    return 1
  fi
  printf '%s\n' "$dest/ansible_collections/$GATES_NS/$GATES_NAME"
}

# Drop the routine noise of pip installs from ansible-test's output (the full log is kept).
gates_quiet_pip() {
  grep -vE '^\s*(Looking in (indexes|links)|WARNING: Location|Collecting |Downloading |Processing |Installing collected|Successfully (installed|uninstalled)|Attempting uninstall|Found existing installation|Uninstalling |Requirement already|Using cached |Obtaining |Preparing metadata|Building wheel|Created wheel|Stored in directory|Getting requirements|Installing build dependencies|Building wheels|Installing backend|Running command|━)' |
    grep -v '━' || true
}

# The pythonX.Y versions gates_python_path linked into DIR, oldest first.
gates_python_versions() {
  local f
  for f in "$1"/python*; do
    [ -e "$f" ] && printf '%s\n' "${f##*/python}"
  done | sort -V
}
