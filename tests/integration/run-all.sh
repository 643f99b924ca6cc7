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
	if sh "$t"; then
		echo "GKA-TEST ok $name"
	else
		echo "GKA-TEST not ok $name"
		failed=1
	fi
	# Routers' daemons a test left (lib-routers.sh), before their netns.
	if [ -d /run/r ]; then
		sh -c '. /tests/integration/lib-routers.sh && routers_end'
	fi
	netns_del_all
	grep -q '^gre_keepalive ' /proc/modules && rmmod gre_keepalive
done
exit $failed
