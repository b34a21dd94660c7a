#!/usr/bin/env bash
# Compares `stackfit inspect --format json` with Debian's docker-compose 1.29
# `config` on every Compose file of the shared corpus: same active services,
# replicas and memory/CPU requests and limits.
# Usage: bash compose_peer_test.sh <stackfit-binary> <source-dir>
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <stackfit-binary> <source-dir>" >&2
  exit 2
fi
stackfit=$1
source_dir=$2
corpus="$source_dir/../shared/corpus/real"
# shellcheck source=../testing/corpus.sh
source "$source_dir/tests/testing/corpus.sh"
corpus_or_skip "$corpus"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

command -v docker-compose >/dev/null || { echo "compose peer: docker-compose is not installed" >&2; exit 1; }
PY=/usr/bin/python3  # Debian's, with python3-yaml (not a pyenv shim from PATH)
"$PY" -c 'import yaml' 2>/dev/null || { echo "compose peer: python3 cannot import yaml (python3-yaml)" >&2; exit 1; }
[[ -x "$stackfit" ]] || { echo "compose peer: $stackfit is not executable" >&2; exit 1; }

exec "$PY" "$here/compose_peer_compare.py" "$stackfit" "$corpus"
