# shellcheck shell=bash
# Step "docs": ansible-doc renders every module of plugins/modules and every inventory plugin of
# plugins/inventory by FQCN without an error or a warning about them (a Python warning that a
# third-party package raises on import is shown, not failed: checks.py doc-stderr), `ansible-doc --list` lists exactly those
# plugins of each type, and antsibull-docs finds nothing wrong in the docs.
step_docs() {
  local rc=0
  docs_check_type module "$ROOT/plugins/modules" required || rc=1
  docs_check_type inventory "$ROOT/plugins/inventory" optional || rc=1
  gates_note "antsibull-docs lint-collection-docs --plugin-docs ."
  (cd "$ROOT" && antsibull-docs lint-collection-docs --plugin-docs .) || {
    gates_fail "antsibull-docs lint-collection-docs reported problems"
    rc=1
  }
  return "$rc"
}

# docs_check_type TYPE FOLDER required|optional: every FOLDER/*.py (but __init__.py) renders with
# `ansible-doc -t TYPE`, and `ansible-doc -t TYPE --list` lists exactly those.
docs_check_type() {
  local type=$1 folder=$2 need=$3 rc=0 path plugin fqcn out err listed expected title
  local dir="$GATES_WORK/docs/$type"
  mkdir -p "$dir"
  title=$(printf '%s' "$type" | tr '[:lower:]' '[:upper:]')
  expected=$(for path in "$folder"/*.py; do
      plugin=${path##*/}
      [ -f "$path" ] && [ "$plugin" != __init__.py ] && printf '%s\n' "${plugin%.py}"
    done | sort)
  if [ -z "$expected" ]; then
    if [ "$need" = required ]; then
      gates_fail "no $type plugins in ${folder#"$ROOT"/}"
      return 1
    fi
    gates_note "no $type plugins in ${folder#"$ROOT"/}"
    return 0
  fi
  for plugin in $expected; do
    fqcn="$GATES_NS.$GATES_NAME.$plugin"
    out="$dir/$plugin.txt"
    err="$dir/$plugin.err"
    if ! ANSIBLE_NOCOLOR=1 ansible-doc -t "$type" "$fqcn" >"$out" 2>"$err"; then
      gates_fail "ansible-doc -t $type $fqcn failed:"; sed 's/^/      /' "$err" "$out" >&2
      rc=1
    elif ! python "${BASH_SOURCE[0]%/*}/checks.py" doc-stderr "$err" "$ROOT"; then
      gates_fail "ansible-doc -t $type $fqcn printed warnings or errors (above)"
      rc=1
    elif ! grep -q "^> $title $fqcn" "$out"; then
      gates_fail "ansible-doc -t $type $fqcn rendered no $type page:"; head -5 "$out" | sed 's/^/      /' >&2
      rc=1
    else
      gates_note "ansible-doc -t $type $fqcn: $(wc -l <"$out") lines"
    fi
  done
  listed=$(ANSIBLE_NOCOLOR=1 ansible-doc -t "$type" --list "$GATES_NS.$GATES_NAME" 2>"$dir/list.err" | awk '{print $1}' |
    sed "s/^$GATES_NS\.$GATES_NAME\.//" | sort)
  if [ "$listed" != "$(printf '%s\n' "$expected")" ]; then
    gates_fail "ansible-doc -t $type --list $GATES_NS.$GATES_NAME does not list exactly ${folder#"$ROOT"/}:"
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$listed") | sed 's/^/      /' >&2
    cat "$dir/list.err" >&2
    rc=1
  fi
  return "$rc"
}
