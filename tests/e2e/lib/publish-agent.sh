#!/usr/bin/env bash
# Publishes nvme-lm-agent as a self-contained, trimmed, ReadyToRun single file for linux-x64 and
# caches it under CACHE_DIR keyed by a hash of every input (sources, build props, SDK version), so a
# rerun with unchanged sources costs nothing.
# usage: publish-agent.sh REPO CACHE_DIR   -> prints the path of the published binary on stdout
# env:   E2E_AGENT_SOURCE=worktree (default: the working tree, uncommitted edits included)
#                        |head     (the committed HEAD, e.g. while others' edits are mid-way)
#
# Warnings: the repository builds with TreatWarningsAsErrors. The trimmer's IL2xxx/IL3xxx analysis
# warnings come from dependencies' reflection (e.g. KubernetesClient's JSON model) and are not code
# warnings of ours; normal builds already enforce warnings-as-errors on our code. This publish
# therefore sets TreatWarningsAsErrors=false and keeps the warnings in publish.log; whether trimming
# actually broke something is exactly what the guest run checks by executing the trimmed binary.
set -euo pipefail
. "$(dirname "$0")/common.sh"
repo=${1:?repo}; cache=${2:?cache dir}
mkdir -p "$cache/agent"

# Publish from a private copy of the sources: the RID-specific Release restore then never touches the
# obj/ of a concurrent Debug build or test run of the same projects (CI runs this from `dotnet test`),
# and stray bin/obj folders of other builds cannot leak generated .cs files into the compile.
src="$cache/agent-src"
rm -rf "$src" && mkdir -p "$src"
case "${E2E_AGENT_SOURCE:-worktree}" in
  head) git -C "$repo" archive HEAD | tar -C "$src" -xf - ;;
  worktree) tar -C "$repo" --exclude=./.git --exclude=./.build --exclude=bin --exclude=obj --exclude=TestResults -cf - . | tar -C "$src" -xf - ;;
  *) e2e_die "E2E_AGENT_SOURCE must be worktree or head" ;;
esac
proj="$src/node-agent/NvmeLm.NodeAgent/NvmeLm.NodeAgent.csproj"
[ -f "$proj" ] || e2e_die "agent project not found: node-agent/NvmeLm.NodeAgent/NvmeLm.NodeAgent.csproj"

# The cache key covers exactly what the publish reads: the agent project, its ProjectReference closure,
# the root build files and the SDK version (other projects' commits do not invalidate it).
closure() {
  local dir=$1 ref
  case " $seen " in *" $dir "*) return ;; esac
  seen="$seen $dir"
  for ref in $(grep -hoE 'ProjectReference Include="[^"]+"' "$dir"/*.csproj | sed -E 's/.*Include="([^"]+)"/\1/'); do
    closure "$(cd "$dir/$(dirname "$ref")" && pwd)"
  done
}
seen=""
closure "$src/node-agent/NvmeLm.NodeAgent"
key=$(
  {
    for d in $seen; do find "$d" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s|$src/||"; done
    (cd "$src" && sha256sum Directory.Build.props Directory.Packages.props global.json .editorconfig 2>/dev/null || true)
    dotnet --version
  } | sha256sum | cut -c1-16
)
out="$cache/agent/$key"
if [ -x "$out/nvme-lm-agent" ]; then
  e2e_log "agent publish cached ($key)"
  echo "$out/nvme-lm-agent"
  exit 0
fi
e2e_log "publishing agent ($key, from ${E2E_AGENT_SOURCE:-worktree})"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
if ! env -u NVMELM_BUILD_SLOT DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  dotnet publish "$proj" -c Release -r linux-x64 --self-contained \
    -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true \
    -p:TreatWarningsAsErrors=false -o "$out.tmp" >"$out.tmp.log" 2>&1; then
  grep -E 'error|Error' "$out.tmp.log" | sort -u | tail -20 >&2
  e2e_die "dotnet publish of the agent failed (log: $out.tmp.log)"
fi
warn=$(grep -oE 'warning (IL|CS|NU)[0-9]+' "$out.tmp.log" | sort | uniq -c | tr -s ' ' | paste -sd, || true)
e2e_log "publish ok; warnings: ${warn:-none} (see $out/publish.log)"
mv "$out.tmp.log" "$out.tmp/publish.log"
rm -rf "$out" && mv "$out.tmp" "$out"
[ -x "$out/nvme-lm-agent" ] || e2e_die "publish produced no nvme-lm-agent in $out"
# Keep the three newest publishes.
ls -1dt "$cache/agent"/*/ | tail -n +4 | xargs -r rm -rf
echo "$out/nvme-lm-agent"
