# shellcheck shell=bash
# Step "units": ansible-test units in its own virtualenvs (tests/unit/requirements.txt).
# pytest already runs these tests on the controller's Python in .venv; here they run isolated, on
# the oldest Python that ansible-test supports for modules and this machine has (module_utils tests
# only, as ansible-test does for that version): the Python a managed host may still have.
# GATES_UNITS_PYTHON="3.9 3.11" picks the versions, GATES_UNITS_PYTHON=all runs every one found.
step_units() {
  local stage log path rc=0 v versions controller oldest
  if ! find "$ROOT/tests/unit" -name 'test_*.py' 2>/dev/null | grep -q .; then
    gates_fail "no unit tests (tests/unit/**/test_*.py)"
    return 1
  fi
  bash "$ROOT/scripts/seed-ansible-test-pip" --python "$(command -v python)" | sed 's/^/    /' || return 1
  stage=$(gates_stage_collection "$GATES_WORK/units") || return 1
  path=$(gates_python_path "$GATES_WORK/units-bin") || return 1
  controller=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  oldest=$(gates_python_versions "$GATES_WORK/units-bin" | head -n 1)
  versions=${GATES_UNITS_PYTHON:-${oldest:-$controller}}
  log="$GATES_LOGS/units.log"
  : >"$log"
  if [ "$versions" = all ]; then
    gates_note "Python versions: $(gates_python_versions "$GATES_WORK/units-bin" | tr '\n' ' ')"
    (cd "$stage" && PATH="$path" ansible-test units --venv --color no "$@") >>"$log" 2>&1 || rc=$?
  else
    for v in $versions; do
      gates_note "ansible-test units --venv --python $v"
      (cd "$stage" && PATH="$path" ansible-test units --venv --python "$v" --color no "$@") >>"$log" 2>&1 || rc=$?
    done
  fi
  gates_quiet_pip <"$log" | grep -vE '^(Unit test |platform |rootdir: |configfile: |plugins: |created: |[0-9]+ workers |- generated xml|=+ test session starts)' |
    grep -vE '^\.+ *(\[ *[0-9]+%\])?$|^$' || true
  mkdir -p "$ROOT/tests/output"
  [ -d "$stage/tests/output" ] && cp -a "$stage/tests/output/." "$ROOT/tests/output/"
  gates_note "full log: ${log#"$ROOT"/}"
  return "$rc"
}
