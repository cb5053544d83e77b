#!/usr/bin/env bash
# Assembles a distroless-style root filesystem with exactly the shared libraries the given binaries need, taken from
# this machine's installed Debian packages (nothing is downloaded): what `ldd` lists, plus libssl/libcrypto, which the
# .NET runtime loads with dlopen (TLS to the API server, SHA-256), so ldd cannot see them. Also:
#   /etc/passwd, /etc/group   root and nonroot (65532), as distroless has them
#   /tmp                      1777 (the runtime's diagnostics socket; read-only root filesystems mount over it)
#   /var/lib/dpkg/status.d/   one dpkg status stanza per package, as distroless has them, so image scanners see the
#                             Debian packages and versions
#   /usr/share/doc/<pkg>/copyright   each package's licence
# and prints "package=version" lines (the packages the libraries came from) on stdout.
# No shell, no package manager, no coreutils: nothing runs in the image but the binaries.
#
# usage: build/base-rootfs.sh ROOTFS BINARY...        (ROOTFS must not exist; run as root on Debian)
# env:   SOURCE_DATE_EPOCH  mtime of every file (reproducible layers; default: now)
set -euo pipefail
rootfs=${1:?usage: build/base-rootfs.sh ROOTFS BINARY...}
shift
[ $# -gt 0 ] || { echo "base-rootfs: no binaries given" >&2; exit 2; }
[ ! -e "$rootfs" ] || { echo "base-rootfs: $rootfs exists" >&2; exit 2; }
for tool in ldd dpkg dpkg-query; do
  command -v "$tool" >/dev/null || { echo "base-rootfs: $tool is required (a Debian machine)" >&2; exit 2; }
done

# The libraries: every binary's ldd closure (absolute paths only; the vDSO has none) and the dlopen'ed OpenSSL.
libraries=$(
  for binary in "$@"; do
    ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
  done
  for soname in libssl.so.3 libcrypto.so.3; do
    path=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64/ { print $NF; exit }')
    [ -n "$path" ] || { echo "base-rootfs: $soname not installed (apt-get install libssl3)" >&2; exit 3; }
    echo "$path"
  done
)
libraries=$(printf '%s\n' "$libraries" | sort -u)

mkdir -p "$rootfs"/{etc,tmp,var/lib/dpkg/status.d,usr/share/doc}
chmod 1777 "$rootfs/tmp"
# Merged /usr as on the host (Debian 12: /lib -> usr/lib, /lib64 -> usr/lib64), so both spellings of a path resolve.
for link in lib lib64; do
  if [ -L "/$link" ]; then
    mkdir -p "$rootfs/usr/$link"
    ln -s "usr/$link" "$rootfs/$link"
  fi
done
packages=""
for library in $libraries; do
  # The path as ldd names it (often a symlink such as /lib64/ld-linux-x86-64.so.2) and the file it resolves to.
  real=$(readlink -f "$library")
  for path in "$library" "$real"; do
    mkdir -p "$rootfs$(dirname "$path")"
    cp -a --no-dereference "$path" "$rootfs$path"
  done
  # Debian 12 ships libraries under /usr/lib with /lib a symlink to it (merged /usr): dpkg knows the /lib name.
  package=$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || true)
  package=${package%%:*}
  [ -n "$package" ] || { echo "base-rootfs: no Debian package owns $real" >&2; exit 3; }
  packages="$packages $package"
done

for package in $(printf '%s\n' $packages | sort -u); do
  dpkg-query -s "$package" >"$rootfs/var/lib/dpkg/status.d/$package"
  if [ -f "/usr/share/doc/$package/copyright" ]; then
    mkdir -p "$rootfs/usr/share/doc/$package"
    cp "/usr/share/doc/$package/copyright" "$rootfs/usr/share/doc/$package/copyright"
  fi
  dpkg-query -W -f '${Package}=${Version}\n' "$package"
done

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
mkdir -p "$rootfs/home/nonroot" "$rootfs/root"
chown 65532:65532 "$rootfs/home/nonroot"
chmod 0700 "$rootfs/root"

touch -h -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" $(find "$rootfs")
