# doctor --kernel-log SOURCE|FILE against the live kernel, with hog's kill
# from doctor_cleanup_test.sh in it: each source alone, a saved log, hostile
# saved logs. Sourced (needs $stackfit, $sock, $work, $hog_id, j, ok, bad).

# kill_of JSON: "source: service project" of hog's kill, else "source: none".
kill_of() { j "$1" "d['kernel_log']['source'] + ': ' + ' '.join(k['service'] + ' ' + k['project'] for k in d['oom_kills'] if k['container'] == '$hog_id') or 'none'"; }
for source in kmsg dmesg; do
  "$stackfit" doctor --host "unix://$sock" --kernel-log "$source" --since 10m --format json >"$work/k.json" 2>&1
  want=$([[ $source == kmsg ]] && echo /dev/kmsg || echo dmesg)
  [[ $(kill_of "$work/k.json") == "$want: hog sfdoc" ]] && ok "--kernel-log $source: read from $want, hog's kill named" \
    || bad "--kernel-log $source: $(kill_of "$work/k.json")"
done
"$stackfit" doctor --host "unix://$sock" --kernel-log journal --since 10m --format json >"$work/k.json" 2>&1
if [[ -n $(/usr/bin/journalctl -k -q --no-pager -o short-unix -n 1 2>/dev/null) ]]; then
  [[ $(j "$work/k.json" "d['kernel_log']['source']") == "journalctl -k" ]] && ok "--kernel-log journal: read the journal" \
    || bad "--kernel-log journal: $(j "$work/k.json" "d['kernel_log']")"
else
  # No journal on this host (no journald): journalctl runs and has no kernel record.
  [[ $(j "$work/k.json" "[(c['status'], c['message']) for c in d['checks'] if c['id'] == 'oom-kills']") == \
     "[('warn', 'kernel log unreadable, OOM kills unknown: journalctl -k: no kernel log records')]" ]] \
    && ok "--kernel-log journal on a host without a journal: journalctl run, a warn, no fallback" \
    || bad "--kernel-log journal: $(j "$work/k.json" "d['kernel_log']")"
fi

# A log saved with `dmesg > f` (as from another machine) is read instead.
/usr/bin/dmesg >"$work/saved-dmesg.txt"
"$stackfit" doctor --host "unix://$sock" --kernel-log "$work/saved-dmesg.txt" --since 10m --format json >"$work/k.json" 2>&1
[[ $(kill_of "$work/k.json") == "$work/saved-dmesg.txt: hog sfdoc" ]] && ok "--kernel-log FILE (dmesg saved): hog's kill named" \
  || bad "--kernel-log FILE: $(kill_of "$work/k.json")"

# Hostile saved logs: garbage is a warn; NUL bytes and a 4 MiB line around the kill still find it.
head -c 2000000 /dev/urandom >"$work/garbage.log"
"$stackfit" doctor --host "unix://$sock" --kernel-log "$work/garbage.log" --format json >"$work/k.json" 2>"$work/k.err"
code=$?
[[ $code -le 1 && $(j "$work/k.json" "[(c['status'], c['message']) for c in d['checks'] if c['id'] == 'oom-kills']") == \
   "[('warn', 'kernel log unreadable, OOM kills unknown: $work/garbage.log: no kernel log records')]" ]] \
  && ok "--kernel-log of binary garbage: a warn naming the file" || bad "garbage: exit $code: $(cat "$work/k.err")"
{ printf '[1.0] a\0b\n'; printf '[2.0] '; head -c 4194304 /dev/zero | tr '\0' 'A'; printf '\n'; grep -A1 "task_memcg=/docker/$hog_id" "$work/saved-dmesg.txt"
  printf '\0\0\0\n'; } >"$work/hostile.log"
"$stackfit" doctor --host "unix://$sock" --kernel-log "$work/hostile.log" --since 10m --format json >"$work/k.json" 2>"$work/k.err"
code=$?
[[ $code -le 1 && $(kill_of "$work/k.json") == "$work/hostile.log: hog sfdoc" ]] \
  && ok "--kernel-log with NUL bytes and a 4 MiB line: hog's kill still named" || bad "hostile log: exit $code: $(cat "$work/k.err")"
