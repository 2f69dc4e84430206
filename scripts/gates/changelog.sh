# shellcheck shell=bash
# Step "changelog": antsibull-changelog lints the config, the fragments and changelog.yaml (strict),
# then releases the pending fragments as the galaxy.yml version in a scratch copy, which proves
# they render together with the new modules (the repo's changelog is left untouched).
step_changelog() {
  local rc=0 stage scratch="$GATES_WORK/changelog"
  (cd "$ROOT" && antsibull-changelog lint) || { gates_fail "antsibull-changelog lint"; rc=1; }
  (cd "$ROOT" && antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml) ||
    { gates_fail "antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml"; rc=1; }
  gates_note "pending fragments: $(find "$ROOT/changelogs/fragments" -name '*.y*ml' 2>/dev/null | wc -l)"
  stage=$(gates_stage_collection "$scratch") || return 1
  if (cd "$stage" && antsibull-changelog release --version "$GATES_VERSION" >"$scratch/release.log" 2>&1); then
    gates_note "dry-run release $GATES_VERSION: CHANGELOG.md of $(grep -c . "$stage/CHANGELOG.md" 2>/dev/null || echo 0) lines"
    (cd "$stage" && antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml) ||
      { gates_fail "the changelog.yaml of the dry-run release does not lint"; rc=1; }
  else
    gates_fail "antsibull-changelog release --version $GATES_VERSION failed in a scratch copy:"
    sed 's/^/      /' "$scratch/release.log" >&2
    rc=1
  fi
  return "$rc"
}
