#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every integration test (or those named in $1, comma-separated) in its
# own shell, with fresh namespaces and the module unloaded in between.
# Prints one "GKA-TEST ok|not ok NAME" line per test.
. /tests/integration/lib.sh

failed=0
for t in /tests/integration/t-*.sh; do
	name=$(basename "$t" .sh)
	case ",$1," in
	,,|*,"$name",*) ;;
	*) continue ;;
	esac
	echo "GKA-TEST-START $name"
	rm -f /run/routers-left
	st=0
	sh "$t" || st=1
	# Routers' daemons a test left (lib-routers.sh), before their netns;
	# any that would not go (its own routers_end or this one says so)
	# fail it: the next tests would share the guest with them.
	if [ -d /run/r ]; then
		sh -c '. /tests/integration/lib-routers.sh && routers_end'
	fi
	if [ -s /run/routers-left ]; then
		echo "  not ok - $name: routers left"
		st=1
	fi
	if [ $st = 0 ]; then
		echo "GKA-TEST ok $name"
	else
		echo "GKA-TEST not ok $name"
		failed=1
	fi
	netns_del_all
	grep -q '^gre_keepalive ' /proc/modules && rmmod gre_keepalive
done
exit $failed
