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
# A daemon moves the route after it has read the link change: 1000 ms,
# not the kernel's 500, for a loaded host (FRR took up to 160 ms on a
# quiet one, over a second under make check's load).
FAILOVER_REACT_MS=${FAILOVER_REACT_MS:-1000}
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
	# run-all.sh ends the routers after each test too, whatever became
	# of this trap (stream_start sets its own).
	trap 'routers_end; stream_kill' EXIT
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
# named, then hands them frr.conf (vtysh -b) once all are up. Under TCG
# that takes seconds: frr_launch each router, then frr_wait each, starts
# them side by side.
frr_start() {
	frr_launch "$@"
	frr_wait "$@"
}

frr_launch() {
	local ns=$1 r=/run/r/$1/root d
	shift
	for d in "$@"; do
		sed -i "s/^$d=no/$d=yes/" $r/etc/frr/daemons
	done
	now_ms > /tmp/frr-$ns.t0
	in_router "$ns" /usr/lib/frr/frrinit.sh start >/tmp/frr-$ns.start 2>&1 ||
		{ cat /tmp/frr-$ns.start; fatal "$ns: frrinit.sh start"; }
}

frr_wait() {
	local ns=$1 d
	shift
	for d in watchfrr zebra staticd "$@"; do
		wait_for 60000 frr_running_slow "$ns" "$d" ||
			{ cat /tmp/frr-$ns.start; fatal "$ns: FRR's $d started"; }
	done
	read -r d < /tmp/frr-$ns.t0
	d=$(($(now_ms) - d))
	wait_for 60000 frr_configured "$ns" ||
		fatal "$ns: frr.conf applied (watchfrr ran vtysh -b)"
	read -r KA < /tmp/frr-$ns.t0
	echo "  $ns: FRR's daemons up after $d ms, configured after $(($(now_ms) - KA)) ms"
}

# A daemon with its pid file and answering on its vty socket. frr_wait
# asks every 100 ms: wait_for's own polling (an awk a look) would take
# the starting daemons' CPU.
frr_running() {
	local pid
	read -r pid 2>/dev/null < "/run/r/$1/root/run/frr/$2.pid" &&
		[ -d "/proc/$pid" ] && [ -S "/run/r/$1/root/run/frr/$2.vty" ]
}
frr_running_slow() { frr_running "$@" && return 0; usleep 100000; return 1; }

# watchfrr says all its daemons are up once it has sent them the config.
# Asked every 200 ms: a vtysh costs the starting daemons CPU too.
frr_configured() {
	vtysh "$1" "show watchfrr" 2>/dev/null | grep -q 'phase: Idle' && return 0
	usleep 200000
	return 1
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

# frr_routes NS ip|ipv6 PREFIX: zebra's routes for PREFIX, one a line:
#   PROTOCOL DISTANCE SELECTED INSTALLED NEXTHOP...
# SELECTED and INSTALLED (in the FIB) 1 or 0, each NEXTHOP IP%DEV:active
# or IP%DEV:inactive (DEV empty when zebra resolved none), from
# "show ... route PREFIX json".
frr_routes() {
	vtysh "$1" "show $2 route $3 json" | tr -d '\n ' | awk '
	function val(s, k,   v) {
		if (!match(s, "\"" k "\":(\"[^\"]*\"|[^],}]*)"))
			return ""
		v = substr(s, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
		gsub(/"/, "", v)
		return v
	}
	{
		n = split($0, r, /\{"prefix":/)
		for (i = 2; i <= n; i++) {
			h = r[i]
			sub(/"nexthops":.*/, "", h)
			out = val(h, "protocol") " " val(h, "distance") " " \
				(val(h, "selected") == "true") " " (val(h, "installed") == "true")
			m = split(r[i], nh, /\{"flags":/)
			for (j = 2; j <= m; j++)
				out = out " " val(nh[j], "ip") "%" val(nh[j], "interfaceName") \
					":" (val(nh[j], "active") == "true" ? "active" : "inactive")
			print out
		}
	}'
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

# mounted_under DIR: the mount points at DIR or under it.
mounted_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts
}

# Every router's processes killed, its mounts undone, its files gone; 1,
# with what is left noted in $ROUTERS_LEFT (run-all.sh fails the test),
# if a process or a mount survived. Nothing is removed under a mount: one
# left would be /dev's bind mount, and rm would go on into the guest's
# own /dev.
ROUTERS_LEFT=/run/routers-left
routers_end() {
	local r ns m left st=0
	for r in /run/r/*; do
		[ -d "$r" ] || continue
		# Reported once, by the test that left it: not every test after.
		[ -e "$r.left" ] && continue
		ns=${r#/run/r/}
		left=
		router_kill "$ns" || left="processes $(router_pids "$ns" | tr '\n' ' ')"
		for m in sys dev proc ''; do
			m=$r/root${m:+/$m}
			[ -n "$(mounted_under "$m")" ] || continue
			# Lazily if busy: detached, then nothing under it is ours.
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
		m=$(mounted_under "$r" | tr '\n' ' ')
		[ -z "$m" ] || left="$left mounts $m"
		if [ -n "$left" ]; then
			echo "  $ns: left: $left" | tee -a $ROUTERS_LEFT
			: > "$r.left"
			st=1
			continue
		fi
		rm -rf "$r"
	done
	rmdir /run/r 2>/dev/null
	return $st
}

# out_lacks PATTERN CMD...: CMD succeeds and says something, and none of
# it matches PATTERN (grep -E): a command that failed, or could not tell,
# never passes for one that said no.
out_lacks() {
	local pat=$1 out
	shift
	out=$("$@") || return 1
	[ -n "$out" ] && ! printf '%s\n' "$out" | grep -Eq -- "$pat"
}

# kernel_route_is NS -4|-6 PREFIX VIA DEV: the kernel's one route to
# PREFIX goes via VIA through DEV.
kernel_route_is() {
	KA=$(ip -n "$1" "$2" route show "$3")
	case "$KA" in
	*"
"*) return 1 ;;
	*" via $4 dev $5 "*) return 0 ;;
	esac
	return 1
}

# Both directions on the tunnel, or both on the backup, IPv4 and IPv6.
routes_on_tunnel() {
	kernel_route_is a -4 $LANB4 $GRE_B4 gre1 && kernel_route_is a -6 $LANB6 $GRE_B6 gre1 &&
		kernel_route_is b -4 $LANA4 $GRE_A4 gre1 && kernel_route_is b -6 $LANA6 $GRE_A6 gre1
}
routes_on_backup() {
	kernel_route_is a -4 $LANB4 $BK_B4 a1 && kernel_route_is a -6 $LANB6 $BK_B6 a1 &&
		kernel_route_is b -4 $LANA4 $BK_A4 b1 && kernel_route_is b -6 $LANA6 $BK_A6 b1
}

# slowly CMD...: CMD, and if false a pause of 50 ms, for wait_for: its
# own pace (5 ms, an awk a look) would take the CPU the daemons and the
# stream need from a one-CPU guest, and change what is measured. What is
# measured comes from the kernel (last_change_ns) and the stream's send
# times, not from when a look saw it.
slowly() { "$@" && return 0; usleep 50000; return 1; }

# routers_cycle NAME DST PORT ON_BACKUP ON_TUNNEL: with the routers' daemons
# running and keepalive $I ms x $R on gre1 at both ends, a stream of $PPS
# from ha to DST, a cut, a restore; the kernel routes on both routers
# follow the line protocol, and so does the stream, with the loss of each
# change printed and bounded. ON_BACKUP and ON_TUNNEL (the test's) assert
# what the daemons say once the routes have moved to the backup, and back.
routers_cycle() {
	local name=$1 dst=$2 t_cut t_down t_restore t_up tr_a tr_b
	tr_a=$(ka a gre1 transitions)
	tr_b=$(ka b gre1 transitions)
	check "$name: routes through gre1 (A and B, IPv4 and IPv6)" wait_for 10000 slowly routes_on_tunnel
	stream_start ha hb "$dst" "$3" "$PPS" 60000 || fatal "$name: the stream flows"
	check "$name: steady state, 2 s, line up" never_within 2000 slowly carrier_is a gre1 0
	check_eq "$name: on the tunnel" $DSCP_TUNNEL "$(stream_live_dscp)"

	t_cut=$(now_ns)
	blackhole
	check "$name: line protocol down on A" wait_for 3000 slowly carrier_is a gre1 0
	t_down=$(ka a gre1 last_change_ns)
	check "$name: line protocol down on B" wait_for 3000 slowly carrier_is b gre1 0
	check "$name: the stream arrives through the backup" \
		wait_for 3000 slowly stream_live_is $DSCP_BACKUP
	check "$name: routes through the backup (A and B, IPv4 and IPv6)" \
		wait_for 3000 slowly routes_on_backup
	"$4"
	# A second on the backup, for a route that flaps there to show
	# (failover_verdict: no gap once on the backup).
	check "$name: the line stays down for 1 s" never_within 1000 slowly carrier_is a gre1 1

	t_restore=$(now_ns)
	restore
	check "$name: line protocol up on A" wait_for 3000 slowly carrier_is a gre1 1
	t_up=$(ka a gre1 last_change_ns)
	check "$name: line protocol up on B" wait_for 3000 slowly carrier_is b gre1 1
	check "$name: the stream arrives through the tunnel" \
		wait_for 3000 slowly stream_live_is $DSCP_TUNNEL
	check "$name: routes through gre1 again (A and B, IPv4 and IPv6)" \
		wait_for 3000 slowly routes_on_tunnel
	"$5"
	check "$name: the stream ends cleanly" stream_stop
	stream_show

	failover_verdict "$name" "$t_cut" "$t_down" "$t_restore" "$t_up"
	check_eq "$name: one down and one up on A" $((tr_a + 2)) "$(ka a gre1 transitions)"
	check_eq "$name: one down and one up on B" $((tr_b + 2)) "$(ka b gre1 transitions)"
}
