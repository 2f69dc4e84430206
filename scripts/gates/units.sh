# shellcheck shell=bash
# Step "units": ansible-test units in its own virtualenvs (tests/unit/requirements.txt), on every
# Python version that ansible-test supports and this machine has.
step_units() {
  local stage log path rc=0
  if ! find "$ROOT/tests/unit" -name 'test_*.py' 2>/dev/null | grep -q .; then
    gates_fail "no unit tests (tests/unit/**/test_*.py)"
    return 1
  fi
  bash "$ROOT/scripts/seed-ansible-test-pip" --python "$(command -v python)" | sed 's/^/    /' || return 1
  stage=$(gates_stage_collection "$GATES_WORK/units") || return 1
  path=$(gates_python_path "$GATES_WORK/units-bin") || return 1
  log="$GATES_LOGS/units.log"
  (cd "$stage" && PATH="$path" ansible-test units --venv --color no "$@") >"$log" 2>&1 || rc=$?
  gates_quiet_pip <"$log"
  mkdir -p "$ROOT/tests/output"
  [ -d "$stage/tests/output" ] && cp -a "$stage/tests/output/." "$ROOT/tests/output/"
  gates_note "full log: ${log#"$ROOT"/}"
  return "$rc"
}
