# Shell helpers shared by the bench scripts (source it; it defines functions only).

# show_cmd CMD...: the command as it is shown in RESULTS.md — the snapshot
# binary as build/wordlens, temporary paths as $TMP, repository paths relative.
# Uses the caller's $WL, $TMP and $REPO_ROOT.
show_cmd() {
  local s
  s=$(printf '%q ' "$@")
  s=${s% }
  s=${s//"$WL"/build/wordlens}
  s=${s//"$TMP"/\$TMP}
  s=${s//"$REPO_ROOT/"/}
  printf '%s' "$s"
}
