#!/usr/bin/env bash
# Fetches the current Debian cloud kernel (NVMe built in, vfio as modules) through apt and unpacks it
# into a cache directory keyed by package name and version, so reruns skip the download.
# usage: fetch-kernel.sh CACHE_DIR   -> prints the unpacked kernel root on stdout
# The ABI package (linux-image-6.1.0-NN-cloud-amd64) changes with Debian updates, so it is resolved
# from the meta package every run (qemu-nvme-sriov-lab.md "Advice for CI").
set -euo pipefail
. "$(dirname "$0")/common.sh"
cache=${1:?cache dir}
export PATH="$PATH:/usr/sbin:/sbin"

resolve() { apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}'; }
kpkg=$(resolve || true)
if [ -z "$kpkg" ]; then
  # A fresh machine may have no package lists yet.
  [ "$(id -u)" = 0 ] || e2e_die "cannot resolve linux-image-cloud-amd64 (no apt lists) and not root"
  apt-get update -q >/dev/null
  kpkg=$(resolve)
fi
[ -n "$kpkg" ] || e2e_die "apt knows no linux-image-cloud-amd64 dependency"
kver=$(apt-cache policy "$kpkg" | awk '/Candidate:/{print $2}')
root="$cache/kernel/$kpkg-$kver"
if [ ! -f "$root/.complete" ]; then
  e2e_log "downloading $kpkg $kver"
  rm -rf "$root" && mkdir -p "$root.dl"
  (cd "$root.dl" && apt-get download -o APT::Sandbox::User=root "$kpkg=$kver" >/dev/null) || e2e_die "apt-get download $kpkg=$kver failed"
  dpkg-deb -x "$root.dl"/*.deb "$root"
  rm -rf "$root.dl"
  kv=$(ls "$root/lib/modules")
  # The deb ships no modules.dep.
  depmod -b "$root" "$kv"
  touch "$root/.complete"
else
  e2e_log "kernel cached: $kpkg $kver"
fi
echo "$root"
