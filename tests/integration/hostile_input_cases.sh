# Fixtures for hostile_input_table_test.sh: made in the current (scratch) folder.
# Each is something a user, a broken tool or an attacker could hand stackfit.
printf 'services:\n  web:\n    image: nginx\n    mem_limit: 1g\n' > ok.yml
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    resources: {limits: {memory: 1Gi}}\n' > ok.yaml
printf 'services:\n  web:\n    image: [nginx\n' > malformed.yml
{
  echo 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for n in b c d e f g h i j; do
    printf 'x-%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$n
  done
  echo 'services: {web: {image: nginx, labels: *j}}'
} > bomb.yml
python3 - <<'PY'
big = 'a' * (7 * 1024 * 1024)
with open('alias7.yml', 'w') as f:
    f.write('x-big: &big "' + big + '"\nservices:\n  web:\n    image: nginx\n    labels:\n')
    for i in range(500): f.write('      l%d: *big\n' % i)
PY
mkdir -p envbomb && python3 -c "print('BIG=' + 'b' * (1024 * 1024))" > envbomb/.env
python3 -c "
print('services:\n  web:\n    image: nginx\n    labels:')
for i in range(2000): print('      l%d: \${BIG}' % i)" > envbomb/compose.yml
{ printf 'services: '; head -c 10000 /dev/zero | tr '\0' '['; head -c 10000 /dev/zero | tr '\0' ']'; echo; } > deep.yml
{ printf 'services:\n  web:\n    image: "'; head -c $((65 * 1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '"\n'; } > huge.yml
{ printf 'services:\n  web:\n    image: "'; head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '"\n'; } > big-scalar.yml
printf 'services:\n  web:\n    image: nginx\n    mem_limit: [1]\n' > wrong-type.yml
printf 'services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n    image: y\n' > circular.yml
printf 'services:\n  web:\n    image: "nginx:${TAG:?set TAG to the release}"\n' > required.yml
: > empty.yml
printf 'services:\n  caf\xe9:\n    image: nginx\n' > latin1.yml
printf 'services:\n  web:\n    image: nginx\n    mem_limit: 1g\n# c\0mment\n  big:\n    image: x\n    mem_limit: 6000g\n' > nul.yml
printf 'services:\n  web:\n    image: nginx\n' | iconv -t UTF-16LE > utf16-nobom.yml
printf '\xff\xfe' > utf16.yml; printf 'services:\n  web:\n    image: nginx\n' | iconv -t UTF-16LE >> utf16.yml
printf '\xfe\xff' > utf16be.yml; printf 'services:\n  web:\n    image: nginx\n' | iconv -t UTF-16BE >> utf16be.yml
printf '\xff\xfe\0\0' > utf32.yml; printf 's' | iconv -t UTF-32LE >> utf32.yml
mkdir -p nulenv && printf 'A=1\0B=2\n' > nulenv/.env && printf 'services:\n  web:\n    image: "nginx:${A}"\n' > nulenv/compose.yml
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources: {limits: {memory: 12Zi}}\n' > bad-quantity.yaml
printf 'apiVersion: v1\nkind: Pod\n\0' > nul.yaml
mkfifo fifo.yml fifo.yaml fifo.env fifo.json fifo.token fifo.csv fifo.db fifo-machines.yml
printf 'services:\n  web:\n    image: nginx\n    env_file: fifo.env\n' > envfifo.yml
printf 'include:\n  - fifo.yml\nservices:\n  web:\n    image: nginx\n' > includefifo.yml
printf 'services:\n  web:\n    image: nginx\n    env_file: missing.env\n' > envmissing.yml
mkdir -p adir
ln -s own.yml link.yml
printf 'services:\n  web:\n    image: nginx\n    mem_limit: 512m\n  adminer:\n    image: adminer\n    mem_limit: 4g\n' > own.yml
echo '{"a": 1e999}' > overflow.json
echo '{"services": [' > truncated.json
printf 'not json' > notjson.json
printf 'secret\r\nX-Evil: 1\n' > crlf.token
printf 'good-token\n' > good.token
: > empty.db
printf 'SQLite format 3\0' > notsqlite.db
sqlite3 appid.db "PRAGMA application_id = 1398033222;" 2>/dev/null || true
sqlite3 other.db "PRAGMA application_id = 42; CREATE TABLE t(x);" 2>/dev/null || true
# Stores of older schema versions, from the code's own DDL of those versions
# (store_schema.cpp's k_schema_v1 and k_migrate_v1_to_v2), stamped as record stamps them.
schema_block() { sed -n "/$1 = R\"sql(/,/^)sql\";/p" "$src/src/stackfit/store/store_schema.cpp" | sed '1d;$d'; }
{ schema_block k_schema_v1; echo "PRAGMA application_id = 1398033222; PRAGMA user_version = 1;"; } | sqlite3 v1.db
{ schema_block k_schema_v1; schema_block k_migrate_v1_to_v2
  echo "PRAGMA application_id = 1398033222; PRAGMA user_version = 2;"; } | sqlite3 v2.db
printf 'time_ns,service,working_set_bytes\n' > header-only.csv
printf 'machines:\n  - name: m\n    memory: lots\n' > bad-machines.yml
long=$(head -c 102400 /dev/zero | tr '\0' 'a')
# Issue 17's loader edges (folded in from the older hostile_input_test.sh).
mkdir -p kfolder/overlays/prod && printf 'resources: [../../base]\n' > kfolder/overlays/prod/kustomization.yaml
printf 'services:\n  a:\n    image: x\n    command: |\n      echo $1\n      make -j$(nproc) ${A\n      more\n' > multiline.yml
printf 'services:\n  a:\n    image: x\n    mem_limit: "\\e]0;pwned\\a1g"\n' > escape.yml
printf 'services:\n  a:\n    image: x\n    mem_limit: -2\n' > negative.yml
# Accepted, as Compose / Kubernetes accept them: a lone `$` is text (x- blocks
# too), -1 is no memory limit, quantities are trimmed and capped, unknown
# fields are kept and ignored.
printf 'x-build:\n  cmd: make -j$(nproc) && echo $1 ^REGEX$\nservices:\n  a:\n    image: x\n    command: echo $1 a $ b\n    mem_limit: -1\n    cpus: 0.5\n' > dollar.yml
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources: {limits: {memory: " 512Mi ", cpu: 9Ei}}\n' > trimmed.yaml
printf 'x-anything: {a: 1}\nservices:\n  web:\n    image: nginx\n    some_future_field: {b: 2}\n    mem_limit: 64m\n' > unknown.yml
