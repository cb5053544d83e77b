#!/usr/bin/env bash
# Publishes nvme-lm-agent as a self-contained, trimmed, ReadyToRun single file for linux-x64 and
# caches it under CACHE_DIR keyed by a hash of every input (node-agent sources, build props, SDK),
# so a rerun with unchanged sources costs nothing.
# usage: publish-agent.sh REPO CACHE_DIR   -> prints the path of the published binary on stdout
#
# Warnings: the repository builds with TreatWarningsAsErrors. The trimmer's IL2xxx/IL3xxx analysis
# warnings come from dependencies' reflection (e.g. KubernetesClient's JSON model) and are not code
# warnings of ours; normal builds already enforce warnings-as-errors on our code. This publish
# therefore sets TreatWarningsAsErrors=false and records the warnings in publish.log; whether trimming
# actually broke something is exactly what the guest run checks by executing the trimmed binary.
set -euo pipefail
. "$(dirname "$0")/common.sh"
repo=${1:?repo}; cache=${2:?cache dir}
proj="$repo/node-agent/NvmeLm.NodeAgent/NvmeLm.NodeAgent.csproj"
[ -f "$proj" ] || e2e_die "agent project not found: $proj"

key=$(
  cd "$repo"
  {
    find node-agent -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.props' -o -name '*.targets' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum
    sha256sum Directory.Build.props Directory.Packages.props global.json 2>/dev/null || true
    dotnet --version
  } | sha256sum | cut -c1-16
)
out="$cache/agent/$key"
if [ -x "$out/nvme-lm-agent" ]; then
  e2e_log "agent publish cached ($key)"
  echo "$out/nvme-lm-agent"
  exit 0
fi
e2e_log "publishing agent ($key)"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
# Publish from a private copy of the sources: the RID-specific Release restore then never touches the
# obj/ of a concurrent Debug build or test run of the same projects (CI runs this from `dotnet test`),
# and stray bin/obj folders of other builds cannot leak generated .cs files into the compile.
src="$cache/agent-src"
rm -rf "$src" && mkdir -p "$src"
tar -C "$repo" --exclude=./.git --exclude=./.build --exclude=bin --exclude=obj --exclude=TestResults -cf - . | tar -C "$src" -xf -
if ! env -u NVMELM_BUILD_SLOT DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  dotnet publish "$src/node-agent/NvmeLm.NodeAgent/NvmeLm.NodeAgent.csproj" -c Release -r linux-x64 --self-contained \
    -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true \
    -p:TreatWarningsAsErrors=false -o "$out.tmp" >"$out.tmp.log" 2>&1; then
  tail -40 "$out.tmp.log" >&2
  e2e_die "dotnet publish of the agent failed (log: $out.tmp.log)"
fi
warn=$(grep -cE 'warning (IL|NU|CS)[0-9]+' "$out.tmp.log" || true)
e2e_log "publish ok, $warn warning lines (trim analysis etc.; see $out/publish.log)"
mv "$out.tmp.log" "$out.tmp/publish.log"
rm -rf "$out" && mv "$out.tmp" "$out"
[ -x "$out/nvme-lm-agent" ] || e2e_die "publish produced no nvme-lm-agent in $out"
echo "$out/nvme-lm-agent"
