#!/usr/bin/env bash
# Builds the container images of the operator and the node agent as OCI archives, with no container daemon and
# nothing downloaded but NuGet packages: build/publish.sh (self-contained single files) on a distroless-style base
# of exactly the libraries they need, from this machine's Debian packages (build/base-rootfs.sh), assembled with
# umoci and written with skopeo. The same images as build/operator.Dockerfile and build/agent.Dockerfile.
#
# usage: bash build/images.sh [OUT_DIR]                          (root, Debian 12; OUT_DIR default .build/images)
#   OUT_DIR/nvme-lm-operator.oci.tar, OUT_DIR/nvme-lm-agent.oci.tar   oci-archive, tagged VERSION
#   OUT_DIR/debian-packages.txt                                      the base layer's Debian packages and versions
# env:
#   NVMELM_IMAGE_VERSION   tag and org.opencontainers.image.version (default: the chart's appVersion)
#   NVMELM_IMAGE_SOURCE    org.opencontainers.image.source (default: https://github.com/nvmelm/nvme-lm-operator)
#   NVMELM_PUBLISH_SOURCE  worktree|head, passed to build/publish.sh
# push:   skopeo copy oci-archive:OUT_DIR/nvme-lm-agent.oci.tar docker://REGISTRY/REPO/nvme-lm-agent:VERSION
#
# Layout of both images: /app/<binary> (the entrypoint), user 65532:65532 (distroless "nonroot"), no shell.
# Two layers: the base (libraries, passwd, dpkg status) — identical in both images and across versions whose
# packages did not change, so a registry stores it once — and the application.
# The agent runs as root on real hardware (the chart sets runAsUser 0 and privileged there: NVMe admin passthrough
# needs CAP_SYS_ADMIN, sysfs SR-IOV files are root's); the image's default user is still non-root, so running it
# anywhere else (emulated hardware, the CLI on a laptop) needs no privilege.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$repo/.build/images}" && cd "${1:-$repo/.build/images}" && pwd)
log() { printf '[images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: umoci unpack/repack keeps file owners only as root"
for tool in umoci skopeo dpkg-query; do
  command -v "$tool" >/dev/null || die "$tool is required: apt-get install umoci skopeo"
done
[ -x "$repo/build/publish.sh" ] || die "build/publish.sh is missing"

version=${NVMELM_IMAGE_VERSION:-$(awk -F'"' '/^appVersion:/ { print $2 }' "$repo/charts/nvme-lm-operator/Chart.yaml")}
[ -n "$version" ] || die "no version (Chart.yaml appVersion or NVMELM_IMAGE_VERSION)"
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)
if [ "${NVMELM_PUBLISH_SOURCE:-worktree}" = worktree ] && [ -n "$(git -C "$repo" status --porcelain 2>/dev/null)" ]; then
  revision="$revision-dirty"
fi
source_url=${NVMELM_IMAGE_SOURCE:-https://github.com/nvmelm/nvme-lm-operator}
# Reproducible layers: every file's mtime and the config's creation time are the last commit's.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "publishing (build/publish.sh)"
operator_binary=$(bash "$repo/build/publish.sh" operator "$work/publish")
agent_binary=$(bash "$repo/build/publish.sh" agent "$work/publish")

log "base layer from Debian packages"
bash "$repo/build/base-rootfs.sh" "$work/base" "$operator_binary" "$agent_binary" >"$work/debian-packages.txt"
packages=$(paste -sd' ' "$work/debian-packages.txt")

# build NAME BINARY PORT DESCRIPTION [EXTRA_FILE...]: one image, written to $out/NAME.oci.tar.
build() {
  local name=$1 binary=$2 port=$3 description=$4
  shift 4
  local layout="$work/$name-layout" bundle="$work/$name-bundle" entry="/app/$(basename "$binary")"
  umoci init --layout "$layout"
  umoci new --image "$layout:$version"
  umoci unpack --image "$layout:$version" "$bundle" >/dev/null
  cp -a "$work/base/." "$bundle/rootfs/"
  umoci repack --image "$layout:$version" --history.created "$created" --history.created_by "build/base-rootfs.sh" \
    --history.comment "distroless-style base: $packages" "$bundle"
  rm -rf "$bundle"
  umoci unpack --image "$layout:$version" "$bundle" >/dev/null
  mkdir -p "$bundle/rootfs/app"
  install -m 0755 "$binary" "$bundle/rootfs$entry"
  local extra
  for extra in "$@"; do
    install -m 0644 "$extra" "$bundle/rootfs/app/$(basename "$extra")"
  done
  touch -h -d "@$SOURCE_DATE_EPOCH" $(find "$bundle/rootfs/app")
  umoci repack --image "$layout:$version" --history.created "$created" --history.created_by "build/publish.sh" \
    --history.comment "$name $version ($revision)" "$bundle"
  umoci config --image "$layout:$version" --created "$created" --history.created "$created" --history.created_by "build/images.sh" \
    --os linux --architecture amd64 \
    --config.user 65532:65532 \
    --config.entrypoint "$entry" \
    --config.workingdir /app \
    --config.exposedports "$port/tcp" \
    --config.env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    --config.label "org.opencontainers.image.title=$name" \
    --config.label "org.opencontainers.image.description=$description" \
    --config.label "org.opencontainers.image.source=$source_url" \
    --config.label "org.opencontainers.image.version=$version" \
    --config.label "org.opencontainers.image.revision=$revision" \
    --config.label "io.nvmelm.debian-packages=$packages"
  umoci gc --layout "$layout"
  rm -f "$out/$name.oci.tar"
  skopeo copy --quiet "oci:$layout:$version" "oci-archive:$out/$name.oci.tar:$version"
  log "$name: $out/$name.oci.tar ($(du -h "$out/$name.oci.tar" | cut -f1))"
}

build nvme-lm-operator "$operator_binary" 8080 \
  "NvmeLmOperator operator: renders NvmeVfPools onto NvmeNodes and runs NvmeMigrations with rollback"
build nvme-lm-agent "$agent_binary" 8081 \
  "NvmeLmOperator node agent: applies NvmeNode specs to NVMe SR-IOV hardware (sysfs, NVMe admin commands), kubelet device plugin" \
  "$repo/node-agent/NvmeLm.NodeAgent/emulated-host.json"
cp "$work/debian-packages.txt" "$out/debian-packages.txt"
log "done: version $version, revision $revision; push with: skopeo copy oci-archive:$out/<image>.oci.tar docker://<registry>/<repository>/<image>:$version"
