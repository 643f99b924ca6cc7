#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, failover section (gka.mode=bench-failover): keepalive side by
# side with FRR's bfdd on t-92's topology and OSPF configuration (Debian's
# FRR from the router root), with the same detection budget, I x 3 for
# I = 1000 and 100 ms. Configurations:
#   B        keepalive off; bfdd on both ends (ip ospf bfd + profile);
#   K        keepalive on both ends, no BFD;
#   K-plain  keepalive on A only; B answers as plain Linux (the module's
#            reflection off there, lib.sh's reflector sysctls), no bfdd.
# Per run (GKA_FAILOVER_RUNS each, default 20), with a 1000 pps stream from
# the host behind A to the host behind B: steady state (route via gre1,
# BFD up for B), the cut at a random phase within I, then
#   detect    cut -> A's line protocol down (the module's last_change_ns), or
#             cut -> bfdd on A leaving Up (its log, microseconds);
#   adj       cut -> ospfd on A leaves Full over gre1 (its log; why);
#   failover  cut -> send time of the first packet on the backup;
#   loss      packets lost from the cut to the restore (1 packet = 1 ms);
#   recovery  restore -> A's kernel route back via gre1 (polled), and the
#             packets lost from the restore to the next cut.
# CPU (GKA_FAILOVER_CPU_S windows, default 20 s, no stream, steady state):
# bfdd's own run time (A + B) from /proc/PID/schedstat, exact; the system's
# user+system+irq+softirq time from /proc/stat, which the 6.1 stock kernel
# samples at the tick (no IRQ_TIME_ACCOUNTING): the module's timer and
# packet work runs in softirq and is seen only as tick samples over the
# OSPF-only baseline; plus the TIMER/HRTIMER/NET_RX softirq rates.
# Output: "BENCH-FO ..." lines; tests/bench/failover-report.sh makes the
# table on the host.
. /tests/integration/lib-routers.sh

RUNS=${GKA_FAILOVER_RUNS:-20}
CPU_S=${GKA_FAILOVER_CPU_S:-20}
PORT=9093

fo() { echo "BENCH-FO $*"; }
frrlog() { echo "/run/r/$1/root/var/log/frr/frr.log"; }
route_is() { ip -n "$1" route show "$2" | grep -Eq -- "$3"; }
bfd_up() { vtysh "$1" "show bfd peers brief" 2>/dev/null | grep -Eq "$2 +up"; }
count() { grep -ac -- "$2" "$(frrlog "$1")"; }
# more_lines NS PATTERN N: the log has more than N lines matching PATTERN.
more_lines() { [ "$(count "$1" "$2")" -gt "$3" ]; }
# nth_ns_of_day NS PATTERN N: the time of day (UTC, ns) of the Nth log
# line matching PATTERN.
nth_ns_of_day() {
	grep -a -- "$2" "$(frrlog "$1")" | sed -n "${3}p" | awk -v off="$TZ_NS" '{
		split($2, t, ":")
		printf "%.0f\n", ((t[1] * 60 + t[2]) * 60 + t[3]) * 1e9 - off }'
}
# bfdd on A leaving Up for the peer over gre1 (control-expired: its own
# timeout; neighbor-down: the peer told it), and ospfd on A leaving Full
# over gre1 (Deleted (KillNbr): the interface went down; Deleted
# (InactivityTimer): BFD; Init (1-WayReceived): B dropped A first, B's
# hellos still reach A, the cut being A to B only).
BFD_DOWN="state-change:.*peer:$GRE_B4 .*\] up -> "
ADJ_DOWN="on gre1:.*: Full -> "
DAY=86400000000000
# since_us T_NS NS_OF_DAY: microseconds from T to that time of day.
since_us() { echo $(((($2 - $1 % DAY) % DAY + DAY + DAY / 2) % DAY - DAY / 2)) | awk '{ printf "%d\n", $1 / 1000 }'; }

# CPU snapshot: bfdd ns (A+B) user+nice+system+irq+softirq system softirq
# (USER_HZ ticks, all vCPUs) TIMER HRTIMER NET_RX (counts).
cpu_snap() {
	local b=0 r p s
	for r in a b; do
		p=$(cat /run/r/$r/root/run/frr/bfdd.pid 2>/dev/null) || continue
		read -r s _ < /proc/$p/schedstat && b=$((b + s))
	done
	echo "$b $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $4, $8 }' /proc/stat)" \
		"$(awk '$1 == "TIMER:" || $1 == "HRTIMER:" || $1 == "NET_RX:" {
			s = 0; for (i = 2; i <= NF; i++) s += $i; printf "%s ", s }' /proc/softirqs)"
}
cpu_window() {	# CFG
	local s0 s1 t0 t1 p0 p1 f0 f1
	wait_for 60000 steady || { fo "cpu cfg=$1 error=not-steady"; return; }
	f0=$(($(count a "$ADJ_DOWN") + $(ka a gre1 transitions)))
	s0=$(cpu_snap)
	t0=$(now_ns)
	p0=$(ka a gre1 probes_sent)
	sleep "$CPU_S"
	s1=$(cpu_snap)
	t1=$(now_ns)
	p1=$(ka a gre1 probes_sent)
	# Nothing was cut: any adjacency lost or line protocol change over
	# gre1 in the window is a false alarm.
	f1=$(($(count a "$ADJ_DOWN") + $(ka a gre1 transitions)))
	echo "$s0 $s1" | awk -v cfg="$1" -v ns=$((t1 - t0)) -v probes=$((p1 - p0)) -v false=$((f1 - f0)) \
		-v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" '{
		printf "BENCH-FO cpu cfg=%s secs=%.1f bfdd_ns=%.0f busy_ticks=%d sys_ticks=%d softirq_ticks=%d timer=%d hrtimer=%d net_rx=%d probes_a=%d hz=%d false_alarms=%d\n",
			cfg, ns / 1e9, $8 - $1, $9 - $2, $10 - $3, $11 - $4, $12 - $5, $13 - $6, $14 - $7, probes, hz, false }'
}

# Steady state for the current configuration (MODE, set by each section).
steady() {
	case $MODE in
	K*) carrier_is a gre1 1 || return 1 ;;
	esac
	route_is a $LANB4 "via $GRE_B4 dev gre1 proto ospf" || return 1
	[ "$MODE" != B ] || { bfd_up a $GRE_B4 && bfd_up b $GRE_A4; }
}

run_one() {	# CFG I RUN
	local cfg=$1 i=$2 n=$3 nb na t_cut t_fo ok=1 det= adj= reason= t_rest t_rec
	wait_for 60000 steady || { fo "run cfg=$cfg i=$i run=$n error=not-steady"; return 1; }
	usleep $(($(awk -v s="$n$$" 'BEGIN { srand(s); print int(rand() * 1000) }') * i))
	nb=$(count a "$BFD_DOWN")
	na=$(count a "$ADJ_DOWN")
	t_cut=$(now_ns)
	blackhole
	wait_for $((i * 4 + 15000)) route_is a $LANB4 "dev a1 proto ospf" || ok=0
	t_fo=$(now_ns)
	case $MODE in
	B)
		wait_for 5000 more_lines a "$BFD_DOWN" "$nb" &&
			det=$(since_us $t_cut "$(nth_ns_of_day a "$BFD_DOWN" $((nb + 1)))")
		;;
	*)
		wait_for 5000 carrier_is a gre1 0 &&
			det=$((($(ka a gre1 last_change_ns) - t_cut) / 1000))
		;;
	esac
	if wait_for 5000 more_lines a "$ADJ_DOWN" "$na"; then
		adj=$(since_us $t_cut "$(nth_ns_of_day a "$ADJ_DOWN" $((na + 1)))")
		reason=$(grep -a -- "$ADJ_DOWN" "$(frrlog a)" | sed -n "$((na + 1))p" |
			sed -n 's/.*: Full -> \([A-Za-z]*\) (\(.*\))$/\1:\2/p')
	fi
	# Down before the cut: a false alarm, not a detection.
	case "$det$adj" in *-*) ok=0 ;; esac
	[ -n "$det" ] && [ -n "$adj" ] ||
		grep -a "state-change:\|AdjChg: .* on gre1:" "$(frrlog a)" | tail -6 | sed "s/^/BENCH-FO diag cfg=$cfg run=$n /"
	t_rest=$(now_ns)
	restore
	wait_for 60000 route_is a $LANB4 "via $GRE_B4 dev gre1 proto ospf" || ok=0
	t_rec=$(now_ns)
	echo "$cfg $i $n $t_cut $t_rest $t_rec $ok ${det:--} ${adj:--} ${reason:--} $(((t_fo - t_cut) / 1000)) $(((t_rec - t_rest) / 1000))" >> /tmp/fo-runs
}

# Runs of one configuration, one stream for all of them; the per-run lines
# are completed from the receiver's report once the stream has ended.
runs() {	# CFG I
	local n=1 cfg i t_cut t_rest t_rec ok det adj reason fo_poll rec_us next_cut fb lp lm gaps
	: > /tmp/fo-runs
	# Long enough for every run (at most the hour gka-wire allows);
	# stream_stop ends it.
	local d=$((RUNS * 30000 + 60000))
	[ $d -le 3600000 ] || d=3600000
	stream_start ha hb $HB4 $PORT 1000 $d || { fo "runs cfg=$1 error=stream"; return; }
	# stream_start's EXIT trap replaced router_root's.
	trap 'stream_kill; routers_end' EXIT
	[ "$MODE" != B ] || vtysh a "show bfd peers" | sed "s/^/BENCH-FO diag cfg=$1 /"
	# The timers bfdd runs the session with (its remote's, once agreed).
	[ "$MODE" != B ] || fo "bfd cfg=$1 $(vtysh a "show bfd peers" | grep -iE 'interval|multiplier' |
		tr -s ' \t' ' ' | sed 's/^ //' | paste -sd, - | tr ' ' _)"
	while [ $n -le "$RUNS" ]; do
		run_one "$1" "$2" $n
		n=$((n + 1))
	done
	wait_for 60000 steady
	t_end=$(now_ns)
	stream_stop || fo "runs cfg=$1 error=stream-end"
	grep -a '^total' $STREAM | sed "s/^/BENCH-FO stream cfg=$1 /"
	# Each run's recovery loss: from its restore to the next run's cut.
	while read -r cfg i n t_cut t_rest t_rec ok det adj reason fo_poll rec_us; do
		next_cut=$(awk -v n="$n" -v end="$t_end" '$3 == n + 1 { print $4; f = 1 } END { if (!f) print end }' /tmp/fo-runs)
		fb=$(stream_first_dscp_after "$t_cut" $DSCP_BACKUP)
		set -- $(stream_loss "$t_cut" "$t_rest")
		lp=$1 lm=$2
		# One gap, the failover's: another before the restore is a
		# route that flapped on the backup, and the run is not ok.
		gaps=$(stream_gap_count "$t_cut" "$t_rest")
		[ "$gaps" = 1 ] || ok=0
		set -- $(stream_loss "$t_rest" "$next_cut")
		fo "run cfg=$cfg i=$i run=$n ok=$ok detect_us=$det adj_us=$adj reason=$reason" \
			"failover_us=$([ -n "$fb" ] && echo $(((fb - t_cut) / 1000)) || echo -)" \
			"route_poll_us=$fo_poll loss_pkts=$lp loss_ms=$lm gaps=$gaps recover_us=$rec_us rec_loss_pkts=$1 rec_loss_ms=$2"
	done < /tmp/fo-runs
}

# bfd_timers NS I: bfdd's one session runs at I both ways: its own
# timers and those its peer announced.
bfd_timers() {
	vtysh "$1" "show bfd peers" | awk -v want="$2ms" '
	/^[ \t]*(Receive|Transmission) interval:/ { n++; if ($NF == want) m++ }
	END { exit !(n == 4 && m == 4) }'
}
bfd_none() { vtysh "$1" "show bfd peers brief" | grep -q 'Session count: 0'; }
# bfd_profile I: OSPF's BFD sessions over gre1 made anew with the profile
# at I, on both ends: bfdd applies a profile's timers to a session made
# after it read the profile (a session FRR 8.4 made before, at startup, or
# changed in place ran at other timers than the profile's).
bfd_profile() {
	local r
	for r in a b; do
		vtysh $r "configure terminal" "interface gre1" "no ip ospf bfd"
	done
	wait_for 30000 bfd_none a && wait_for 30000 bfd_none b ||
		fo "bfd error=sessions-left"
	for r in a b; do
		vtysh $r "configure terminal" "bfd" "profile tunnel" "transmit-interval $1" \
			"receive-interval $1" "detect-multiplier 3"
	done
	# ospfd makes a neighbour's session when the neighbour reaches
	# 2-Way: the adjacencies made again.
	for r in a b; do
		vtysh $r "configure terminal" "interface gre1" "ip ospf bfd" "ip ospf bfd profile tunnel"
		vtysh $r "clear ip ospf neighbor"
	done
	wait_for 60000 bfd_timers a "$1" && wait_for 60000 bfd_timers b "$1" && return 0
	fo "bfd error=timers-not-$1"
	vtysh a "show bfd peers" | sed "s/^/BENCH-FO diag /"
	return 1
}

failover_topology
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
router_root
TZ_NS=0
fo "meta versions=$(tr '\t\n' '= ' < /debian/gka-versions | sed 's/ $//; s/ /,/g') kernel=$(uname -r) runs=$RUNS cpu_s=$CPU_S vcpus=$(nproc)"
for r in a b; do
	router_add $r
	sed 's/-interval 100$/-interval 1000/' /tests/integration/routers/frr-ospf-bfd-$r.conf \
		> /run/r/$r/root/etc/frr/frr.conf
done
z=$(in_router a date +%z)
case $z in
[+-][0-9][0-9][0-9][0-9]) TZ_NS=$(echo "$z" | awk '{ s = substr($1, 1, 1) == "-" ? -1 : 1
	printf "%.0f\n", s * (substr($1, 2, 2) * 3600 + substr($1, 4, 2) * 60) * 1e9 }') ;;
esac
frr_start a ospfd bfdd || fatal "FRR on A"
frr_start b ospfd bfdd || fatal "FRR on B"

# B: bfdd on both ends, keepalive off.
MODE=B
for i in 1000 100; do
	if bfd_profile $i && wait_for 60000 steady; then
		runs B-$i $i
		cpu_window B-$i
	else
		fo "runs cfg=B-$i error=no-steady-state"
	fi
done

# Baseline: OSPF only (bfdd idle, no session), keepalive off.
for r in a b; do
	vtysh $r "configure terminal" "interface gre1" "no ip ospf bfd"
done
MODE=base
cpu_window base

# K: keepalive on both ends.
MODE=K
for i in 1000 100; do
	keepalive a gre1 $i 3 && keepalive b gre1 $i 3 || fatal "keepalive $i"
	runs K-$i $i
	cpu_window K-$i
done

# K-plain: B is plain Linux for keepalive (no module reflection, no BFD).
MODE=K-plain
ka_set b gre1 enabled 0
ka_set b gre1 reflect 0 || fatal "reflect 0 on B"
reflector b gre1
for i in 1000 100; do
	keepalive a gre1 $i 3 || fatal "keepalive $i"
	runs K-plain-$i $i
done
frr_stop a
frr_stop b
ok "bench-failover ran"
finish
