#!/usr/bin/env bash
# Builds the node agent's image (docs/node-agent.md) from a stackfit binary,
# FROM scratch, with nothing pulled: the binary, and until a static build is
# available the shared libraries `ldd` lists for it (and the dynamic loader),
# copied at their own paths. The image runs as uid/gid 65534 (nobody).
#
# usage: build_image.sh <stackfit-binary> <tag>
#   e.g. build_image.sh build/stackfit stackfit-node-agent:latest
# The engine is the docker CLI's (DOCKER_HOST); $DOCKER names the CLI (default docker).
# Prints the image ID on success; one line on stderr and exit 1 on failure.
set -euo pipefail
binary=$1
tag=$2
[[ -x $binary ]] || { echo "build_image.sh: $binary: not an executable" >&2; exit 1; }
context=$(mktemp -d /tmp/sfimage.XXXXXX)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/usr/bin" "$context/rootfs/var/lib/stackfit" "$context/rootfs/tmp"
cp "$binary" "$context/rootfs/usr/bin/stackfit"
# Debug sections are most of a RelWithDebInfo binary and nothing the agent runs.
if command -v strip >/dev/null; then strip --strip-debug "$context/rootfs/usr/bin/stackfit"; fi
# "libfoo.so => /lib/.../libfoo.so (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)";
# a static binary prints "not a dynamic executable" (ldd exits 1) and copies nothing.
libraries=$(ldd "$binary" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' || true)
for lib in $libraries; do
  mkdir -p "$context/rootfs$(dirname "$lib")"
  cp -L "$lib" "$context/rootfs$lib"
done
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
USER 65534:65534
ENTRYPOINT ["/usr/bin/stackfit"]
CMD ["record", "--kube-node", "--db", "/var/lib/stackfit/node.db", "--listen", "0.0.0.0:9101"]
DOCKERFILE
chmod 1777 "$context/rootfs/tmp"
chmod 0777 "$context/rootfs/var/lib/stackfit"
"${DOCKER:-docker}" build -q -t "$tag" "$context"
