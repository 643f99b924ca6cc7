# SPDX-License-Identifier: GPL-2.0
# Routers running Debian's own routing daemons, for the failover tests;
# sourced by a test after nothing else (it sources lib-failover.sh, which
# sources lib.sh).
#
# The guest stays busybox; Debian (bookworm: FRR, BIRD 2, ifupdown,
# systemd-networkd) comes as a read-only disk, scripts/router-root.sh's
# image, which quick.sh and check.sh attach to a guest running a test with
# the line "# gka-needs: routers". Each router is a namespace of the
# topology with a root of its own: an overlay of that disk, so that it
# writes its own /etc and /run, and its daemons start as on a router,
# through Debian's scripts, with no systemd.
#
#   router_root            mount the disk at /debian (once per guest)
#   router_add NS          NS's root at /run/r/NS/root
#   in_router NS CMD...    CMD chrooted there, in NS's network namespace
#   frr_start NS DAEMON... FRR with those daemons (zebra and staticd always)
#                          and /run/r/NS/root/etc/frr/frr.conf, as written
#   vtysh NS CMD...        each CMD a vtysh -c
#   frr_stop NS
#   bird_start NS          BIRD with /run/r/NS/root/etc/bird/bird.conf
#   birdc NS CMD...        one birdc command
#   bird_stop NS
# Every daemon is killed and every mount undone when the test's shell
# exits (routers_end), however it exits: the guest runs the tests in turn.
. /tests/integration/lib-failover.sh

ROUTER_DISK=/dev/vda
ROUTER_LOWER=/debian

routers_disk_ready() { [ -b $ROUTER_DISK ]; }

router_root() {
	if [ ! -e $ROUTER_LOWER/gka-versions ]; then
		modprobe -a virtio_pci virtio_blk ext4 overlay ||
			fatal "modprobe virtio_pci virtio_blk ext4 overlay"
		# No disk is a failure, never a skip: the guest was started
		# without GKA_DISK (scripts/router-root.sh).
		wait_for 10000 routers_disk_ready ||
			fatal "no router root disk ($ROUTER_DISK): the guest needs GKA_DISK"
		mkdir -p $ROUTER_LOWER
		mount -t ext4 -o ro $ROUTER_DISK $ROUTER_LOWER ||
			fatal "mount the router root $ROUTER_DISK"
	fi
	echo "  router root: $(tr '\t\n' ' ,' < $ROUTER_LOWER/gka-versions)"
	trap routers_end EXIT
}

# What a router writes (configuration, pid files, sockets, logs) goes to
# its overlay's upper layer on the guest's tmpfs, gone with it.
router_add() {
	local r=/run/r/$1
	mkdir -p $r/upper $r/work $r/root &&
		mount -t overlay overlay \
			-o lowerdir=$ROUTER_LOWER,upperdir=$r/upper,workdir=$r/work $r/root &&
		mount -t proc proc $r/root/proc &&
		mount -o bind /dev $r/root/dev &&
		mount -o bind "/run/sys-$1" $r/root/sys ||
		fatal "router root for $1"
}

in_router() {
	local ns=$1
	shift
	in_ns "$ns" chroot "/run/r/$ns/root" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root "$@"
}

# The pids of the processes running in NS's root.
router_pids() {
	local p root
	for p in /proc/[0-9]*; do
		root=$(readlink "$p/root" 2>/dev/null) || continue
		[ "$root" = "/run/r/$1/root" ] && echo "${p#/proc/}"
	done
}
router_idle() { [ -z "$(router_pids "$1")" ]; }

# frr_start NS DAEMON...: watchfrr starts zebra, staticd and the others
# named, then hands them frr.conf (vtysh -b) once all are up.
frr_start() {
	local ns=$1 r=/run/r/$1/root d
	shift
	for d in "$@"; do
		sed -i "s/^$d=no/$d=yes/" $r/etc/frr/daemons
	done
	in_router "$ns" /usr/lib/frr/frrinit.sh start >/tmp/frr-$ns.start 2>&1 ||
		{ cat /tmp/frr-$ns.start; fatal "$ns: frrinit.sh start"; }
	for d in zebra staticd "$@"; do
		wait_for 60000 frr_running "$ns" "$d" ||
			{ cat /tmp/frr-$ns.start; fatal "$ns: FRR's $d started"; }
	done
	wait_for 60000 frr_configured "$ns" ||
		fatal "$ns: frr.conf applied (watchfrr ran vtysh -b)"
}

# A daemon with its pid file and answering on its vty socket.
frr_running() {
	local pid
	read -r pid 2>/dev/null < "/run/r/$1/root/run/frr/$2.pid" &&
		[ -d "/proc/$pid" ] && [ -S "/run/r/$1/root/run/frr/$2.vty" ]
}

# watchfrr says all its daemons are up once it has sent them the config.
frr_configured() {
	vtysh "$1" "show watchfrr" 2>/dev/null | grep -q 'phase: Idle'
}

vtysh() {
	local ns=$1 c
	shift
	for c; do
		set -- "$@" -c "$c"
		shift
	done
	in_router "$ns" vtysh "$@"
}

frr_stop() {
	in_router "$1" /usr/lib/frr/frrinit.sh stop >/dev/null 2>&1
	wait_for 20000 router_idle "$1" || router_kill "$1"
}

BIRD_CTL=/run/bird/bird.ctl

bird_start() {
	in_router "$1" mkdir -p /run/bird &&
		in_router "$1" bird -c /etc/bird/bird.conf -s $BIRD_CTL -P /run/bird/bird.pid ||
		fatal "$1: bird started"
	wait_for 30000 bird_up "$1" || fatal "$1: bird answers on $BIRD_CTL"
}
bird_up() { birdc "$1" show status 2>/dev/null | grep -q 'Daemon is up'; }

birdc() {
	local ns=$1
	shift
	in_router "$ns" birdc -s $BIRD_CTL "$@"
}

bird_stop() {
	birdc "$1" down >/dev/null 2>&1
	wait_for 20000 router_idle "$1" || router_kill "$1"
}

router_kill() {
	local p
	for p in $(router_pids "$1"); do
		kill -9 "$p" 2>/dev/null
	done
	wait_for 10000 router_idle "$1"
}

# Every router's processes killed, its mounts undone, its files gone.
routers_end() {
	local r ns m
	for r in /run/r/*; do
		[ -d "$r" ] || continue
		ns=${r#/run/r/}
		router_kill "$ns" || echo "  $ns: processes left: $(router_pids "$ns")"
		for m in sys dev proc ''; do
			umount "$r/root/$m" 2>/dev/null
		done
		rm -rf "$r"
	done
}
