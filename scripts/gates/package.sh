# shellcheck shell=bash
# Step "package": build the tarball, check what is (and is not) in it, install it into a fresh
# collections path, verify the installed files against the tarball's manifest, and run the main
# job (scripts/demo) against the installed copy only.
step_package() {
  local tarball installed coll rc=0 log="$GATES_LOGS/package-demo.log"
  tarball=$(gates_tarball) || { gates_fail "ansible-galaxy collection build"; return 1; }
  gates_note "built ${tarball#"$GATES_WORK"/}"
  gates_list_files | python "$ROOT/scripts/gates/checks.py" tarball "$tarball" "$ROOT" || rc=1
  installed="$GATES_WORK/installed"
  coll=$(gates_install "$tarball" "$installed") || { gates_fail "ansible-galaxy collection install"; return 1; }
  gates_note "installed into a fresh collections path: ${coll#"$GATES_WORK"/}"
  env -u PYTHONPATH ANSIBLE_COLLECTIONS_PATH="$installed" ansible-galaxy collection verify --offline -p "$installed" \
    "$GATES_NS.$GATES_NAME" >"$GATES_WORK/verify.log" 2>&1 || {
    gates_fail "ansible-galaxy collection verify --offline:"; sed 's/^/      /' "$GATES_WORK/verify.log" >&2; rc=1; }
  if [ ! -f "$ROOT/scripts/demo" ]; then
    gates_fail "scripts/demo (the README's main job) is missing"
    return 1
  fi
  # The demo gets only the installed copy: NCP_COLLECTIONS_PATH makes scripts/env.sh use it instead
  # of the repo's symlink tree, and the variables this run exported for the git tree are dropped.
  gates_note "scripts/demo with NCP_COLLECTIONS_PATH=${installed#"$GATES_WORK"/} (log: ${log#"$ROOT"/})"
  if (cd "$GATES_WORK" && env -u PYTHONPATH -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_COLLECTIONS_PATHS \
      NCP_COLLECTIONS_PATH="$installed" bash "$ROOT/scripts/demo" </dev/null >"$log" 2>&1); then
    tail -n 15 "$log" | sed 's/^/      /'
  else
    gates_fail "scripts/demo failed against the installed collection; last lines of its log:"
    tail -n 40 "$log" | sed 's/^/      /' >&2
    rc=1
  fi
  # Content of the git tree must not show up in the demo's output (module, role and playbook
  # paths, the simulator's scenario): everything has to come from the installed copy.
  if grep -nE "$ROOT/(collections|plugins|roles|playbooks|tests|meta)/" "$log" | head -n 5 | sed 's/^/      /' | grep .; then
    gates_fail "the demo used files of the git tree (above), not only the installed copy"
    rc=1
  fi
  return "$rc"
}
