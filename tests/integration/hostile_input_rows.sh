# One row per case: row NAME EXIT "EXPECTED STDERR LINE" -- stackfit ARGS.
# ${work} is the scratch folder; $long a 100 KiB argument.
row "malformed YAML" 2 "stackfit: malformed.yml:4:1: invalid YAML: flow sequence without a closing bracket" -- inspect -f malformed.yml
row "alias bomb (nodes)" 2 "stackfit: bomb.yml:7:10: document expands to more than 1000000 nodes (alias bomb?)" -- inspect -f bomb.yml
row "7 MiB scalar aliased 500 times" 2 "stackfit: alias7.yml:14:11: document expands to more than 64 MiB of text (alias bomb?)" -- inspect -f alias7.yml
row "1 MiB .env value used 2000 times" 2 "stackfit: envbomb/compose.yml:69:12: variables expand to more than 64 MiB in this file, refused" -- inspect --project-directory envbomb
row "10,000-deep nesting" 2 "stackfit: deep.yml:1:266: nesting deeper than 256 levels" -- inspect -f deep.yml
row "65 MiB file" 2 "stackfit: huge.yml: file larger than 64 MiB, refused" -- inspect -f huge.yml
row "9 MiB scalar" 2 "stackfit: big-scalar.yml:3:12: scalar longer than 8 MiB" -- inspect -f big-scalar.yml
row "wrong type" 2 "stackfit: wrong-type.yml:4:16: services.web.mem_limit: expected a byte value (string or number), got a list" -- inspect -f wrong-type.yml
row "missing file" 2 "stackfit: does-not-exist.yml: No such file or directory" -- inspect -f does-not-exist.yml
row "circular extends" 2 "stackfit: circular.yml:6:14: services.b.extends: circular extends: a -> b -> a" -- inspect -f circular.yml
row "required variable" 2 "stackfit: required.yml:3:12: required variable TAG is missing a value: set TAG to the release" -- inspect -f required.yml
row "empty file" 2 "stackfit: empty.yml: empty compose file" -- inspect -f empty.yml
row "Latin-1" 2 "stackfit: latin1.yml:2:6: not valid UTF-8" -- inspect -f latin1.yml
row "NUL in a comment (check)" 2 "stackfit: nul.yml:5:4: NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only" -- check -f nul.yml --budget 1Gi
row "NUL in a comment (plan)" 2 "stackfit: nul.yml:5:4: NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only" -- plan -f nul.yml --budget 1Gi
row "UTF-16 without BOM" 2 "stackfit: utf16-nobom.yml:1:2: NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only" -- inspect -f utf16-nobom.yml
row "UTF-16 LE BOM" 2 "stackfit: utf16.yml:1:1: UTF-16 LE text (byte-order mark); stackfit reads UTF-8 only" -- inspect -f utf16.yml
row "UTF-16 BE BOM" 2 "stackfit: utf16be.yml:1:1: UTF-16 BE text (byte-order mark); stackfit reads UTF-8 only" -- check -f utf16be.yml --budget 1Gi
row "UTF-32 LE BOM" 2 "stackfit: utf32.yml:1:1: UTF-32 LE text (byte-order mark); stackfit reads UTF-8 only" -- inspect -f utf32.yml
row "NUL in .env" 2 "stackfit: nulenv/.env:1:4: NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only" -- inspect --project-directory nulenv
row "NUL in a manifest" 2 "stackfit: nul.yaml:3:1: NUL byte (binary data, or UTF-16/32 text?); stackfit reads UTF-8 only" -- inspect -k nul.yaml
row "bad Kubernetes quantity" 2 "stackfit: bad-quantity.yaml:7:34: spec.containers[0].resources.limits.memory: invalid Kubernetes quantity \"12Zi\": unknown suffix \"Zi\"" -- inspect -k bad-quantity.yaml
row "FIFO -f" 3 "stackfit: fifo.yml: not a regular file" -- inspect -f fifo.yml
row "FIFO -k" 3 "stackfit: fifo.yaml: not a regular file" -- inspect -k fifo.yaml
row "FIFO env_file" 3 "stackfit: fifo.env: not a regular file" -- inspect -f envfifo.yml
row "FIFO include" 3 "stackfit: fifo.yml: not a regular file" -- inspect -f includefifo.yml
row "FIFO --env-file" 3 "stackfit: fifo.env: not a regular file" -- inspect -f ok.yml --env-file fifo.env
row "FIFO --from (apply)" 3 "stackfit: fifo.json: not a regular file" -- apply -f ok.yml --from fifo.json --dry-run
row "FIFO --from (plan)" 3 "stackfit: fifo.json: not a regular file" -- plan -f ok.yml --budget 1Gi --from fifo.json
row "FIFO --catalog (check)" 3 "stackfit: fifo-machines.yml: not a regular file" -- check -f ok.yml --machine m --catalog fifo-machines.yml
row "FIFO --catalog (machines)" 3 "stackfit: fifo-machines.yml: not a regular file" -- machines --catalog fifo-machines.yml
row "FIFO --csv" 3 "stackfit: fifo.csv: not a regular file" -- backtest --csv fifo.csv
row "FIFO --db (recommend)" 3 "stackfit: fifo.db: not a regular file" -- recommend -f ok.yml --db fifo.db
row "FIFO --bearer-token-file" 3 "stackfit: fifo.token: not a regular file" -- history --prometheus http://127.0.0.1:1 --bearer-token-file fifo.token
row "folder as -f" 3 "stackfit: adir: is a directory" -- inspect -f adir
row "missing env_file" 2 "stackfit: envmissing.yml:4:15: services.web.env_file: env file missing.env not found" -- inspect -f envmissing.yml
row "JSON number overflow (--from)" 2 "stackfit: overflow.json:1:11: not JSON: number overflow parsing '1e999'" -- apply -f ok.yml --from overflow.json --dry-run
row "truncated JSON (--from)" 2 "stackfit: truncated.json:2:1: not JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal" -- apply -f ok.yml --from truncated.json --dry-run
row "not JSON (--from)" 2 "stackfit: notjson.json:1:2: not JSON: syntax error while parsing value - invalid literal; last read: 'no'" -- plan -f ok.yml --budget 1Gi --from notjson.json
row "empty store file (recommend)" 2 "stackfit: empty.db: not a stackfit store (empty file)" -- recommend -f ok.yml --db empty.db
row "empty store file (backtest)" 2 "stackfit: empty.db: not a stackfit store (empty file)" -- backtest --db empty.db
row "empty store file (check --db)" 2 "stackfit: empty.db: not a stackfit store (empty file)" -- check -f ok.yml --budget 1Gi --db empty.db
row "empty store file (plan --db)" 2 "stackfit: empty.db: not a stackfit store (empty file)" -- plan -f ok.yml --budget 1Gi --db empty.db
row "empty store file (plan --startup)" 2 "stackfit: empty.db: not a stackfit store (empty file)" -- plan -f ok.yml --startup --budget 1Gi --db empty.db
row "stackfit id, no tables" 2 "stackfit: appid.db: not a stackfit store (no tables)" -- recommend -f ok.yml --db appid.db
row "another application's db" 2 "stackfit: other.db: not a stackfit store (application_id 0x0000002a)" -- recommend -f ok.yml --db other.db
row "not SQLite" 2 "stackfit: notsqlite.db: not a stackfit store (file is not a database)" -- recommend -f ok.yml --db notsqlite.db
row "schema v1 store (recommend)" 2 "stackfit: v1.db: schema version 1 is older than this stackfit (3); \`stackfit record --db\` upgrades it" -- recommend -f ok.yml --db v1.db
row "schema v1 store (backtest)" 2 "stackfit: v1.db: schema version 1 is older than this stackfit (3); \`stackfit record --db\` upgrades it" -- backtest --db v1.db
row "schema v1 store (check --db)" 2 "stackfit: v1.db: schema version 1 is older than this stackfit (3); \`stackfit record --db\` upgrades it" -- check -f ok.yml --budget 1Gi --db v1.db
row "schema v1 store (report)" 2 "stackfit: v1.db: schema version 1 is older than this stackfit (3); \`stackfit record --db\` upgrades it" -- report -f ok.yml --db v1.db --output v1.html
row "schema v2 store (plan --db)" 2 "stackfit: v2.db: schema version 2 is older than this stackfit (3); \`stackfit record --db\` upgrades it" -- plan -f ok.yml --budget 1Gi --db v2.db
row "schema v2 store (plan --startup)" 2 "stackfit: v2.db: schema version 2 is older than this stackfit (3); \`stackfit record --db\` upgrades it" -- plan -f ok.yml --startup --budget 1Gi --db v2.db
row "missing store" 2 "stackfit: nothere.db: no sample store (record history first with \`stackfit record\`)" -- recommend -f ok.yml --db nothere.db
row "plan --write over -f file" 2 "stackfit: own.yml: is one of the stack's own files; write the option elsewhere" -- plan -f own.yml --budget 1g --option B --write own.yml --force
row "plan --write over ./-f file" 2 "stackfit: ./adir/../own.yml: is one of the stack's own files; write the option elsewhere" -- plan -f own.yml --budget 1g --option B --write ./adir/../own.yml --force
row "plan --write over a symlink" 2 "stackfit: link.yml: is one of the stack's own files; write the option elsewhere" -- plan -f own.yml --budget 1g --option B --write link.yml --force
row "plan --write over absolute" 2 "stackfit: ${work}/own.yml: is one of the stack's own files; write the option elsewhere" -- plan -f own.yml --budget 1g --option B --write $PWD/own.yml --force
row "password in --prometheus" 3 "stackfit: http://127.0.0.1:1/api/v1/query_range: connect: Connection refused (after 4 attempts)" -- history --prometheus http://user:s3cret@127.0.0.1:1 --since 1h
row "password in a bad URL" 2 "stackfit: --prometheus http://user:***@127.0.0.1:1/x?y: no query, fragment or spaces allowed" -- history --prometheus http://user:s3cret@127.0.0.1:1/x?y
row "CR/LF in the token file" 2 "stackfit: crlf.token: the token holds a control character (CR, LF?) before its end; refused" -- history --prometheus http://127.0.0.1:1 --bearer-token-file crlf.token
row "--nodes 0" 2 "stackfit: usage: --nodes: Value 0 not in range 1 to 5000 (see --help)" -- plan -f ok.yaml --node-type x --nodes 0
row "--nodes huge" 2 "stackfit: usage: --nodes: Value 99999999999999999999 not in range 1 to 5000 (see --help)" -- plan -f ok.yaml --node-type x --nodes 99999999999999999999
row "record --duration 0s" 2 "stackfit: --duration: must be longer than 0 (leave it out to record until stopped)" -- record --duration 0s
row "record --duration overflow" 2 "stackfit: --duration: duration \"99999999999s\" is longer than 36500d (100 years)" -- record --duration 99999999999s
row "record --duration 106751d" 2 "stackfit: --duration: duration \"106751d\" is longer than 36500d (100 years)" -- record --duration 106751d
row "bad --interval" 2 "stackfit: --interval: must be at least 100ms" -- record --interval 0s
row "100 KiB argument (quoted_excerpt: 80 bytes and …)" 2 "stackfit: --budget: invalid size \"${long:0:80}…\" (examples: 1Gi, 512Mi, 1GiB, 1g)" -- check -f ok.yml --budget "$long"
row "100 KiB path (line cut around \" ... \")" 3 "stackfit: ${long:0:640} ... ${long:0:300}: File name too long" -- inspect -f "$long"
row "unknown flag" 2 "stackfit: usage: The following argument was not expected: --no-such-flag (see --help)" -- inspect --no-such-flag
row "unknown format" 2 "stackfit: --format: unknown format \"yaml\" (table, markdown, json, csv)" -- inspect -f ok.yml --format yaml
row "unknown machine" 2 "stackfit: --machine: unknown machine \"t9.huge\"; see \`stackfit machines\`" -- check -f ok.yml --machine t9.huge
row "bad budget" 2 "stackfit: --budget: invalid size \"lots\" (examples: 1Gi, 512Mi, 1GiB, 1g)" -- check -f ok.yml --budget lots
row "verify without an engine" 3 "stackfit: ${work}/no-engine.sock: connect: No such file or directory" -- verify -f ok.yml
row "top without an engine" 3 "stackfit: ${work}/no-engine.sock: connect: No such file or directory" -- top
row "header-only CSV" 2 "stackfit: header-only.csv:1:1: expected the header series,timestamp_s,bytes,limit_bytes (limit_bytes optional), found \"time_ns,service,working_set_bytes\"" -- backtest --csv header-only.csv
row "unknown command" 2 "stackfit: usage: unknown command \"backtset\"; did you mean \"backtest\"? (see --help)" -- backtset
row "128,000-byte unknown command" 2 "stackfit: usage: unknown command \"$(printf 'x%.0s' {1..80})…\" (commands: inspect, check, machines, record, top, verify, recommend, backtest, history, apply, plan, report, doctor, cleanup; see --help)" -- "$(head -c 128000 /dev/zero | tr '\0' x)"
row "kustomize folder" 2 "stackfit: kfolder: a kustomize folder (kfolder/overlays/prod/kustomization.yaml), not manifests; render it first: kubectl kustomize kfolder/overlays/prod | stackfit inspect -k -" -- inspect -k kfolder
row "multi-line value quoted on one line" 2 "stackfit: multiline.yml:5:7: invalid interpolation format in \"echo \$1…\"; use \$\$ for a literal \$" -- inspect -f multiline.yml
row "control characters escaped" 2 "stackfit: escape.yml:4:16: services.a.mem_limit: invalid byte value \"\\x1b]0;pwned\\x071g\"" -- inspect -f escape.yml
row "negative mem_limit" 2 "stackfit: negative.yml:4:16: services.a.mem_limit: invalid byte value \"-2\": negative" -- inspect -f negative.yml
row "budget past int64" 2 "stackfit: --budget: invalid size \"9Ei\" (examples: 1Gi, 512Mi, 1GiB, 1g)" -- check -f negative.yml --budget 9Ei
