#!/usr/bin/env bash
# Publishes one component as the binary that ships (container images) and that the QEMU e2e runs:
# a self-contained, untrimmed single file for linux-x64 with its debug symbols embedded.
#
# usage: build/publish.sh agent|operator|apiserver OUT_DIR   -> prints OUT_DIR/<binary> on stdout
#   agent     node-agent/NvmeLm.NodeAgent  -> nvme-lm-agent       (DaemonSet; `run` and the hardware CLI)
#   operator  operator/NvmeLm.Operator     -> NvmeLm.Operator     (Deployment)
#   apiserver operator/NvmeLm.ApiServer    -> NvmeLm.ApiServer    (the embedded API server; tests and demos only)
# env:
#   NVMELM_PUBLISH_SOURCE  worktree (default: the working tree, uncommitted edits included) | head (the committed HEAD)
#   NVMELM_PUBLISH_CACHE   cache of finished publishes (default: <repo>/.build/publish), keyed by a hash of
#                          every input, so a rerun with unchanged sources costs nothing
#
# Why untrimmed: KubernetesClient 21.0.8 reads the kubeconfig with YamlDotNet and (de)serialises every
# Kubernetes object with reflection-based System.Text.Json (KubernetesJson's DefaultJsonTypeInfoResolver), and
# NvmeLm.Kube's JSON patches create JsonValue instances of arbitrary types. A trimmed publish reports ~40
# IL2026/IL20xx warnings in those paths, and the trimmed agent failed at start-up loading a kubeconfig
# ("K8SConfiguration … No parameterless constructor"); worse, a trimmed-away property setter would drop a
# status field silently. Untrimmed, nothing is lost to trimming, and every other publish warning (the
# single-file analyzer's IL3000/IL3002 among them) fails the publish: TreatWarningsAsErrors stays on.
# Numbers (tests/e2e/README.md, "Publish"): 111 MB per binary, ~52 MB gzip; a trimmed R2R agent was 62 MB.
#
# The .NET runtime loads libssl.so.3/libcrypto.so.3 with dlopen (SHA-256 and TLS go through OpenSSL on
# Linux), so `ldd` does not list them: whoever packages the binary adds them (tests/e2e/run-e2e.sh does).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
component=${1:?usage: build/publish.sh agent|operator|apiserver OUT_DIR}
out_dir=${2:?usage: build/publish.sh agent|operator|apiserver OUT_DIR}
log() { printf '[publish %s] %s\n' "$component" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

case "$component" in
  agent) project=node-agent/NvmeLm.NodeAgent; binary=nvme-lm-agent ;;
  operator) project=operator/NvmeLm.Operator; binary=NvmeLm.Operator ;;
  apiserver) project=operator/NvmeLm.ApiServer; binary=NvmeLm.ApiServer ;;
  *) die "unknown component '$component' (agent, operator or apiserver)" ;;
esac
source_mode=${NVMELM_PUBLISH_SOURCE:-worktree}
cache=${NVMELM_PUBLISH_CACHE:-$repo/.build/publish}/$component
mkdir -p "$cache" "$out_dir"

# One publish of a component at a time (CI's test projects run in parallel and may share the cache).
exec 9>"$cache/.lock"
flock 9

# Publish from a private copy of the sources: the RID-specific Release restore then never touches the obj/
# of a concurrent Debug build or test run of the same projects, and stray bin/obj folders of other builds
# cannot leak generated .cs files into the compile.
src=$(mktemp -d "$cache/src.XXXXXX")
trap 'rm -rf "$src"' EXIT
case "$source_mode" in
  head) git -C "$repo" archive HEAD | tar -C "$src" -xf - ;;
  worktree) tar -C "$repo" --exclude=./.git --exclude=./.build --exclude=bin --exclude=obj --exclude=TestResults -cf - . | tar -C "$src" -xf - ;;
  *) die "NVMELM_PUBLISH_SOURCE must be worktree or head, not '$source_mode'" ;;
esac
[ -d "$src/$project" ] || die "project not found: $project"

publish_flags=(-c Release -r linux-x64 --self-contained
  -p:PublishSingleFile=true -p:PublishTrimmed=false -p:DebugType=embedded -p:TreatWarningsAsErrors=true)

# The cache key covers exactly what the publish reads: the project's ProjectReference closure, the root build
# files, the flags, the SDK version (other projects' commits do not invalidate it).
closure() {
  local dir=$1 ref
  case " $seen " in *" $dir "*) return ;; esac
  seen="$seen $dir"
  for ref in $(grep -hoE 'ProjectReference Include="[^"]+"' "$dir"/*.csproj | sed -E 's/.*Include="([^"]+)"/\1/'); do
    closure "$(cd "$dir/$(dirname "$ref")" && pwd)"
  done
}
seen=""
closure "$src/$project"
key=$(
  {
    for d in $seen; do find "$d" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s|$src/||"; done
    (cd "$src" && sha256sum Directory.Build.props Directory.Packages.props global.json .editorconfig 2>/dev/null || true)
    echo "${publish_flags[*]}"
    dotnet --version
  } | sha256sum | cut -c1-16
)
published="$cache/$key/$binary"
if [ -x "$published" ]; then
  log "cached ($key)"
else
  log "publishing $project ($key, from $source_mode)"
  rm -rf "$cache/$key.tmp" && mkdir -p "$cache/$key.tmp"
  if ! env -u NVMELM_BUILD_SLOT DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    dotnet publish "$src/$project" "${publish_flags[@]}" -o "$cache/$key.tmp" >"$cache/$key.log" 2>&1; then
    grep -E ': (error|warning) ' "$cache/$key.log" | sort -u | tail -20 >&2
    die "dotnet publish failed (log: $cache/$key.log)"
  fi
  [ -x "$cache/$key.tmp/$binary" ] || die "the publish produced no $binary (log: $cache/$key.log)"
  # The shipped binary must at least start: a broken bundle fails here, not in a guest or a pod.
  "$cache/$key.tmp/$binary" --help >/dev/null || die "the published $binary does not start (--help failed)"
  mv "$cache/$key.log" "$cache/$key.tmp/publish.log"
  rm -rf "${cache:?}/$key" && mv "$cache/$key.tmp" "$cache/$key"
  log "published $(du -h "$published" | cut -f1)"
  # Keep the three newest publishes of this component.
  ls -1dt "$cache"/*/ | grep -v '/src\.' | tail -n +4 | xargs -r rm -rf
fi
cp "$published" "$out_dir/$binary.tmp" && mv -f "$out_dir/$binary.tmp" "$out_dir/$binary"
echo "$out_dir/$binary"
