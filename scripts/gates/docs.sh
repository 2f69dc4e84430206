# shellcheck shell=bash
# Step "docs": ansible-doc renders every module of plugins/modules by FQCN without an error or a
# warning, lists exactly those modules, and antsibull-docs finds nothing wrong in the docs.
step_docs() {
  local rc=0 path module fqcn out err listed expected
  local dir="$GATES_WORK/docs"
  mkdir -p "$dir"
  expected=$(for path in "$ROOT"/plugins/modules/*.py; do
      module=${path##*/}
      [ -f "$path" ] && [ "$module" != __init__.py ] && printf '%s\n' "${module%.py}"
    done | sort)
  if [ -z "$expected" ]; then
    gates_fail "no modules in plugins/modules"
    return 1
  fi
  for module in $expected; do
    fqcn="$GATES_NS.$GATES_NAME.$module"
    out="$dir/$module.txt"
    err="$dir/$module.err"
    if ! ANSIBLE_NOCOLOR=1 ansible-doc -t module "$fqcn" >"$out" 2>"$err"; then
      gates_fail "ansible-doc -t module $fqcn failed:"; sed 's/^/      /' "$err" "$out" >&2
      rc=1
    elif [ -s "$err" ]; then
      gates_fail "ansible-doc -t module $fqcn printed warnings or errors:"; sed 's/^/      /' "$err" >&2
      rc=1
    elif ! grep -q "^> MODULE $fqcn" "$out"; then
      gates_fail "ansible-doc -t module $fqcn rendered no module page:"; head -5 "$out" | sed 's/^/      /' >&2
      rc=1
    else
      gates_note "ansible-doc $fqcn: $(wc -l <"$out") lines"
    fi
  done
  listed=$(ANSIBLE_NOCOLOR=1 ansible-doc -t module --list "$GATES_NS.$GATES_NAME" 2>"$dir/list.err" | awk '{print $1}' |
    sed "s/^$GATES_NS\.$GATES_NAME\.//" | sort)
  if [ "$listed" != "$(printf '%s\n' "$expected")" ]; then
    gates_fail "ansible-doc --list $GATES_NS.$GATES_NAME does not list exactly plugins/modules:"
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$listed") | sed 's/^/      /' >&2
    cat "$dir/list.err" >&2
    rc=1
  fi
  gates_note "antsibull-docs lint-collection-docs --plugin-docs ."
  (cd "$ROOT" && antsibull-docs lint-collection-docs --plugin-docs .) || {
    gates_fail "antsibull-docs lint-collection-docs reported problems"
    rc=1
  }
  return "$rc"
}
