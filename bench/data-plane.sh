#!/usr/bin/env bash
# Data plane timings (project create, branch create small and ~1 GB, endpoint start/suspend, proxy cold start),
# each against Postgres started by hand on a copy of the same data in the same run. Results go in
# docs/BENCHMARKS.md.
#
#   bench/data-plane.sh [--xfs] [rounds] [1GB-rounds] [rows]
#
# --xfs (as root) also runs every measurement on a server whose data directory is on a loop-mounted XFS image
# with reflink=1, interleaved with the one on the default temp directory: the image is made, mounted, and
# unmounted and deleted again at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
xfs=false
if [[ "${1:-}" == "--xfs" ]]; then xfs=true; shift; fi
rounds="${1:-7}" big_rounds="${2:-3}" rows="${3:-1000000}"
source bench/java-env.sh

roots=("$(findmnt -no FSTYPE -T "${TMPDIR:-/tmp}")=${TMPDIR:-/tmp}")
image="" mnt="" java_pid=""
cleanup() {
  if [[ -n "$java_pid" ]] && kill -0 "$java_pid" 2>/dev/null; then
    kill -TERM "$java_pid" 2>/dev/null || true   # its shutdown hook stops the servers and their computes
    wait "$java_pid" 2>/dev/null || true
  fi
  if [[ -n "$mnt" ]] && mountpoint -q "$mnt"; then
    # Busy only if something still runs there; a lazy unmount then detaches it once that ends.
    umount "$mnt" 2>/dev/null || { sleep 2; umount "$mnt" 2>/dev/null; } || umount -l "$mnt" \
      || echo "could not unmount $mnt" >&2
  fi
  if [[ -n "$mnt" ]]; then rmdir "$mnt" 2>/dev/null || true; fi
  if [[ -n "$image" ]]; then rm -f "$image"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if $xfs; then
  command -v mkfs.xfs >/dev/null || apt-get install -y xfsprogs >/dev/null
  image="$(mktemp /tmp/xenon-bench-xfs.XXXXXX.img)"
  mnt="$(mktemp -d /mnt/xenon-xfs.XXXXXX)"
  truncate -s 8G "$image"
  mkfs.xfs -q -m reflink=1 "$image"
  mount -o loop "$image" "$mnt"
  chmod 755 "$mnt"
  roots+=("xfs-reflink=$mnt")
fi

"${BENCH_JAVA[@]}" dev.xenon.bench.DataPlaneBenchmark "$rounds" "$big_rounds" "$rows" "${roots[@]}" &
java_pid=$!
wait "$java_pid"
