# `doctor --db`: the OOM kill of doctor_cleanup_test.sh's hog, recorded by
# `stackfit record --db` (running since before `compose up`), named from the
# store. Sourced by doctor_cleanup_test.sh after its kernel-log checks
# (needs $stackfit, $sock, $work, $db, $background_pid, $hog_id, j, ok, bad).

# Let the recorder take a few readings after the kill, then stop it as Ctrl-C would.
sleep 2
kill -TERM "$background_pid" 2>/dev/null
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record --db ran through the kill (exit 0)" || bad "record: exit $code: $(tail -2 "$work/rec.err")"

"$stackfit" doctor --host "unix://$sock" -f "$work/compose.yml" -p sfdoc --db "$db" --since 10m --format json \
  >"$work/h.json" 2>"$work/h.err"
code=$?
got=$(j "$work/h.json" "[(s['service'], s['project'], s['oom_kills'], len(s['oom_kill_times']), s['memory_limit_bytes']) for s in d['history']['services']]")
[[ $code -eq 1 && $got == "[('calm', 'sfdoc', 0, 0, 16777216), ('hog', 'sfdoc', 1, 1, 33554432)]" ]] \
  && ok "doctor --db: the store names hog's one OOM kill (and calm's none), with their limits" \
  || bad "doctor --db: exit $code: $got $(cat "$work/h.err")"
# The store's time of the kill against the kernel's own (d.json, /dev/kmsg).
got=$(/usr/bin/python3 - "$work/h.json" "$work/d.json" "$hog_id" <<'PY'
import json, sys, datetime
h, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rec = [s for s in h['history']['services'] if s['service'] == 'hog'][0]['oom_kill_times'][0]
rec_s = datetime.datetime.strptime(rec, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc).timestamp()
kern = [k['time_unix_ms'] / 1000 for k in d['oom_kills'] if k['container'] == sys.argv[3]][0]
print(abs(rec_s - kern) <= 3, rec, round(rec_s - kern, 1))
PY
)
[[ $got == True* ]] && ok "the recorded kill's time is the kernel's within 3 s ($got)" || bad "kill times: $got"
got=$(j "$work/h.json" "[(c['status'], c['message'].split(': ', 1)[1]) for c in d['checks'] if c['id'] == 'recorded-oom-kills']")
kill_time=$(j "$work/h.json" "[s for s in d['history']['services'] if s['service'] == 'hog'][0]['oom_kill_times'][0]")
[[ $got == "[('fail', 'hog (sfdoc) at $kill_time')]" ]] \
  && ok "recorded-oom-kills: fail, 'hog (sfdoc) at $kill_time'" || bad "recorded-oom-kills: $got"
got=$(j "$work/h.json" "([c['id'] for c in d['checks'] if c['id'].startswith('recorded-')], d['history']['stack_peak_method'], 0 < d['history']['stack_peak_bytes'] <= d['history']['sum_of_peaks_bytes'], [c['status'] for c in d['checks'] if c['id'] == 'recorded-stack-fit'])")
[[ $got == "(['recorded-oom-kills', 'recorded-restarts', 'recorded-headroom', 'recorded-stack-fit'], 'peak of the summed working set', True, ['ok'])" ]] \
  && ok "the four recorded checks; the stack's peak of the sum (<= the sum of peaks) fits the engine" || bad "recorded checks: $got"
out=$("$stackfit" doctor --host "unix://$sock" --db "$db" --since 10m 2>&1)
grep -qE "^fail +recorded-oom-kills +1 OOM kills recorded in the last 10m \($db\): hog \(sfdoc\) at [0-9T:-]+Z$" <<<"$out" \
  && grep -qE '^hog +sfdoc +1 +0 +' <<<"$out" \
  && ok "doctor --db table: the recorded-oom-kills line and hog's row" || bad "doctor --db table: $out"

# The default store (the one `record` writes without --db) is read when present.
mkdir -p "$work/state/stackfit" && cp "$db" "$work/state/stackfit/stackfit.db"
got=$(XDG_STATE_HOME="$work/state" "$stackfit" doctor --host "unix://$sock" --since 10m --format json 2>&1 |
  /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print(d['history']['db'], [s['oom_kills'] for s in d['history']['services'] if s['service'] == 'hog'])")
[[ $got == "$work/state/stackfit/stackfit.db [1]" ]] && ok "without --db, the default store is read" || bad "default store: $got"

out=$("$stackfit" doctor --host "unix://$sock" --db "$work/absent.db" 2>&1)
code=$?
[[ $code -eq 2 && $out == "stackfit: $work/absent.db: no sample store (record history first with \`stackfit record\`)" ]] \
  && ok "--db that does not exist: one line, exit 2" || bad "--db absent: exit $code: $out"
printf 'not a database at all' >"$work/junk.db"
out=$("$stackfit" doctor --host "unix://$sock" --db "$work/junk.db" 2>&1)
code=$?
[[ $code -eq 2 && $(wc -l <<<"$out") -eq 1 && $out == "stackfit: $work/junk.db: not a stackfit store"* ]] \
  && ok "--db that is not a store: one line, exit 2" || bad "--db junk: exit $code: $out"
got=$(j <("$stackfit" doctor --host "unix://$sock" -f "$work/compose.yml" -p other --db "$db" --since 10m --format json 2>&1) \
  "[c['message'] for c in d['checks'] if c['id'] == 'recorded-stack-fit']")
[[ $got == "[\"no working-set readings recorded of project other in the last 10m ($db); it has projects sfdoc (-p names the stack's)\"]" ]] \
  && ok "a stack whose project was not recorded: the projects the store has are named" || bad "other project: $got"
