# shellcheck shell=bash
# Step "lint": ansible-lint, production profile, offline, over the whole repo (.ansible-lint says
# what is excluded and why). ANSIBLE_COLLECTIONS_PATH (scripts/env.sh) resolves ncp.clouddb.* FQCNs.
step_lint() {
  (cd "$ROOT" && ansible-lint --offline --profile production --strict --nocolor "$@")
}
