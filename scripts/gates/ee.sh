# shellcheck shell=bash
# Step "ee": meta/execution-environment.yml is valid and what ansible-builder reads from the
# *installed* collection, and ansible-builder create makes a build context for an execution
# environment holding this collection (offline: create writes files, it pulls no image).
step_ee() {
  local tarball installed coll rc=0 ctx="$GATES_WORK/ee"
  python "$ROOT/scripts/gates/checks.py" ee-meta "$ROOT" >/dev/null || return 1
  tarball=$(gates_tarball) || { gates_fail "ansible-galaxy collection build"; return 1; }
  installed="$GATES_WORK/ee-installed"
  coll=$(gates_install "$tarball" "$installed") || return 1
  ansible-builder introspect --sanitize "$installed" >"$GATES_WORK/introspect.yml" 2>"$GATES_WORK/introspect.err" || {
    gates_fail "ansible-builder introspect:"; cat "$GATES_WORK/introspect.err" >&2; return 1; }
  if grep -q "Expected requirements file not present" "$GATES_WORK/introspect.yml" "$GATES_WORK/introspect.err"; then
    gates_fail "ansible-builder introspect: $(grep -h 'Expected requirements file not present' "$GATES_WORK"/introspect.*)"
    rc=1
  fi
  python "$ROOT/scripts/gates/checks.py" introspect "$GATES_WORK/introspect.yml" "$coll" || rc=1
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp "$tarball" "$ctx/"
  cat >"$ctx/execution-environment.yml" <<YAML
---
# An execution environment with $GATES_NS.$GATES_NAME installed from the tarball just built.
version: 3
images:
  base_image:
    name: quay.io/ansible/awx-ee:latest
dependencies:
  ansible_core:
    package_pip: ansible-core>=2.16
  ansible_runner:
    package_pip: ansible-runner
  galaxy:
    collections:
      - name: $(basename "$tarball")
        type: file
additional_build_files:
  - src: $(basename "$tarball")
    dest: .
YAML
  (cd "$ctx" && ansible-builder create -f execution-environment.yml -c context --output-filename Containerfile) \
    >"$ctx/create.log" 2>&1 || { gates_fail "ansible-builder create:"; sed 's/^/      /' "$ctx/create.log" >&2; return 1; }
  for f in context/Containerfile context/_build/requirements.yml "context/_build/$(basename "$tarball")"; do
    [ -f "$ctx/$f" ] || { gates_fail "ansible-builder create did not write $f"; rc=1; }
  done
  gates_note "ansible-builder create: $(tail -n 1 "$ctx/create.log")"
  return "$rc"
}
