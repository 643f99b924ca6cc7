#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel and initramfs under qemu (TCG, no network device), stream
# the console to LOG, and fail if the guest did not report success or the
# kernel complained anywhere in the console.
#   run-guest.sh KERNEL INITRAMFS LOG TIMEOUT_S MEM_MB "extra cmdline"
# GKA_DISK=IMAGE attaches IMAGE read-only as the guest's /dev/vda (the
# router root, scripts/router-root.sh); read-only, so that guests side by
# side share it.
set -uo pipefail
. "$(dirname "$0")/common.sh"

kernel=$1 initrd=$2 logfile=$3 timeout_s=$4 mem=$5 cmdline=$6
# Emptied first: a run that ends before its guest starts leaves no older
# run's console to be read as its own.
: > "$logfile"
disk=()
if [ -n "${GKA_DISK:-}" ]; then
	[ -r "$GKA_DISK" ] || die "no disk image $GKA_DISK"
	disk=(-drive "file=$GKA_DISK,if=virtio,format=raw,readonly=on")
fi

# Splats that fail a run whatever the tests said.
SPLAT_RE='BUG:|WARNING:|Oops|general protection fault|Kernel panic|kernel BUG|KASAN|UBSAN|possible circular locking|inconsistent lock state|suspicious RCU usage|unreferenced object|Call Trace:|RCU detected stall|rcu_sched detected|hung_task|waiting for .* to become free'

# GKA_SLOTS=DIR (make check): at most as many guests at a time, over every
# script that boots one, as DIR has files slot.*, each held with flock by
# the guest that has it. Waiting guests go in order of GKA_GUEST_COST
# (the seconds they are expected to run), the longest first, so that
# the last to run are the short ones; the wait is not the guest's time.
# A guest that has no slot after GKA_SLOT_WAIT seconds (7200: a make
# check's guests take well under that, even on a shared machine) fails.
#
# A waiter is its file wait.COST.TIME.PID.START, START the process's start
# time (field 22 of /proc/PID/stat), so that a dead waiter's PID, reused
# by the kernel, is not taken for a live waiter.
start_time() {	# PID
	local s f
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	read -r -a f <<<"${s##*) }"
	echo "${f[19]}"
}
take_slot() {
	local w s pid first deadline=$((SECONDS + ${GKA_SLOT_WAIT:-7200}))
	me=$GKA_SLOTS/wait.$(printf '%06d' $((999999 - ${GKA_GUEST_COST:-0}))).$(date +%s%N).$$.$(start_time $$)
	# Global: the trap runs after take_slot has returned.
	trap 'rm -f "$me"' EXIT
	while :; do
		# Made again if it went (a make check started on the same
		# build directory empties it), in its place in the queue.
		[ -e "$me" ] || : 2>/dev/null > "$me"
		first=
		for w in $(cd "$GKA_SLOTS" 2>/dev/null && ls wait.* 2>/dev/null | sort); do
			pid=${w%.*} pid=${pid##*.}
			# A waiter killed before its turn gives it up.
			if [ "$(start_time "$pid")" = "${w##*.}" ]; then first=$w; break; fi
			rm -f "$GKA_SLOTS/$w"
		done
		if [ "$GKA_SLOTS/$first" = "$me" ]; then
			for s in "$GKA_SLOTS"/slot.*; do
				[ -e "$s" ] || continue
				exec 9>"$s" || continue
				flock -n 9 && { rm -f "$me"; return 0; }
				exec 9>&-
			done
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			log "no guest slot in $GKA_SLOTS after ${GKA_SLOT_WAIT:-7200}s; giving up"
			echo "run-guest.sh: no guest slot after ${GKA_SLOT_WAIT:-7200}s" >> "$logfile"
			exit 1
		fi
		sleep 1
	done
}
[ -z "${GKA_SLOTS:-}" ] || take_slot

timeout --foreground -k 10 "$timeout_s" \
	qemu-system-x86_64 -accel tcg -machine q35 -cpu max -smp "${GKA_SMP:-2}" -m "$mem" \
	-nographic -no-reboot -nic none -monitor none -serial stdio \
	-kernel "$kernel" -initrd "$initrd" "${disk[@]}" \
	-append "console=ttyS0,115200 panic=-1 oops=panic kasan_multi_shot loglevel=7 $cmdline" \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$logfile"
rc=${PIPESTATUS[0]}

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	log "guest timed out after ${timeout_s}s"
	exit 1
fi
if grep -aEq "$SPLAT_RE" "$logfile"; then
	log "kernel splat in console:"
	grep -aEn "$SPLAT_RE" "$logfile" | head -20 >&2
	exit 1
fi
status=$(grep -ao 'GKA-EXIT [0-9]*' "$logfile" | tail -1 | cut -d' ' -f2)
if [ -z "$status" ]; then
	log "guest ended without reporting a result"
	exit 1
fi
exit "$status"
