#!/usr/bin/env bash
# The check step of action.yml: runs `kbls check` with the action's inputs (environment variables
# KBLS_*), records its exit code as the step output `exit-code` and always exits 0, so the SARIF
# upload still runs after findings; the action's last step fails the job with that code.
# Reads GITHUB_EVENT_NAME, GITHUB_BASE_REF and GITHUB_OUTPUT as the runner sets them.
set -uo pipefail

format=${KBLS_FORMAT:-github}
args=(check --format "$format")
case "$format" in
  github | sarif) ;;
  *)
    echo "::error title=kbls::format must be github or sarif, not '$format'"
    echo "exit-code=2" >>"$GITHUB_OUTPUT"
    exit 0
    ;;
esac

since=${KBLS_CHANGED_SINCE:-}
if [ -z "$since" ] && [ "${GITHUB_EVENT_NAME:-}" = pull_request ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
  since="origin/$GITHUB_BASE_REF"
  # A shallow checkout lacks the base branch: fetch it rather than check against nothing.
  if ! git rev-parse --verify --quiet "$since^{commit}" >/dev/null; then
    git fetch --no-tags --quiet origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF"
  fi
fi
if [ -n "$since" ] && [ "$since" != none ]; then
  args+=(--changed-since "$since")
fi
[ "${KBLS_DENY_WARNINGS:-false}" = true ] && args+=(--deny warnings)
# Word splitting is intended: extra arguments and paths are space- or newline-separated.
# shellcheck disable=SC2206
args+=(${KBLS_ARGS:-})
# shellcheck disable=SC2206
args+=(${KBLS_PATHS:-})

echo "kbls ${args[*]}"
if [ "$format" = sarif ]; then
  sarif=${KBLS_SARIF_FILE:-kbls.sarif}
  mkdir -p "$(dirname "$sarif")"
  kbls "${args[@]}" >"$sarif"
else
  kbls "${args[@]}"
fi
code=$?
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
exit 0
