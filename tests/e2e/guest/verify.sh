# verify_prepared PREFIX N Q I: independent checks (sysfs + nvme-cli only) that the PF is prepared
# with N VFs, each secondary online with Q VQ / I VI flexible resources, mapped SCID <-> VFN <-> VF,
# bound to vfio-pci with its /dev/vfio/<group>. One marker per property.
verify_prepared() {
  local p=$1 n=$2 q=$3 i=$4 bad_sec="" bad_map="" bad_drv="" bad_grp="" k=0 line vf want g extra
  check "$p.autoprobe" "sriov_drivers_autoprobe=$(autoprobe), want 0" [ "$(autoprobe)" = 0 ]
  check "$p.numvfs" "sriov_numvfs=$(numvfs), want $n" [ "$(numvfs)" = "$n" ]
  secondary_table >/tmp/verify.sec
  while [ $k -lt "$n" ]; do
    line=$(awk -v vfn=$((k + 1)) '$2 == vfn' /tmp/verify.sec)
    [ "$(echo "$line" | awk '{ print $3, $4, $5 }')" = "1 $q $i" ] || bad_sec="$bad_sec vfn$((k + 1))=[$line]"
    vf=$(vf_of $k 2>/dev/null)
    want=$(expected_vf_bdf $k)
    [ "$vf" = "$want" ] || bad_map="$bad_map virtfn$k=$vf(want $want)"
    [ "$(driver_of "$vf")" = vfio-pci ] || bad_drv="$bad_drv $vf:$(driver_of "$vf")"
    g=$(group_of "$vf" 2>/dev/null)
    [ -n "$g" ] && [ -c "/dev/vfio/$g" ] || bad_grp="$bad_grp $vf:group=$g"
    k=$((k + 1))
  done
  # Secondaries beyond N must be offline with nothing assigned (numvfs=0 on the way resets them).
  extra=$(awk -v n="$n" '$2 > n && ($3 != 0 || $4 != 0 || $5 != 0)' /tmp/verify.sec | oneline)
  check "$p.secondaries" "online with NVQ=$q NVI=$i:${bad_sec:- all $n ok}; others offline/empty:${extra:- ok}" \
    [ -z "$bad_sec$extra" ]
  check "$p.mapping" "SCID<->VFN<->virtfn<->BDF:${bad_map:- all $n as offset/stride predict}" [ -z "$bad_map" ]
  check "$p.vfio-bind" "driver vfio-pci:${bad_drv:- all $n}" [ -z "$bad_drv" ]
  check "$p.vfio-group" "/dev/vfio/<group> present:${bad_grp:- all $n}" [ -z "$bad_grp" ]
}

# dump_hw PREFIX: the nvme-cli JSON views and sysfs facts, for the host-side cross-check.
dump_hw() {
  nvme id-ctrl "$CTRL" -o json >/tmp/x.json 2>&1; block "$1.id-ctrl" /tmp/x.json
  nvme primary-ctrl-caps "$CTRL" -o json >/tmp/x.json 2>&1; block "$1.primary-ctrl-caps" /tmp/x.json
  nvme list-secondary "$CTRL" -o json >/tmp/x.json 2>&1; block "$1.list-secondary" /tmp/x.json
  sysfs_facts >/tmp/x.txt; block "$1.sysfs" /tmp/x.txt
}

# layout_is N Q I: quiet predicate, true when the PF is provisioned exactly so (the properties verify_prepared
# reports one by one): autoprobe off, N VFs on vfio-pci, secondaries 1..N online with Q VQ / I VI, the others
# offline with nothing assigned. The run-mode scenarios wait for it after each API change.
layout_is() {
  local n=$1 q=$2 i=$3 k=0
  [ "$(autoprobe)" = 0 ] && [ "$(numvfs)" = "$n" ] || return 1
  while [ $k -lt "$n" ]; do
    [ "$(driver_of "$(vf_of $k 2>/dev/null)")" = vfio-pci ] || return 1
    k=$((k + 1))
  done
  # Every secondary must be listed (an nvme-cli failure lists none, which must not pass).
  secondary_table | awk -v n="$n" -v q="$q" -v i="$i" '
    ($2 <= n && ($3 != 1 || $4 != q || $5 != i)) || ($2 > n && ($3 != 0 || $4 != 0 || $5 != 0)) { bad = 1 }
    $2 <= n { listed++ }
    END { exit bad || listed != n }'
}
