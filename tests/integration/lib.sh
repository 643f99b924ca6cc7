# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest's integration tests; sourced by each test.
#
# busybox runs its own applets before PATH (REFERENCE §4), so the real
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

in_ns() { ip netns exec "$@"; }

# ka NS DEV FILE: a keepalive sysfs attribute of a tunnel in namespace NS.
ka() { in_ns "$1" cat "/sys/class/net/$2/keepalive/$3"; }
ka_set() { in_ns "$1" sh -c "echo $4 > /sys/class/net/$2/keepalive/$3"; }
carrier() { in_ns "$1" cat "/sys/class/net/$2/carrier"; }
carrier_is() { [ "$(carrier "$1" "$2")" = "$3" ]; }

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
	ip netns add a
	ip netns add w
	ip netns add b
	ip link add a0 netns a type veth peer name w0 netns w
	ip link add b0 netns b type veth peer name w1 netns w
	in_ns w sysctl -qw net.ipv4.ip_forward=1
	in_ns w ip addr add 192.0.2.254/24 dev w0
	in_ns w ip addr add 198.51.100.254/24 dev w1
	in_ns a ip addr add $A_WAN/24 dev a0
	in_ns b ip addr add $B_WAN/24 dev b0
	for n in a w b; do
		in_ns $n ip link set lo up
	done
	in_ns w ip link set w0 up
	in_ns w ip link set w1 up
	in_ns a ip link set a0 up
	in_ns b ip link set b0 up
	in_ns a ip route add default via 192.0.2.254
	in_ns b ip route add default via 198.51.100.254
}

# tunnel NS NAME LOCAL REMOTE INNER [options...]
tunnel() {
	local ns=$1 name=$2 local=$3 remote=$4 inner=$5
	shift 5
	in_ns "$ns" ip link add "$name" type gre local "$local" remote "$remote" ttl 64 "$@"
	in_ns "$ns" ip addr add "$inner/30" dev "$name"
	in_ns "$ns" ip link set "$name" up
}

tunnels() {
	tunnel a gre1 $A_WAN $B_WAN $A_IN "$@"
	tunnel b gre1 $B_WAN $A_WAN $B_IN "$@"
}

# What a plain Linux router needs to answer keepalives (REFERENCE §2).
reflector() {
	in_ns "$1" sysctl -qw net.ipv4.ip_forward=1
	in_ns "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0
	in_ns "$1" sysctl -qw "net.ipv4.conf.$2.rp_filter=0"
	in_ns "$1" sysctl -qw "net.ipv4.conf.$2.accept_local=1"
}

# Cut and restore the path between A and B in the WAN.
blackhole() { in_ns w ip route add blackhole "$B_WAN/32"; }
restore() { in_ns w ip route del blackhole "$B_WAN/32"; }

ping_ok() { in_ns "$1" ping -c 1 -W 2 "$2" >/dev/null 2>&1; }

# keepalive NS DEV INTERVAL_MS RETRIES: configure and enable through sysfs.
keepalive() {
	ka_set "$1" "$2" interval_ms "$3" &&
		ka_set "$1" "$2" retries "$4" &&
		ka_set "$1" "$2" enabled 1
}

ka_at_least() { [ "$(ka "$1" "$2" "$3")" -ge "$4" ]; }

# watch_down NS DEV RETRIES TIMEOUT_MS: wait for the carrier to drop while
# checking, at every look, Cisco's rule that the line stays up while fewer
# than RETRIES probes are unanswered. Fails on a violation or a timeout.
watch_down() {
	local deadline=$(($(now_ms) + $4)) c1 car c2
	while :; do
		c1=$(ka "$1" "$2" counter)
		car=$(carrier "$1" "$2")
		c2=$(ka "$1" "$2" counter)
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

operstate_is() { [ "$(in_ns "$1" cat "/sys/class/net/$2/operstate")" = "$3" ]; }

# ka_refused NS DEV FILE VALUE: the write must fail.
ka_refused() { ! ka_set "$@" 2>/dev/null; }
