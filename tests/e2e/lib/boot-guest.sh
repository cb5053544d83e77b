#!/usr/bin/env bash
# Boots the guest under TCG (KVM is unusable on the nested CI VMs, see qemu-nvme-sriov-lab.md) with an
# emulated IOMMU (Debian kernels have no VFIO no-IOMMU mode) and one QEMU NVMe controller with SR-IOV:
# 4 VFs, 12 flexible VQ and 8 flexible VI resources, at most 4 VQ / 4 VI per VF (sriov_max_vq_per_vf /
# sriov_max_vi_per_vf, reported as VQFRSM/VIFRSM in CNS 0x14), so a pool can give a VF more than one I/O
# queue (admin + 3) and the VM inside the guest can prove the count. The primary keeps max_ioqpairs - 12 = 2
# private VQs and msix_qsize - 8 = 2 private VIs, the minimum QEMU accepts (lab, "Failures and their causes" 1).
# 3 GiB: the initramfs (three .NET single files, kubectl, QEMU) is unpacked into RAM, and the run mode adds
# three .NET processes and a 256 MiB VM.
# usage: boot-guest.sh KERNEL INITRD RUN_DIR   (serial console -> RUN_DIR/serial.log)
# env:   E2E_BOOT_TIMEOUT (default 2400 s; only stops a hang), E2E_GUEST_ARGS (appended to the kernel command line)
# no_timer_check: on a busy host the emulated CPU is so slow that the kernel's check of the IO-APIC timer
# through interrupt remapping fails and it panics at boot ("timer doesn't work through Interrupt-remapped
# IO-APIC"); the check only guards against broken hardware.
# QEMU exits 0 on poweroff whatever the guest did, so its exit code is not a verdict.
set -euo pipefail
. "$(dirname "$0")/common.sh"
kernel=${1:?kernel}; initrd=${2:?initrd}; run=${3:?run dir}
[ -f "$run/nvm.img" ] || truncate -s 64M "$run/nvm.img"
rc=0
timeout "${E2E_BOOT_TIMEOUT:-2400}" qemu-system-x86_64 \
  -machine q35 -accel tcg -cpu max -smp 2 -m 3G -nographic -no-reboot -nic none -vga none \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 quiet loglevel=4 intel_iommu=on iommu=pt panic=-1 no_timer_check ${E2E_GUEST_ARGS:-}" \
  -device intel-iommu,intremap=on \
  -device pcie-root-port,id=rp0,chassis=1,slot=1 \
  -drive file="$run/nvm.img",if=none,id=nvm,format=raw \
  -device nvme-subsys,id=subsys0 \
  -device nvme,id=nvme0,bus=rp0,serial=deadbeef,subsys=subsys0,max_ioqpairs=14,msix_qsize=10,sriov_max_vfs=4,sriov_vq_flexible=12,sriov_vi_flexible=8,sriov_max_vq_per_vf=4,sriov_max_vi_per_vf=4 \
  -device nvme-ns,drive=nvm,bus=nvme0,nsid=1 \
  </dev/null >"$run/serial.log" 2>"$run/qemu.stderr" || rc=$?
[ "$rc" = 124 ] && e2e_log "QEMU killed by timeout after ${E2E_BOOT_TIMEOUT:-2400} s"
[ -s "$run/qemu.stderr" ] && { e2e_log "qemu stderr:"; cat "$run/qemu.stderr" >&2; }
e2e_log "qemu exit code $rc (not a verdict)"
exit 0
