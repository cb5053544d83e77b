#!/usr/bin/env bash
# Installs the npm packages of tests/tools/kube-models (kubernetes-models: validators generated from the Kubernetes
# OpenAPI, 4.5.1 runs on node 20) with `npm ci` into a cache, keyed by the lock file, and copies the validator next
# to them. Never committed.
#
# usage: tests/tools/fetch-kube-models.sh [DEST]
#   DEST defaults to $NVMELM_KUBE_MODELS_DIR, else <repo>/.build/kube-models.
# Prints the directory that holds validate.cjs and node_modules/ on success.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOURCE="$REPO_ROOT/tests/tools/kube-models"
DEST="${1:-${NVMELM_KUBE_MODELS_DIR:-$REPO_ROOT/.build/kube-models}}"
KEY="$(cat "$SOURCE/package.json" "$SOURCE/package-lock.json" | sha256sum | cut -c1-16)"

command -v node >/dev/null || { echo "fetch-kube-models: node is required" >&2; exit 2; }
command -v npm >/dev/null || { echo "fetch-kube-models: npm is required" >&2; exit 2; }

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
flock 9
if [[ "$(cat "$DEST/.key" 2>/dev/null)" != "$KEY" || ! -d "$DEST/node_modules/kubernetes-models" ]]; then
  rm -rf "$DEST/node_modules" "$DEST/.key"
  cp "$SOURCE/package.json" "$SOURCE/package-lock.json" "$DEST/"
  (cd "$DEST" && npm ci --silent --no-audit --no-fund >/dev/null) \
    || { echo "fetch-kube-models: 'npm ci' in $DEST failed" >&2; exit 3; }
  echo "$KEY" >"$DEST/.key"
fi
cp "$SOURCE/validate.cjs" "$DEST/validate.cjs"
echo "$DEST"
