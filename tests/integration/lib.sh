# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest's integration tests; sourced by each test.
#
# busybox runs its own applets before PATH, so the real
# iproute2 and kmod are reached through functions with full paths.
ip() { /usr/bin/ip "$@"; }
tc() { /usr/sbin/tc "$@"; }
modprobe() { /usr/sbin/modprobe "$@"; }
rmmod() { /usr/sbin/rmmod "$@"; }
lsmod() { /usr/sbin/lsmod "$@"; }

GKA_FAILED=0
GKA_ASSERTS=0

ok() { GKA_ASSERTS=$((GKA_ASSERTS + 1)); echo "  ok - $*"; }
not_ok() {
	GKA_ASSERTS=$((GKA_ASSERTS + 1))
	GKA_FAILED=$((GKA_FAILED + 1))
	echo "  not ok - $*"
}

# check "description" command...: one assertion.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq "description" expected actual
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (expected '$2', got '$3')"
	fi
}

# Abort the test: what follows depends on this.
fatal() { not_ok "$*"; finish; }

finish() {
	echo "  $GKA_ASSERTS assertions, $GKA_FAILED failed"
	[ "$GKA_ASSERTS" -gt 0 ] && [ "$GKA_FAILED" = 0 ]
	exit $?
}

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# wait_for TIMEOUT_MS command...: poll a condition every 5 ms. This is a
# deadline for something the test asserts will happen, not a pause.
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		usleep 5000
	done
}

# never_within TIMEOUT_MS command...: the condition does not become true
# within the window; the window is what is asserted, not a pause.
never_within() { ! wait_for "$@"; }

# Under a KASAN+lockdep kernel on TCG every exec costs seconds, an
# "ip netns exec" (mount namespace, sysfs remount) several: so each test
# namespace gets its sysfs mounted once at /run/sys-NS, read and written
# with shell builtins, and commands enter a namespace with nsenter only.
netns_add() {
	ip netns add "$1" || return 1
	mkdir -p "/run/sys-$1"
	nsenter "--net=/run/netns/$1" mount -t sysfs sysfs "/run/sys-$1"
}

# The sysfs mount pins the namespace: unmount before deleting it.
netns_del() {
	umount "/run/sys-$1" 2>/dev/null
	rmdir "/run/sys-$1" 2>/dev/null
	ip netns del "$1"
}

netns_del_all() {
	local m
	for m in /run/sys-*; do
		[ -d "$m" ] && netns_del "${m#/run/sys-}"
	done
	ip -all netns delete 2>/dev/null
}

in_ns() {
	local ns=$1
	shift
	nsenter "--net=/run/netns/$ns" "$@"
}

# net NS DEV: the device's sysfs directory in namespace NS.
net() { echo "/run/sys-$1/class/net/$2"; }

# ka NS DEV FILE: print a keepalive attribute. ka_read sets $KA instead,
# without a fork.
ka_read() { read -r KA < "/run/sys-$1/class/net/$2/keepalive/$3"; }
ka() { ka_read "$@" && echo "$KA"; }
ka_set() { { echo "$4" > "/run/sys-$1/class/net/$2/keepalive/$3"; } 2>/dev/null; }
carrier() { read -r KA < "/run/sys-$1/class/net/$2/carrier" && echo "$KA"; }
carrier_is() { read -r KA < "/run/sys-$1/class/net/$2/carrier" && [ "$KA" = "$3" ]; }

# Two routers A and B joined through a WAN router W:
#   A a0 192.0.2.1/24 -- w0 192.0.2.254 W w1 198.51.100.254 -- b0 198.51.100.2/24 B
# and a GRE tunnel gre1 between A and B, 203.0.113.1/30 <-> 203.0.113.2/30.
# Extra arguments are added to both tunnel definitions (key, csum, ...).
A_WAN=192.0.2.1
B_WAN=198.51.100.2
A_IN=203.0.113.1
B_IN=203.0.113.2

topology() {
	modprobe veth && modprobe ip_gre || fatal "modprobe veth ip_gre"
	netns_add a
	netns_add w
	netns_add b
	# One ip a namespace (ip -batch): on the debug kernel each exec of
	# ip costs most of a second, and every test starts here.
	ip -batch - <<-EOF
	link add a0 netns a type veth peer name w0 netns w
	link add b0 netns b type veth peer name w1 netns w
	EOF
	in_ns w sysctl -qw net.ipv4.ip_forward=1
	ip -n w -batch - <<-EOF
	addr add 192.0.2.254/24 dev w0
	addr add 198.51.100.254/24 dev w1
	link set lo up
	link set w0 up
	link set w1 up
	EOF
	ip -n a -batch - <<-EOF
	addr add $A_WAN/24 dev a0
	link set lo up
	link set a0 up
	route add default via 192.0.2.254
	EOF
	ip -n b -batch - <<-EOF
	addr add $B_WAN/24 dev b0
	link set lo up
	link set b0 up
	route add default via 198.51.100.254
	EOF
}

# The same WAN over IPv6: A6 on a0, B6 on b0, W forwarding between them.
A6=2001:db8:1::1
B6=2001:db8:2::2

topology6() {
	in_ns w sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n a addr add $A6/64 dev a0 nodad
	ip -n w addr add 2001:db8:1::fe/64 dev w0 nodad
	ip -n w addr add 2001:db8:2::fe/64 dev w1 nodad
	ip -n b addr add $B6/64 dev b0 nodad
	ip -n a -6 route add default via 2001:db8:1::fe
	ip -n b -6 route add default via 2001:db8:2::fe
}

# tunnel NS NAME LOCAL REMOTE INNER [options...]
tunnel() {
	local ns=$1 name=$2 local=$3 remote=$4 inner=$5
	shift 5
	ip -n "$ns" -batch - <<-EOF
	link add $name type gre local $local remote $remote ttl 64 $*
	addr add $inner/30 dev $name
	link set $name up
	EOF
}

tunnels() {
	tunnel a gre1 $A_WAN $B_WAN $A_IN "$@"
	tunnel b gre1 $B_WAN $A_WAN $B_IN "$@"
}

# What a plain Linux router needs to answer keepalives (the martian check).
reflector() {
	in_ns "$1" sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward &&
		echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter &&
		echo 0 > /proc/sys/net/ipv4/conf/$2/rp_filter &&
		echo 1 > /proc/sys/net/ipv4/conf/$2/accept_local"
}

# Cut and restore the path between A and B in the WAN.
blackhole() { ip -n w route add blackhole "$B_WAN/32"; }
restore() { ip -n w route del blackhole "$B_WAN/32"; }

ping_ok() { in_ns "$1" ping -c 1 -W 2 "$2" >/dev/null 2>&1; }

# keepalive NS DEV INTERVAL_MS RETRIES: configure and enable through sysfs.
keepalive() {
	ka_set "$1" "$2" interval_ms "$3" &&
		ka_set "$1" "$2" retries "$4" &&
		ka_set "$1" "$2" enabled 1
}

ka_at_least() { ka_read "$1" "$2" "$3" && [ "$KA" -ge "$4" ]; }

# watch_down NS DEV RETRIES TIMEOUT_MS: wait for the carrier to drop while
# checking, at every look, Cisco's rule that the line stays up while fewer
# than RETRIES probes are unanswered. Fails on a violation or a timeout.
watch_down() {
	local deadline=$(($(now_ms) + $4)) c1 car c2
	while :; do
		ka_read "$1" "$2" counter && c1=$KA
		read -r car < "/run/sys-$1/class/net/$2/carrier"
		ka_read "$1" "$2" counter && c2=$KA
		if [ "$car" = 1 ] && [ "$c1" -gt "$3" ]; then
			echo "  line still up with counter $c1 > retries $3"
			return 1
		fi
		if [ "$car" = 0 ]; then
			if [ "$c2" -le "$3" ]; then
				echo "  line down with counter $c2 <= retries $3"
				return 1
			fi
			return 0
		fi
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		usleep 5000
	done
}

operstate_is() { read -r KA < "/run/sys-$1/class/net/$2/operstate" && [ "$KA" = "$3" ]; }

# ka_refused NS DEV FILE VALUE: the write must fail.
ka_refused() { ! ka_set "$@" 2>/dev/null; }

# out_has PATTERN command...: the command's output matches PATTERN.
out_has() {
	local pat=$1
	shift
	"$@" 2>&1 | grep -q -- "$pat"
}

# out_lines N command...: the command prints exactly N lines.
out_lines() {
	local n=$1
	shift
	[ "$("$@" | wc -l)" = "$n" ]
}

# wire NS ARGS...: gka-wire in namespace NS (probes, captures).
wire() { local ns=$1; shift; in_ns "$ns" gka-wire "$@"; }

# capture_start NS DEV UNTIL_ID [TIMEOUT_MS [detail]]: AF_PACKET capture
# (gka-wire) of the GRE packets on DEV into $CAP, in the background
# ($CAP_PID), returned once it listens. It ends at the outgoing packet
# whose IPv4 id or IPv6 flow label is UNTIL_ID, or after TIMEOUT_MS
# (default 20000); detail adds the DS fields, keys and inner headers.
CAP=/tmp/gka-capture
capture_start() {
	: > $CAP
	in_ns "$1" gka-wire capture "$2" "$3" "${4:-20000}" ${5:-} > $CAP &
	CAP_PID=$!
	wait_for 10000 cap_ready
}
cap_ready() { read -r KA < $CAP && [ "$KA" = ready ]; }

# --- Fault injection: a quiet console, a judged kernel log ----------------

# Failing allocations makes the kernel report some of them with a stack
# dump (warn_alloc's "page allocation failure" and "vmalloc error", a slab
# cache that cannot be made, and every sysctl registration that fails),
# which the guest runner would take for splats on the console. While
# faults are injected the console is quiet and the kernel log is recorded
# instead, then judged here: none of the runner's splats but "Call
# Trace:", no duplicate name, and no stack dump but those allocation
# failure reports.
SPLAT_RE='BUG:|WARNING:|Oops|general protection fault|Kernel panic|kernel BUG|KASAN|UBSAN|possible circular locking|inconsistent lock state|suspicious RCU usage|unreferenced object|RCU detected stall|rcu_sched detected|hung_task|waiting for .* to become free'
ALLOC_RE='page allocation failure:|vmalloc error:|percpu: allocation failed|kmem_cache_create.* failed with error'
DUP_RE='duplicate|EEXIST'
KMSG=/tmp/kmsg.log

# quiet_start PART: console quiet, kernel log recorded from here on.
quiet_start() {
	PART=$1
	read -r CONSOLE_LEVEL _ < /proc/sys/kernel/printk
	echo 1 > /proc/sys/kernel/printk
	# From now on, not from the oldest record: cat read the whole buffer
	# first, and gave up (EPIPE) when a busy kernel overwrote records
	# before it got to them. gka-stress kmsg says so instead.
	gka-stress kmsg > $KMSG &
	KMSG_PID=$!
	# It records from the moment it opens the log: mark until it has.
	check "$PART: kernel log recorder started" wait_for 10000 kmsg_begun
}
kmsg_begun() {
	echo "gka-quiet: $PART begin" > /dev/kmsg
	usleep 20000
	kmsg_has "gka-quiet: $PART begin"
}

kmsg_has() { grep -q "$1" $KMSG; }
no_match() { ! grep -Eq "$1" "$2"; }

# stack_dumps LOG: the stack dumps in LOG, and how many of them report an
# allocation failure: after a warn_alloc line, or from a failed sysctl
# registration. The others are printed.
stack_dumps() {
	awk -v alloc="$ALLOC_RE" '
	/^CPU: [0-9]+ PID: [0-9]+ Comm:/ {
		dump = $0 "\n"; ok = prev ~ alloc; n++; next
	}
	dump != "" {
		dump = dump $0 "\n"
		if ($0 ~ /__register_sysctl_table/)
			ok = 1
		if ($0 ~ /<\/TASK>/) {
			if (ok)
				good++
			else
				printf "    after: %s\n%s", prev, dump
			dump = ""
		}
		next
	}
	{ prev = $0 }
	END { print n + 0, good + 0 }' "$1"
}

# quiet_end: the console as it was; the log of PART judged.
quiet_end() {
	local log=/tmp/kmsg-$PART.txt dumps traces
	echo "gka-quiet: $PART end" > /dev/kmsg
	check "$PART: kernel log recorded to the end" \
		wait_for 10000 kmsg_has "gka-quiet: $PART end"
	check "$PART: kernel log recorder ran throughout" kill $KMSG_PID
	wait $KMSG_PID 2>/dev/null
	check "$PART: no record lost before it was read" \
		no_match 'gka-stress: kmsg: records lost' $KMSG
	echo "$CONSOLE_LEVEL" > /proc/sys/kernel/printk
	# The text of the records since the part began.
	sed -n "/gka-quiet: $PART begin/,\$s/^[0-9]*,[0-9]*,[0-9]*,[^;]*;//p" \
		$KMSG > $log
	dumps=$(stack_dumps $log | tail -1)
	echo "  $PART: ${dumps% *} stack dumps in the kernel log, ${dumps#* } of them allocation failure reports"
	check "$PART: no kernel splat" no_match "$SPLAT_RE" $log
	check "$PART: no duplicate name" no_match "$DUP_RE" $log
	traces=$(grep -c 'Call Trace:' $log)
	check_eq "$PART: no stack dump but allocation failure reports" \
		"$traces $traces" "$dumps"
	[ "${dumps% *}" = "${dumps#* }" ] || stack_dumps $log | head -120
	check "$PART: kmemleak still running" no_match \
		'Kernel memory leak detector disabled|Cannot allocate a kmemleak_object' $log
}
