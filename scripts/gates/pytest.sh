# shellcheck shell=bash
# Step "pytest": the whole pytest suite as pytest.ini configures it (unit, simulator, e2e tests).
step_pytest() {
  local rc=0
  (cd "$ROOT" && python -m pytest) || rc=$?
  case $rc in
    0) return 0 ;;
    5) gates_fail "pytest collected no tests (exit code 5)"; return 1 ;;
    *) gates_fail "pytest exited with code $rc"; return 1 ;;
  esac
}
