#!/usr/bin/env bash
# Step 2 of the GitHub Action (action.yml): run check with the inputs as
# its flags, annotations on the files (-o github, which in a GitHub job
# also writes the markdown summary to $GITHUB_STEP_SUMMARY) and the JSON
# report in $RUNNER_TEMP; set the outputs from the report's summary; fail
# the step as check does (1: an input would be rejected, 2: one could not
# be checked, or a mistake in the inputs).
#
# Environment (set by action.yml): INPUT_PATHS, INPUT_REQUEST, INPUT_MODE,
# INPUT_SYNC_LIMIT, INPUT_HEADER_ONLY, INPUT_STRICT, INPUT_CONFIG,
# INPUT_BASELINE, INPUT_ARGS, INPUT_TOKEN.
# Written for bash 3.2 too (macOS): no ${x,,}, empty arrays guarded.
set -euo pipefail

fail() { echo "::error title=audiopreflight::$*"; exit 2; }

# true/false inputs, as GitHub passes them (any case).
flag_if_true() {
  case "$(printf %s "$1" | tr '[:upper:]' '[:lower:]')" in
    true) args+=("--$2") ;;
    false | "") ;;
    *) fail "input $2 must be true or false, got \"$1\"" ;;
  esac
}

report="$RUNNER_TEMP/audiopreflight-report.json"
args=(check -o github -o "json=$report")
[ -z "${INPUT_REQUEST:-}" ] || args+=(--request "$INPUT_REQUEST")
[ -z "${INPUT_MODE:-}" ] || args+=(--mode "$INPUT_MODE")
[ -z "${INPUT_SYNC_LIMIT:-}" ] || args+=(--sync-limit "$INPUT_SYNC_LIMIT")
[ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
[ -z "${INPUT_BASELINE:-}" ] || args+=(--baseline "$INPUT_BASELINE")
flag_if_true "${INPUT_HEADER_ONLY:-}" header-only
flag_if_true "${INPUT_STRICT:-}" strict
if [ -n "${INPUT_TOKEN:-}" ]; then
  # Masked in the log whatever it came from; given to check through its
  # variable, never on the command line (which ps shows).
  echo "::add-mask::$INPUT_TOKEN"
  export AUDIOPREFLIGHT_TOKEN="$INPUT_TOKEN"
  args+=(--check-auth)
fi
# args: split on white space.
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
fi
# paths: one per line, each taken whole (spaces and all).
paths=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [ -z "$line" ] || paths+=("$line")
done <<<"${INPUT_PATHS:-}"

rm -f "$report"
set +e
audiopreflight "${args[@]}" ${extra[@]+"${extra[@]}"} -- ${paths[@]+"${paths[@]}"}
code=$?
set -e

# The report's summary, as check writes it (-o json, indented).
summary() { sed -n '/^  "summary": {/,/^  }/s/^    "'"$1"'": \([0-9]*\).*/\1/p' "$report" 2>/dev/null; }
{
  echo "exit-code=$code"
  if [ -s "$report" ]; then
    echo "report=$report"
    for key in total accepted rejected ignored undecided errors; do
      echo "$key=$(summary "$key")"
    done
  fi
} >>"$GITHUB_OUTPUT"
exit "$code"
