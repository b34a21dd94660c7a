#!/usr/bin/env bash
# The shell completions and the man page are generated from the command
# table (docs/install.md): bash's is sourced in a real bash and its function
# driven as readline would (COMP_WORDS/COMP_CWORD); zsh's and fish's run in
# zsh and fish where those are installed (scripts/setup.sh does not install
# them), else their structure is checked here; the man page goes through
# groff with every warning on.
set -euo pipefail
stackfit=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for shell in bash zsh fish; do "$stackfit" completion "$shell" >"$tmp/stackfit.$shell"; done

# bash: what <TAB> offers after each command line (the last word is the one
# being completed; "" for an empty word).
complete_bash() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
    _stackfit stackfit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"
    complete -p stackfit' _ "$tmp/stackfit.bash" "$@"
}
expect_bash() {
  local want=$1; shift
  local got
  got=$(complete_bash "$@" | grep -v '^complete ' | tr '\n' ' ')
  [[ $got == "$want" ]] || fail "bash: '$*<TAB>' gave '$got', want '$want'"
}
expect_bash "record recommend " stackfit rec
expect_bash "--profile --project-directory --project-name --prometheus " stackfit recommend --pro
expect_bash "--prometheus " stackfit recommend --prom
expect_bash "bash " stackfit completion ba
expect_bash "--format " stackfit version --fo
expect_bash " " stackfit inspect -f ""         # a flag's value: nothing, so files (complete -o default)
expect_bash "--version " stackfit --vers
[[ $(complete_bash stackfit "" | tail -1) == "complete -o default -F _stackfit stackfit" ]] ||
  fail "bash: _stackfit is not registered"
# Every command of `stackfit --help` completes, and no hidden one does.
commands=$("$stackfit" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && $1 != "" {print $1}' | sort | tr '\n' ' ')
got=$(complete_bash stackfit "" | grep -v -e '^complete ' -e '^-' | sort | tr '\n' ' ')
[[ -n $commands && $got == "$commands" ]] || fail "bash: commands '$got' differ from --help's '$commands'"
# Every flag of each command's --help completes.
for command in $commands; do
  flags=$("$stackfit" "$command" --help | awk '/^ +-/ {print $1}' | tr ',' '\n' | sort -u | tr '\n' ' ')
  got=$(complete_bash stackfit "$command" - | grep -v '^complete ' | sort -u | tr '\n' ' ')
  [[ $got == "$flags" ]] || fail "bash: $command's flags '$got' differ from its --help's '$flags'"
done

# zsh and fish: run where installed; else check what can be checked without them.
if command -v zsh >/dev/null; then
  zsh -n "$tmp/stackfit.zsh" || fail "zsh -n rejects the zsh script"
  echo "completion_test: zsh script parsed by zsh"
else
  grep -q '^#compdef stackfit$' "$tmp/stackfit.zsh" || fail "zsh: no #compdef line"
  grep -q "'record:Sample live containers" "$tmp/stackfit.zsh" || fail "zsh: record not described"
  grep -q "'\*--prometheus\[" "$tmp/stackfit.zsh" || fail "zsh: --prometheus missing"
  # zsh quotes like bash ('\''), so bash parses the script, and with stubs
  # for zsh's _arguments/_describe/compdef (zsh's words is 1-based: a dummy
  # first element) it shows the words each receives.
  bash -n "$tmp/stackfit.zsh" || fail "zsh script does not parse as shell words"
  zsh_words() {
    bash -c '_arguments() { printf "%s\n" "$@"; }; _describe() { local -n list=$4; printf "%s\n" "${list[@]}"; }
      compdef() { echo "compdef $*"; }; source "$1"; shift; words=(zsh "$@"); CURRENT=$#; _stackfit' _ "$tmp/stackfit.zsh" "$@"
  }
  zsh_words stackfit "" | grep -x >/dev/null 'record:Sample live containers (Docker/Podman engine or plain cgroups) into the SQLite store, catch OOM kills' ||
    fail "zsh: record not described"
  zsh_words stackfit recommend --pro | grep -x >/dev/null '\*--prometheus\[Read history from this Prometheus.*\]:URL:_files' ||
    fail "zsh: recommend --prometheus missing: $(zsh_words stackfit recommend --pro | grep prometheus)"
  zsh_words stackfit completion "" | grep -x >/dev/null '1:shell:(bash zsh fish)' || fail "zsh: completion's shells missing"
  echo "completion_test: zsh not installed: the zsh script's structure checked, not run"
fi
if command -v fish >/dev/null; then
  fish --no-execute "$tmp/stackfit.fish" || fail "fish rejects the fish script"
  got=$(fish -c "source $tmp/stackfit.fish; complete -C 'stackfit rec'" | cut -f1 | tr '\n' ' ')
  [[ $got == "record recommend " ]] || fail "fish: 'stackfit rec' gave '$got'"
else
  grep -q "^complete -c stackfit -n __fish_use_subcommand -a record -d 'Sample live" "$tmp/stackfit.fish" ||
    fail "fish: record not completed"
  grep -q "^complete -c stackfit -n '__fish_seen_subcommand_from recommend' -l prometheus -r -F -d " \
    "$tmp/stackfit.fish" || fail "fish: recommend --prometheus missing"
  # fish parses single quotes like bash with \' as the quote: bash can
  # check each line splits into whole words once \' is mapped to '"'"'.
  sed "s/\\\\'/'\"'\"'/g" "$tmp/stackfit.fish" | sed 's/^complete /complete_stub /' >"$tmp/fish_as_bash"
  bash -c 'complete_stub() { :; }; source "$1"' _ "$tmp/fish_as_bash" || fail "fish script does not split into words"
  echo "completion_test: fish not installed: the fish script's structure checked, not run"
fi

# The man page: groff with all warnings, nothing on stderr; every command has
# its section.
"$stackfit" manpage >"$tmp/stackfit.1"
groff -man -Tutf8 -ww -z "$tmp/stackfit.1" 2>"$tmp/groff.err" || fail "groff failed: $(cat "$tmp/groff.err")"
[[ ! -s $tmp/groff.err ]] || fail "groff warns: $(cat "$tmp/groff.err")"
MANWIDTH=100 man -l "$tmp/stackfit.1" 2>/dev/null | col -b >"$tmp/man.txt"
for command in $commands; do
  grep -q "^   stackfit $command\$" "$tmp/man.txt" || fail "man page: no section for $command"
done
grep -q -- "--prometheus URL" "$tmp/man.txt" || fail "man page: recommend --prometheus URL missing"
"$stackfit" --help | grep manpage >/dev/null && fail "the hidden manpage command shows in --help"
"$stackfit" nosuch 2>&1 | grep manpage >/dev/null && fail "the hidden manpage command is suggested"
echo "completion_test: ok ($(wc -w <<<"$commands") commands)"
