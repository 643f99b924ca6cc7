#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 15 3
# Persistent configuration: /etc/gre-keepalive.conf exists first, then the
# shipped service's own commands (ExecStartPre, ExecStart of
# gre-keepalive.service) run, and keepalive follows the file on tunnels
# that exist, that appear later, that are renamed to a listed name, and
# when the module is loaded after the service started. Tunnels not in the
# file stay off; a bad file is refused with FILE:LINE messages.
. /tests/integration/lib.sh

UNIT=/tests/packaging/gre-keepalive.service
CONF=/etc/gre-keepalive.conf
LOG=/tmp/gka-follow.log

# A command line of the unit ("-" prefix dropped), with each program at its
# path in this guest (no /sbin here; busybox's applets are not used).
unit_cmd() {
	local line prog
	line=$(sed -n "s/^$1=-\{0,1\}//p" "$UNIT")
	prog=${line%% *}
	for p in "$prog" "/usr/sbin/${prog##*/}" "/usr/bin/${prog##*/}"; do
		[ -x "$p" ] && { echo "$p ${line#* }"; return; }
	done
	echo "no $prog in this guest" >&2
	return 1
}
pre=$(unit_cmd ExecStartPre) || fatal "unit has an ExecStartPre"
start=$(unit_cmd ExecStart) || fatal "unit has an ExecStart"
check_eq "the unit loads the module first" "/usr/sbin/modprobe gre_keepalive" "$pre"
check_eq "and follows the configuration" "/usr/bin/gre-keepalive apply --follow" "$start"

ka_is() { ka_read "$1" "$2" "$3" 2>/dev/null && [ "$KA" = "$4" ]; }
log_has() { grep -q "$1" "$LOG"; }
gre() { ip -n a link add "$1" type gre local 192.0.2.1 remote "$2"; }

follower=
start_follower() {
	# nsenter execs the command: $! is the follower itself.
	nsenter --net=/run/netns/a $start >> "$LOG" 2>&1 &
	follower=$!
}
stop_follower() {
	kill "$follower" 2>/dev/null
	wait "$follower" 2>/dev/null
	follower=
}

modprobe ip_gre || fatal "modprobe ip_gre"
netns_add a
cat > "$CONF" <<CONFEOF
# tunnels of this test
gka1 interval 300ms retries 5
gka2	retries 7		# interval: the module's default
  gka3 interval 2 # seconds
gka4 retries 2 reflect off
gka5 dscp EF reflect-nat on reflect-overlay on
CONFEOF

# --- as the unit runs it: module first, then the follower ---------------
gre gka3 198.51.100.3
check "ExecStartPre loads the module" $pre
start_follower
check "the follower applies the file to the existing gka3" \
	wait_for 20000 ka_is a gka3 interval_ms 2000
check_eq "gka3 enabled" 1 "$(ka a gka3 enabled)"
check "and says so" wait_for 20000 log_has "gka3: keepalive interval 2000ms"

gre gka1 198.51.100.1
check "gka1, created later, gets interval 300 ms" \
	wait_for 20000 ka_is a gka1 interval_ms 300
check_eq "and retries 5" 5 "$(ka a gka1 retries)"
check_eq "and is enabled" 1 "$(ka a gka1 enabled)"

gre other 198.51.100.9
gre tmp2 198.51.100.2
ip -n a link set tmp2 name gka2
check "tmp2 renamed gka2 gets retries 7" wait_for 20000 ka_is a gka2 retries 7
check_eq "with the module's default interval" 10000 "$(ka a gka2 interval_ms)"
check "a tunnel not in the file (created before gka2) stays off" ka_is a other enabled 0

# Once per appearance: its own link events (admin down/up, carrier) do
# not re-enable a tunnel the administrator turned off.
check "disable gka1 by hand" in_ns a gre-keepalive del gka1
ip -n a link set gka1 up
ip -n a link set gka1 down
# Netlink events arrive in order: once gka4, made after, is served, gka1's
# events have been seen.
gre gka4 198.51.100.4
check "a tunnel created after that is served" wait_for 20000 ka_is a gka4 retries 2
check "with reflection off, as its line says" wait_for 20000 ka_is a gka4 reflect 0
check_eq "gka1 keeps the default reflection" 1 "$(ka a gka1 reflect)"
check "gka1 stays off" ka_is a gka1 enabled 0

# The settings without a sysfs file, read back through the tool.
gre gka5 198.51.100.5
check "gka5 gets its line" wait_for 20000 ka_is a gka5 enabled 1
check "with dscp ef and both reflection variants" out_has \
	'"dscp":46,.*"reflect":true,.*"reflect_nat":true,"reflect_overlay":true' \
	in_ns a gre-keepalive show -j gka5
check "and says so" wait_for 20000 \
	log_has "^gka5: keepalive dscp ef, reflect-nat on, reflect-overlay on ($CONF:6)$"

# Reload (systemctl reload = SIGHUP): the new file, to every tunnel.
sed -i 's/^gka1 interval 300ms retries 5/gka1 interval 400ms retries 6/' "$CONF"
kill -HUP "$follower"
check "SIGHUP applies the changed line" wait_for 20000 ka_is a gka1 interval_ms 400
check_eq "with its retries" 6 "$(ka a gka1 retries)"
echo "gka1 interval 1.5" > "$CONF"
kill -HUP "$follower"
check "a bad file on reload is refused" wait_for 20000 log_has "$CONF:1: interval must be an integer"
check "and the follower keeps running" kill -0 "$follower"
stop_follower

# --- the module loaded after the follower started ------------------------
cat > "$CONF" <<CONFEOF
gka1 interval 250ms retries 4
CONFEOF
rmmod gre_keepalive || fatal "rmmod gre_keepalive"
: > "$LOG"
start_follower
check "without the module, the follower waits" \
	wait_for 20000 log_has "module not loaded; waiting for it"
check "modprobe later" modprobe gre_keepalive
check "the existing gka1 gets its line when the module appears" \
	wait_for 20000 ka_is a gka1 interval_ms 250
check_eq "with retries 4" 4 "$(ka a gka1 retries)"
check_eq "gka3, no longer in the file, stays off" 0 "$(ka a gka3 enabled)"
stop_follower

# --- a bad file is refused, whole, with FILE:LINE ------------------------
printf 'gka1 interval 5\ngka2 retries 300\ngka3 bogus 1\ngka4 dscp 64\ngka5 reflect-nat yes\n' > "$CONF"
out=$(nsenter --net=/run/netns/a $start 2>&1)
rc=$?
check_eq "the follower refuses a bad file (exit 2)" 2 "$rc"
check "naming line 2" out_has "^$CONF:2: retries must be 1..255 (got '300')" echo "$out"
check "and line 3" out_has "^$CONF:3: unknown word 'bogus'" echo "$out"
check "and line 4" out_has "^$CONF:4: dscp must be 0..63 (got '64'" echo "$out"
check "and line 5" out_has "^$CONF:5: reflect-nat must be on or off (got 'yes')" echo "$out"
check_eq "nothing applied: gka1 keeps 250 ms" 250 "$(ka a gka1 interval_ms)"
rm -f "$CONF"
finish
