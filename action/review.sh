#!/usr/bin/env bash
# The step of action.yml (inputs come as NETPOL_* variables): checks out the base (merge base) and
# head revisions in temporary worktrees, runs the synth command in each, then
#   cdk8s-netpol diff BASE HEAD --format md   -> the job summary
#   cdk8s-netpol lint HEAD --format md/sarif  -> the job summary and the SARIF file
# and fails when the lint finds something at fail-on (or a manifest is invalid).
set -euo pipefail

: "${NETPOL_BASE:?base revision is empty: run on pull_request events or set the base input}"
: "${NETPOL_HEAD:?head revision is empty: set the head input}"
: "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set (not running as a GitHub Actions step)}"
workdir="${NETPOL_WORKDIR:-.}"
read -r -a manifests <<< "${NETPOL_MANIFESTS:-dist}"

if [ -n "${NETPOL_CLI:-}" ]; then
  read -r -a cli <<< "$NETPOL_CLI"
elif [ -f "$NETPOL_ACTION_PATH/lib/cli/main.js" ]; then
  cli=(node "$NETPOL_ACTION_PATH/lib/cli/main.js")
else
  cli=(npx --yes "cdk8s-netpol@${NETPOL_VERSION:-latest}")
fi

repo="$(git rev-parse --show-toplevel)"
base="$(git rev-parse --verify "${NETPOL_BASE}^{commit}")"
head="$(git rev-parse --verify "${NETPOL_HEAD}^{commit}")"
# a pull request's changes are the ones since the branches parted (as GitHub shows them)
merge_base="$(git merge-base "$base" "$head")"

tmp="$(mktemp -d)"
cleanup() {
  git -C "$repo" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
  git -C "$repo" worktree remove --force "$tmp/head" >/dev/null 2>&1 || true
  git -C "$repo" worktree prune >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# a manifest path relative to the root of a checkout: working-directory/path without ./ segments
repo_path() {
  local p="${workdir%/}/$1"
  while [ "${p#./}" != "$p" ]; do p="${p#./}"; done
  printf '%s' "${p//\/.\//\/}"
}

for side in base head; do
  rev="$merge_base"; [ "$side" = head ] && rev="$head"
  git -C "$repo" worktree add --detach --quiet "$tmp/$side" "$rev"
  if [ -n "${NETPOL_SYNTH:-}" ]; then
    echo "::group::synth at $side (${rev:0:12})"
    (cd "$tmp/$side/$workdir" && bash -c "$NETPOL_SYNTH") >&2
    echo "::endgroup::"
  fi
done
base_paths=(); head_paths=(); lint_paths=()
for p in "${manifests[@]}"; do
  base_paths+=("$tmp/base/$(repo_path "$p")")
  head_paths+=("$tmp/head/$(repo_path "$p")")
  lint_paths+=("$(repo_path "$p")")
done

diff_status=0
"${cli[@]}" diff --old "${base_paths[@]}" --new "${head_paths[@]}" --format md --ref-names base,head -q > "$tmp/diff.md" || diff_status=$?
# the lint runs at the root of the head checkout, so that its file names (summary, SARIF) are the repository's
sarif_file=""
if [ -n "${NETPOL_SARIF:-}" ]; then
  case "$NETPOL_SARIF" in /*) sarif_file="$NETPOL_SARIF" ;; *) sarif_file="$PWD/$NETPOL_SARIF" ;; esac
fi
lint_status=0
(cd "$tmp/head" && "${cli[@]}" lint "${lint_paths[@]}" --format md --fail-on "${NETPOL_FAIL_ON:-error}") > "$tmp/lint.md" || lint_status=$?
if [ -n "$sarif_file" ]; then
  (cd "$tmp/head" && "${cli[@]}" lint "${lint_paths[@]}" --format sarif --fail-on "${NETPOL_FAIL_ON:-error}" --output "$sarif_file") || true
fi

diff_count=$(grep -c '^| \(changed\|added\|removed\) |' "$tmp/diff.md" || true)
{
  echo "## Network policy review"
  echo
  echo "### Connectivity changes (${merge_base:0:12} → ${head:0:12})"
  echo
  if [ "$diff_status" -ge 2 ]; then
    echo "The diff could not be computed (exit code $diff_status); see the step log."
  elif [ "$diff_count" -eq 0 ]; then
    echo "No connection is added, removed or changed."
  else
    cat "$tmp/diff.md"
  fi
  echo
  echo "### Lint (fails on ${NETPOL_FAIL_ON:-error})"
  echo
  cat "$tmp/lint.md"
} >> "$GITHUB_STEP_SUMMARY"

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "diff-count=$diff_count" >> "$GITHUB_OUTPUT"
  echo "lint-exit-code=$lint_status" >> "$GITHUB_OUTPUT"
fi

if [ "$diff_status" -ge 2 ]; then
  echo "::error::cdk8s-netpol diff failed with exit code $diff_status"
  exit "$diff_status"
fi
if [ "$lint_status" -ne 0 ]; then
  echo "::error::cdk8s-netpol lint found problems at ${NETPOL_FAIL_ON:-error} or above (exit code $lint_status); see the job summary"
  exit "$lint_status"
fi
