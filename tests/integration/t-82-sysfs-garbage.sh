#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 125
# gka-kernel: debug
# Hostile writes to the writable sysfs files (enabled, interval_ms, retries,
# reflect): garbage, huge, negative, whitespace, partial, with and without
# a newline, with an embedded NUL, by an unprivileged user and from other
# namespaces. Each bad write fails with a clear errno, says why in the
# kernel log (the file and the problem) and changes nothing; good writes
# apply, one write(2) one value. Then, for a while, netlink changes,
# sysfs writes and garbage at once on the same tunnel (gka-stress race):
# every state netlink, the events and the files show is one a serial
# order of the successful writes explains, never half a netlink change,
# and at the end netlink and every file agree on the last writes.
. /tests/integration/lib.sh

RACE_SECONDS=${GKA_RACE_SECONDS:-20}
D=/run/sys-a/class/net/gre1/keepalive

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
check "baseline: keepalive 1000 ms x 3 on A" keepalive a gre1 1000 3
check "B answers" wait_for 5000 ka_at_least a gre1 replies 1

# Every refusal is logged with net_ratelimit(): off while each one is
# checked, so that none is lost to the limit.
read -r MSG_COST < /proc/sys/net/core/message_cost
echo 0 > /proc/sys/net/core/message_cost

# state: the configuration as sysfs shows it, and as netlink does.
state() {
	local e i r f
	ka_read a gre1 enabled && e=$KA
	ka_read a gre1 interval_ms && i=$KA
	ka_read a gre1 retries && r=$KA
	ka_read a gre1 reflect && f=$KA
	echo "$e $i $r $f"
}
nl_state() {
	# msg ifname=gre1 enabled=E interval_ms=I retries=R line=L reflect=F ok
	set -- $(in_ns a gka-nlsend get ifname:str:gre1)
	echo "${3#enabled=} ${4#interval_ms=} ${5#retries=} ${7#reflect=}"
}

# Each case is marked in the kernel log; what each must have logged is
# checked at the end, in one pass over the log (an exec per case is
# dear on this kernel).
N=0
EXPECT=/tmp/t82-expect
: > $EXPECT
mark() {
	N=$((N + 1))
	echo "gka-t82: case $N" > /dev/kmsg
}
expect_log() { printf '%s\t%s\t%s\n' "$N" "$1" "$2" >> $EXPECT; }

# bad FILE WHY DESC DATA...: one write(2) of DATA (gka-stress escapes:
# \n \t \0 \xHH, rep:N:TEXT) fails with EINVAL, the log says
# "gre1: FILE: WHY" (WHY empty: any reason), and nothing changes.
bad() {
	local file=$1 why=$2 desc=$3 before out
	shift 3
	before=$(state)
	mark
	out=$(gka-stress write "$D/$file" "$@")
	check_eq "$file <- $desc: EINVAL" "error EINVAL" "$out"
	check_eq "$file <- $desc: configuration unchanged" "$before" "$(state)"
	expect_log "gre1: $file: $why" "$file <- $desc"
}

# good FILE VALUE DESC DATA...: the write succeeds and FILE reads VALUE.
good() {
	local file=$1 want=$2 desc=$3 out
	shift 3
	mark
	out=$(gka-stress write "$D/$file" "$@")
	check_eq "$file <- $desc: accepted" "ok" "${out% *}"
	check_eq "$file <- $desc: reads $want" "$want" "$(ka a gre1 "$file")"
}

NAN="not a number"
for f in enabled interval_ms retries reflect; do
	bad $f "$NAN" "letters" abc
	bad $f "$NAN" "letters, newline" 'abc\n'
	bad $f "$NAN" "a newline alone" '\n'
	bad $f "$NAN" "a space alone" ' '
	bad $f "$NAN" "leading space" ' 1'
	bad $f "$NAN" "trailing space" '1 '
	bad $f "$NAN" "trailing space and newline" '1 \n'
	bad $f "$NAN" "leading tab" '\t1\n'
	bad $f "$NAN" "two newlines" '1\n\n'
	bad $f "$NAN" "two numbers" '1 1'
	bad $f "$NAN" "-1" -1
	bad $f "$NAN" "-1, newline" '-1\n'
	bad $f "$NAN" "-0" -0
	bad $f "$NAN" "1e3" 1e3
	bad $f "$NAN" "1.5" 1.5
	bad $f "$NAN" "0x alone" 0x
	bad $f "$NAN" "trailing letter" 1x
	bad $f "$NAN" "two signs" ++1
	bad $f "number too large" "2^32" 4294967296
	bad $f "number too large" "20 digits" 99999999999999999999
	bad $f "$NAN" "a NUL alone" '\0'
	# The kernel hands the store a terminated string and its length; a
	# NUL inside the write is garbage after the number, not its end.
	bad $f "" "embedded NUL" '1\0junk'
	bad $f "" "number, NUL, newline" '1\0\n'
	# A page (kernfs passes at most 4096 bytes to the store).
	bad $f "" "4096 bytes: 1 and 4095 spaces" 1 'rep:4095: '
	bad $f "" "4096 bytes: a 4096-digit number" 1 'rep:4095:0'
done

bad enabled "enabled takes 0 or 1" "2" 2
bad enabled "enabled takes 0 or 1" "2^32-1" 4294967295
bad enabled "$NAN" "yes" yes
bad enabled "$NAN" "on" on
bad reflect "reflect takes 0 or 1" "2" '2\n'
bad reflect "$NAN" "off" off
bad interval_ms "interval below the minimum of 10 ms" "0" 0
bad interval_ms "interval below the minimum of 10 ms" "9" '9\n'
bad interval_ms "interval above the maximum of 32767 s" "32767001" 32767001
bad interval_ms "interval above the maximum of 32767 s" "2^32-1" 4294967295
bad retries "retries out of range 1..255" "0" 0
bad retries "retries out of range 1..255" "256" '256\n'

# More than a page in one write(2): kernfs hands the store the first
# 4096 bytes, and a store that takes them returns 4096, a short write,
# after which the writer sends the rest as a write of its own. One
# write(2) of 4100 zeros to enabled must not disable keepalive.
before=$(state)
mark
out=$(gka-stress write "$D/enabled" 'rep:4100:0')
check_eq "enabled <- 4100 zeros in one write(2): EINVAL" "error EINVAL" "$out"
check_eq "enabled <- 4100 zeros: configuration unchanged" "$before" "$(state)"
expect_log "gre1: enabled: " "enabled <- 4100 zeros"
mark
out=$(gka-stress write "$D/retries" 5 'rep:8191: ')
check_eq "retries <- 5 and 8191 spaces: EINVAL" "error EINVAL" "$out"
expect_log "gre1: retries: " "retries <- 8192 bytes"
check_eq "netlink agrees after the garbage" "$(state)" "$(nl_state)"
check_eq "garbage changed nothing" "1 1000 3 1" "$(state)"

# Good writes: one number, with or without a newline, in the kernel's
# integer syntax (kstrtou32 base 0, as /sys/class/net/*/mtu): a leading
# + is allowed, 0x is hex and a leading 0 octal.
good interval_ms 2000 "2000, no newline" 2000
good interval_ms 3000 "3000, newline" '3000\n'
good interval_ms 4000 "+4000" +4000
good interval_ms 5000 "0x1388" 0x1388
good retries 7 "07" 07
good retries 8 "010 (octal)" 010
good retries 4 "4" '4\n'
good reflect 0 "0" 0
good reflect 1 "1, newline" '1\n'
good enabled 0 "0" 0
good enabled 1 "+1" +1
check_eq "netlink agrees with sysfs" "1 5000 4 1" "$(nl_state)"

# Partial writes, as dd bs=N makes them: every write(2) is a value of its
# own, judged alone; a refused one changes nothing, one accepted before
# it stays.
before=$(state)
mark
printf '4000\n' | dd of="$D/interval_ms" bs=1 conv=notrunc 2>/dev/null
check "dd bs=1 '4000': fails at the first byte" test $? -ne 0
check_eq "dd bs=1 '4000': configuration unchanged" "$before" "$(state)"
expect_log "gre1: interval_ms: interval below the minimum of 10 ms" \
	"dd bs=1 4000"
mark
check_eq "retries <- '10' 1 byte a time: 1 taken, 0 refused" \
	"ok 1 error EINVAL" "$(gka-stress write --bs 1 "$D/retries" 10)"
check_eq "retries: the byte taken stays" 1 "$(ka a gre1 retries)"
expect_log "gre1: retries: retries out of range 1..255" "retries bs=1 10"
mark
check_eq "interval <- '2500' 2 bytes a time: 25 taken, 00 refused" \
	"ok 2 error EINVAL" "$(gka-stress write --bs 2 "$D/interval_ms" 2500)"
check_eq "interval: the chunk taken stays" 25 "$(ka a gre1 interval_ms)"
expect_log "gre1: interval_ms: interval below the minimum of 10 ms" \
	"interval bs=2 2500"
check_eq "two values through one open file, the second at offset 5" \
	"ok 5 ok 5" "$(gka-stress write --bs 5 "$D/interval_ms" '5000\n6000\n')"
check_eq "the second value is the one kept" 6000 "$(ka a gre1 interval_ms)"
check "restore: retries 3" ka_set a gre1 retries 3
check "restore: interval 1000" ka_set a gre1 interval_ms 1000

# --- Privilege ------------------------------------------------------------
# as_nobody command...: unprivileged, in netns a.
as_nobody() {
	in_ns a /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
before=$(state)
check_eq "unprivileged user: the file does not open (0644, root's)" \
	"open-error EACCES" "$(as_nobody gka-stress write "$D/retries" 5)"
# root without CAP_NET_ADMIN passes the file's permissions: the store
# itself refuses.
mark
check_eq "root without CAP_NET_ADMIN: EPERM" "error EPERM" \
	"$(in_ns a /usr/bin/setpriv --inh-caps=-net_admin \
		--bounding-set=-net_admin gka-stress write "$D/retries" 5)"
expect_log "gre1: retries: " "root without CAP_NET_ADMIN"
# A file root opened, written by someone else: who writes counts.
exec 3> "$D/retries"
mark
check_eq "unprivileged user, root's open file: EPERM" "error EPERM" \
	"$(as_nobody gka-stress write fd:3 5)"
expect_log "gre1: retries: " "unprivileged user, root's open file"
check_eq "root of another user+net namespace, root's open file: EPERM" \
	"error EPERM" "$(as_nobody /usr/bin/unshare -Urn gka-stress write fd:3 5)"
exec 3>&-
check_eq "root of another user+net namespace: the file does not open" \
	"open-error EACCES" \
	"$(as_nobody /usr/bin/unshare -Urn gka-stress write "$D/retries" 5)"
check_eq "refused writers changed nothing" "$before" "$(state)"
# The initial namespace's root, in another netns, holds CAP_NET_ADMIN
# over a's: allowed.
check_eq "root from netns w: allowed" "ok 2" \
	"$(in_ns w gka-stress write "$D/retries" '6\n')"
check_eq "and applied" 6 "$(ka a gre1 retries)"
check "restore: retries 3" ka_set a gre1 retries 3

# A tunnel handed to an unprivileged user's own user+net namespace (as a
# host hands one to a container): its root configures it through its own
# sysfs mount, as through netlink (t-74), and is refused with EPERM and a
# logged reason what needs CAP_NET_ADMIN over the underlay, netns a.
rm -f /tmp/t82-holder /tmp/t82-go /tmp/t82-out
as_nobody /usr/bin/unshare -Urnm sh -c '
	mount -t sysfs sysfs /sys || exit 1
	echo $$ > /tmp/t82-holder
	while [ ! -e /tmp/t82-go ]; do usleep 20000; done
	k=/sys/class/net/gre7/keepalive
	{
	echo "owner $(stat -c %u /sys/class/net/gre7/mtu) $(stat -c %u $k/enabled)"
	echo "interval $(gka-stress write $k/interval_ms 5000)"
	echo "enable $(gka-stress write $k/enabled 1)"
	echo "reflect-off $(gka-stress write $k/reflect 0)"
	echo "reflect-on $(gka-stress write $k/reflect 1)"
	echo "state $(cat $k/enabled $k/interval_ms $k/reflect)"
	} > /tmp/t82-out.tmp 2>&1
	mv /tmp/t82-out.tmp /tmp/t82-out' &
holder_ready() { [ -s /tmp/t82-holder ]; }
out_ready() { [ -s /tmp/t82-out ]; }
if wait_for 10000 holder_ready; then
	read -r holder < /tmp/t82-holder
	ip -n a link add gre7 type gre local $A_WAN remote 198.51.100.7 ttl 64
	ip -n a link set gre7 netns "$holder" || not_ok "hand gre7 over"
	mark
	: > /tmp/t82-go
	wait_for 20000 out_ready
	sed 's/^/  container: /' /tmp/t82-out
	grep -q '^owner \(.*\) \1$' /tmp/t82-out
	check "container: its keepalive files are its root's, as the device's" \
		test $? = 0
	check "container: interval of the disabled tunnel changed" \
		grep -q '^interval ok' /tmp/t82-out
	check "container: enabling refused with EPERM" \
		grep -q '^enable error EPERM$' /tmp/t82-out
	check "container: reflection off allowed" \
		grep -q '^reflect-off ok' /tmp/t82-out
	check "container: reflection on refused with EPERM" \
		grep -q '^reflect-on error EPERM$' /tmp/t82-out
	expect_log "gre7: enabled: needs CAP_NET_ADMIN in the tunnel's underlay network namespace" \
		"container: enabled"
	expect_log "gre7: reflect: needs CAP_NET_ADMIN in the tunnel's underlay network namespace" \
		"container: reflect"
else
	not_ok "unprivileged user+net namespace with its own sysfs"
fi
wait

# --- What the kernel log said -----------------------------------------------
echo "gka-t82: case end" > /dev/kmsg
dmesg > /tmp/t82-dmesg
missing=$(awk -F'\t' '
	NR == FNR { want[$1] = want[$1] "\t" $2; desc[$1 "\t" $2] = $3; next }
	/gka-t82: case / { sub(/.*gka-t82: case /, ""); c = $0; next }
	c != "" { text[c] = text[c] "\n" $0 }
	END {
		for (k in want) {
			n = split(substr(want[k], 2), w, "\t")
			for (i = 1; i <= n; i++)
				if (index(text[k], w[i]) == 0)
					printf "    case %s (%s): no \"%s\"\n", k, desc[k "\t" w[i]], w[i]
		}
	}' $EXPECT /tmp/t82-dmesg | sort -n -k 2)
check "every refusal logged with the file and the reason ($(wc -l < $EXPECT) checked)" \
	test -z "$missing"
[ -z "$missing" ] || echo "$missing"
echo "$MSG_COST" > /proc/sys/net/core/message_cost

# --- Netlink and sysfs at once ------------------------------------------------
# The console only from warnings up while thousands of changes are logged.
read -r CONSOLE_LEVEL _ < /proc/sys/kernel/printk
echo 5 > /proc/sys/kernel/printk
in_ns a gka-stress race --seconds "$RACE_SECONDS" --dir "$D" --ifname gre1 \
	--initial "$(ka a gre1 interval_ms)" "$(ka a gre1 retries)" > /tmp/t82-race 2>&1
rc=$?
echo "$CONSOLE_LEVEL" > /proc/sys/kernel/printk
sed 's/^/  race: /' /tmp/t82-race | head -60
check_eq "$RACE_SECONDS s of netlink, sysfs and garbage at once: no violation" 0 $rc
check "the race ran netlink changes and sysfs writes" \
	grep -q '^counts: netlink SET [1-9][0-9]*, sysfs writes [1-9]' /tmp/t82-race
check_eq "after the race: netlink agrees with sysfs" "$(state)" "$(nl_state)"
finish
