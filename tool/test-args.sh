#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Self-check of gre-keepalive's command line, runnable without the kernel
# module: bad input must exit 2 with a message naming the problem, good
# input must get past the parser to the kernel, which on a machine without
# the module means the "module not loaded" message and exit 1.
#
#   test-args.sh [path/to/gre-keepalive]

BIN=${1:-./gre-keepalive}
NOT_LOADED='gre-keepalive: kernel module not loaded (family gre_keepalive not found); load it with: modprobe gre_keepalive'
# No tunnel of this name should exist anywhere.
DEV=gkchk0
pass=0
fail=0

ok() {
	pass=$((pass + 1))
}

bad() {
	fail=$((fail + 1))
	printf 'FAIL: gre-keepalive %s\n  %s\n' "$1" "$2"
}

# expect RC WANT_STDERR_SUBSTRING WANT_STDOUT_SUBSTRING -- ARGS...
expect() {
	want_rc=$1 want_err=$2 want_out=$3
	shift 4
	out=$("$BIN" "$@" 2>/tmp/gk-test-args.$$)
	rc=$?
	err=$(cat /tmp/gk-test-args.$$)
	rm -f /tmp/gk-test-args.$$
	if [ "$rc" -ne "$want_rc" ]; then
		bad "$*" "exit $rc, want $want_rc (stderr: $err)"
	elif [ -n "$want_err" ] && ! printf '%s' "$err" | grep -qF -- "$want_err"; then
		bad "$*" "stderr '$err' lacks '$want_err'"
	elif [ -z "$want_err" ] && [ -n "$err" ]; then
		bad "$*" "unexpected stderr '$err'"
	elif [ -n "$want_out" ] && ! printf '%s' "$out" | grep -qF -- "$want_out"; then
		bad "$*" "stdout '$out' lacks '$want_out'"
	elif [ -z "$want_out" ] && [ -n "$out" ]; then
		bad "$*" "unexpected stdout '$out'"
	else
		ok
	fi
}

usage_error() {
	msg=$1
	shift
	expect 2 "gre-keepalive: $msg" '' -- "$@"
}

# --- usage errors: exit 2, message on stderr, nothing on stdout ---------
usage_error 'missing command'
usage_error "unknown command 'bogus'" bogus
usage_error "unknown command 'sh'" sh
usage_error "unknown option '-x'" -x
usage_error "unknown option '-z'" -jz show
usage_error "unknown option '--bogus'" --bogus show
usage_error "unknown option '--json=1'" --json=1 show
usage_error "unknown option '-q'" set $DEV -q
expect 2 "Try 'gre-keepalive help' for more information." '' -- bogus

usage_error 'missing DEV' set
usage_error 'missing DEV' -j set
usage_error 'missing DEV' set interval 5
usage_error 'missing DEV' set retries 3
usage_error 'missing DEV' del
usage_error 'DEV name too long' set averyveryverylongname
usage_error 'DEV name too long' del 0123456789abcdef
usage_error 'DEV name too long' show 0123456789abcdef
usage_error 'DEV name is empty' set ''

usage_error 'interval needs a value' set $DEV interval
usage_error 'retries needs a value' set $DEV retries
usage_error "interval must be an integer" set $DEV interval 1.5
usage_error "interval must be an integer" set $DEV interval 1.5ms
usage_error "interval must be an integer" set $DEV interval .5
usage_error "interval must be an integer" set $DEV interval 1,5
usage_error "interval must be 10ms..32767s (got '9ms')" set $DEV interval 9ms
usage_error "interval must be 10ms..32767s (got '0')" set $DEV interval 0
usage_error "interval must be 10ms..32767s (got '0ms')" set $DEV interval 0ms
usage_error "interval must be 10ms..32767s (got '32768')" set $DEV interval 32768
usage_error "interval must be 10ms..32767s" set $DEV interval 32767001ms
usage_error "interval must be 10ms..32767s" set $DEV interval 99999999999999999999999
usage_error "interval must be SECONDS or MSms" set $DEV interval abc
usage_error "interval must be SECONDS or MSms" set $DEV interval -5
usage_error "interval must be SECONDS or MSms" set $DEV interval 5m
usage_error "interval must be SECONDS or MSms" set $DEV interval 5MS
usage_error "interval must be SECONDS or MSms" set $DEV interval ' 5'
usage_error "interval must be SECONDS or MSms" set $DEV interval ''
usage_error 'interval given twice' set $DEV interval 5 interval 6
usage_error 'retries given twice' set $DEV retries 5 retries 6

usage_error "retries must be 1..255 (got '0')" set $DEV retries 0
usage_error "retries must be 1..255 (got '256')" set $DEV retries 256
usage_error "retries must be 1..255 (got '-1')" set $DEV retries -1
usage_error "retries must be 1..255 (got '2.5')" set $DEV retries 2.5
usage_error "retries must be 1..255 (got 'x')" set $DEV retries x
usage_error "retries must be 1..255 (got '')" set $DEV retries ''
usage_error "retries must be 1..255" set $DEV retries 99999999999999999999999

usage_error 'missing DEV' set dscp ef
usage_error 'dscp needs a value' set $DEV dscp
usage_error 'dscp given twice' set $DEV dscp 1 dscp 2
usage_error "dscp must be 0..63 (got '65')" set $DEV dscp 65
usage_error "dscp must be 0..63 (got '99999999999999999999999')" set $DEV dscp 99999999999999999999999
usage_error "dscp must be 0..63 (got '184'; as a TOS byte, 184 is dscp 46, ef)" set $DEV dscp 184
usage_error "dscp must be 0..63 (got '192'; as a TOS byte, 192 is dscp 48, cs6)" set $DEV dscp 192
for v in -1 +5 ' 5' 1.5 0x2e cs8 af14 af51 af10 ef1 e '' be default; do
	usage_error "dscp must be 0..63 or a name: cs0..cs7, ef, af11..af43 (got '$v')" \
		set $DEV dscp "$v"
done

usage_error "unknown argument 'foo'" set $DEV foo
usage_error "unknown argument 'ms'" set $DEV interval 100 ms
usage_error "unknown argument 'extra'" del $DEV extra
usage_error "unknown argument 'b'" show a b
usage_error "unknown argument 'x'" monitor x
usage_error "unknown argument 'x'" help x
usage_error 'missing DEV' reflect
usage_error "missing DEV (before 'on')" reflect on
usage_error "missing DEV (before 'nat')" reflect nat on
usage_error "missing DEV (before 'overlay')" reflect overlay off
usage_error 'reflect needs on or off' reflect $DEV
usage_error 'reflect needs on or off (or nat on|off, overlay on|off)' reflect -j $DEV
usage_error "reflect must be on or off (got 'yes')" reflect $DEV yes
usage_error "reflect must be on or off (got '1')" reflect $DEV 1
usage_error "reflect must be on or off (got 'ON')" reflect $DEV ON
usage_error "unknown argument 'now'" reflect $DEV off now
usage_error "unknown argument 'now'" reflect $DEV nat on off now
usage_error 'reflect on|off given twice' reflect $DEV on off
usage_error 'reflect on|off given twice' reflect $DEV on nat on on
usage_error 'nat needs a value' reflect $DEV nat
usage_error 'overlay needs a value' reflect $DEV on overlay
usage_error "nat must be on or off (got 'yes')" reflect $DEV nat yes
usage_error "overlay must be on or off (got '')" reflect $DEV overlay ''
usage_error "overlay must be on or off (got '-j')" reflect $DEV overlay -j
usage_error 'nat given twice' reflect $DEV nat on nat off
usage_error 'overlay given twice' reflect $DEV overlay on on overlay on

# --- apply: the configuration file --------------------------------------
CONF=$(mktemp)
BADCONF=$(mktemp)
trap 'rm -f "$CONF" "$BADCONF" "$CONF.lo"' EXIT
# No tunnel of these names exists: a good file applies to nothing, quietly.
printf '# comment\n\n%s interval 5 retries 4   # Cisco "keepalive 5 4"\n\t%s1\n%s2 interval 100ms reflect off\n%s3 dscp EF reflect-nat on reflect-overlay off\n%s4 reflect-overlay on dscp 0 reflect on\n' \
	$DEV $DEV $DEV $DEV $DEV > "$CONF"
expect 0 '' '' -- apply -c "$CONF"
expect 0 '' '' -- apply --config "$CONF" --check
expect 0 '' '' -- apply --config="$CONF" -n
expect 1 "gre-keepalive: $DEV: no such tunnel" '' -- apply -c "$CONF" $DEV
expect 1 "gre-keepalive: lo: no line for it in $CONF" '' -- apply -c "$CONF" lo
expect 1 "gre-keepalive: cannot read /nonexistent/gk.conf: No such file or directory" '' -- \
	apply -c /nonexistent/gk.conf
usage_error "apply: -c needs a FILE" apply -c
usage_error "apply: FILE name is empty" apply -c ''
usage_error "apply: unknown option '-x'" apply -c "$CONF" -x
usage_error "apply: --follow applies the whole file, not DEV '$DEV'" apply --follow $DEV
usage_error "apply: --check and --follow exclude each other" apply -f -n
usage_error "apply: DEV name too long (at most 15 characters): '0123456789abcdef'" \
	apply 0123456789abcdef
usage_error "apply: DEV name is empty" apply -c "$CONF" ''
# One parser: the options of the command given, and only those.
usage_error "apply: --config needs a FILE" apply --config
usage_error "apply: FILE name is empty" apply --config=
usage_error "apply: --check and --follow exclude each other" apply -fn
usage_error "apply: -c needs a FILE" apply -nc
usage_error "apply: unknown option '-j'" apply -j
usage_error "apply: unknown option '-V'" apply -c "$CONF" -V
usage_error "apply: unknown option '--json'" apply --json
usage_error "apply: unknown option '--follow=yes'" apply --follow=yes
usage_error "unknown option '-c'" -c "$CONF" apply
usage_error "unknown option '--config'" show --config "$CONF"
usage_error "unknown option '-n'" set $DEV -n
expect 0 '' '' -- apply -nc"$CONF"
expect 1 "gre-keepalive: -x: no line for it in $CONF" '' -- apply -c "$CONF" -- -x
expect 0 '' 'Usage: gre-keepalive' -- apply -h
expect 0 '' 'Usage: gre-keepalive' -- apply --help

# Every bad line is named, with its file and line number, and nothing is
# applied: the good line 1 is not even tried (the module is not asked).
printf '%s\n' 'lo interval 5' 'bad/name' 'gk1 interval 1.5' 'gk2 retries 0' \
	'gk3 keepalive on' 'lo' 'interval 5' 'gk4 retries' 'gk5 retries 3 retries 4' \
	'gk6 interval 5ms' 'averyveryverylongname' 'gk7 interval 5 # ok' \
	'gk8 interval 32768' 'gk9 reflect yes' 'gk10 reflect' 'gk11 dscp 65' \
	'gk12 dscp af44' 'gk13 reflect-nat 1' 'gk14 reflect-overlay' \
	'gk15 dscp 1 dscp 1' 'gk16 reflect-nat on reflect-nat on' 'dscp 5' \
	'gk17 nat on' 'gk18 dscp ef reflect-overlay on' > "$BADCONF"
for want in \
	"$BADCONF:2: 'bad/name' is not a valid tunnel name" \
	"$BADCONF:3: interval must be an integer, e.g. 1500ms for 1.5 s (got '1.5')" \
	"$BADCONF:4: retries must be 1..255 (got '0')" \
	"$BADCONF:5: unknown word 'keepalive' (want interval, retries, dscp, reflect, reflect-nat or reflect-overlay)" \
	"$BADCONF:6: tunnel 'lo' already configured on line 1" \
	"$BADCONF:7: missing tunnel name before 'interval'" \
	"$BADCONF:8: retries needs a value" \
	"$BADCONF:9: retries given twice" \
	"$BADCONF:10: interval must be 10ms..32767s (got '5ms')" \
	"$BADCONF:11: tunnel name too long (at most 15 characters): 'averyveryverylongname'" \
	"$BADCONF:13: interval must be 10ms..32767s (got '32768')" \
	"$BADCONF:14: reflect must be on or off (got 'yes')" \
	"$BADCONF:15: reflect needs a value" \
	"$BADCONF:16: dscp must be 0..63 (got '65')" \
	"$BADCONF:17: dscp must be 0..63 or a name: cs0..cs7, ef, af11..af43 (got 'af44')" \
	"$BADCONF:18: reflect-nat must be on or off (got '1')" \
	"$BADCONF:19: reflect-overlay needs a value" \
	"$BADCONF:20: dscp given twice" \
	"$BADCONF:21: reflect-nat given twice" \
	"$BADCONF:22: missing tunnel name before 'dscp'" \
	"$BADCONF:23: unknown word 'nat'" \
	"gre-keepalive: $BADCONF: 21 bad lines, nothing applied"; do
	expect 2 "$want" '' -- apply -c "$BADCONF"
done
expect 2 "21 bad lines" '' -- apply -c "$BADCONF" --check
expect 2 "21 bad lines" '' -- apply -c "$BADCONF" --follow
if "$BIN" apply -c "$BADCONF" 2>&1 | grep -q -e "$BADCONF:1:" -e "$BADCONF:12:" -e "$BADCONF:24:" -e "$NOT_LOADED"; then
	bad "apply -c BADCONF" "a good line was reported, or the module asked"
else
	ok
fi

# --- help and version: exit 0, stdout only ------------------------------
expect 0 '' 'Usage: gre-keepalive' -- help
expect 0 '' 'Usage: gre-keepalive' -- -h
expect 0 '' 'Usage: gre-keepalive' -- --help
expect 0 '' 'Usage: gre-keepalive' -- set -h
expect 0 '' 'Usage: gre-keepalive' -- set $DEV interval 5 --help
expect 0 '' 'gre-keepalive ' -- -V
expect 0 '' 'netlink family gre_keepalive version 2' -- --version

# --- good syntax reaches the kernel ------------------------------------
# A line for lo, which exists everywhere: apply has to ask the module.
echo 'lo interval 1 retries 9' > "$CONF.lo"
if [ -d /sys/module/gre_keepalive ]; then
	echo "test-args: gre_keepalive is loaded here: kernel-path checks skipped"
else
	for args in "show" "-j show" "show -j" "-p show" "-jp show" \
		"show $DEV" "-- show -$DEV" "set $DEV" \
		"set $DEV interval 5" "set $DEV interval 5s" \
		"set $DEV interval 100ms" "set $DEV interval 10ms" \
		"set $DEV interval 32767" "set $DEV interval 32767000ms" \
		"set $DEV retries 1" "set $DEV retries 255" \
		"set $DEV retries 4 interval 5" "set $DEV -j retries 4" \
		"set $DEV dscp 0" "set $DEV dscp 63" "set $DEV dscp 46" \
		"set $DEV dscp cs6" "set $DEV dscp CS0" "set $DEV dscp Ef" \
		"set $DEV dscp af11" "set $DEV dscp AF43" "set $DEV dscp 07" \
		"set $DEV interval 5 dscp cs7 retries 2" \
		"del $DEV" "reflect $DEV on" "reflect $DEV off" \
		"reflect -j $DEV off" "reflect $DEV nat on" \
		"reflect $DEV overlay off" "reflect $DEV on nat on overlay on" \
		"reflect $DEV overlay off nat off off" "reflect $DEV nat on -j" \
		"monitor" "-j monitor" \
		"apply -c $CONF.lo" "apply -c $CONF.lo lo"; do
		# shellcheck disable=SC2086 # word splitting wanted
		expect 1 "$NOT_LOADED" '' -- $args
	done
fi

echo "test-args: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
