#!/usr/bin/env bash
# Installs the Debian packages the e2e needs, only when one of their commands is missing.
# Needs root when something is missing; without root it fails with the list of what to install.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# command -> Debian package that provides it (Debian 12)
declare -A need=(
  [qemu-system-x86_64]=qemu-system-x86
  [nvme]=nvme-cli
  [depmod]=kmod
  [modprobe]=kmod
  [cpio]=cpio
  [zstd]=zstd
  [dpkg-deb]=dpkg
  [flock]=util-linux
)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
# busybox-static is needed specifically (a dynamic busybox would need its libc in the guest too).
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || missing+=(busybox-static)
# The kubelet simulator that asks the agent's device plugin for the VM's VF runs in the guest on Debian's Python gRPC
# stack (tests/kubelet-sim): the guest gets the host's python3 with these modules.
for pkg in python3-grpcio python3-grpc-tools python3-protobuf; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# The .NET binaries load OpenSSL with dlopen (SHA-256, TLS); the guest gets the host's copy.
PATH="$PATH:/usr/sbin:/sbin" ldconfig -p 2>/dev/null | grep -q 'libssl\.so\.3 .*x86-64' || missing+=(libssl3)

if [ ${#missing[@]} -eq 0 ]; then
  e2e_log "dependencies present"
  exit 0
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
[ "$(id -u)" = 0 ] || e2e_die "missing Debian packages (${missing[*]}); run as root or: apt-get install ${missing[*]}"
e2e_log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || e2e_die "apt-get update failed"
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || e2e_die "apt-get install ${missing[*]} failed"
