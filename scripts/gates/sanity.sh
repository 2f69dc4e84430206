# shellcheck shell=bash
# Step "sanity": ansible-test sanity over a copy of the collection, on every Python version that
# ansible-test supports and this machine has, with no ignore entries allowed.
step_sanity() {
  local stage log path rc=0
  python "$ROOT/scripts/gates/checks.py" sanity-ignores "$ROOT" || return 1
  bash "$ROOT/scripts/seed-ansible-test-pip" --python "$(command -v python)" | sed 's/^/    /' || return 1
  stage=$(gates_stage_collection "$GATES_WORK/sanity") || return 1
  path=$(gates_python_path "$GATES_WORK/sanity-bin") || return 1
  gates_note "Python versions found: $(gates_python_versions "$GATES_WORK/sanity-bin" | tr '\n' ' ')"
  log="$GATES_LOGS/sanity.log"
  (cd "$stage" && PATH="$path" ansible-test sanity --local --color no "$@") >"$log" 2>&1 || rc=$?
  gates_quiet_pip <"$log"
  mkdir -p "$ROOT/tests/output"
  [ -d "$stage/tests/output" ] && cp -a "$stage/tests/output/." "$ROOT/tests/output/"
  if grep -qE 'Required program ".*" not found|Skipping sanity test' "$log"; then
    gates_fail "a sanity test was skipped for a missing tool (see above); install it (scripts/gates/requirements.txt)"
    [ "$rc" != 0 ] || rc=1
  fi
  gates_note "full log: ${log#"$ROOT"/}"
  return "$rc"
}
