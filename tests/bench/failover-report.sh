#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The failover bench's table (make bench, failover section): reads the
# "BENCH-FO ..." lines of tests/integration/bench-failover.sh (the prefix
# may be stripped) and prints markdown: detection, failover and loss per
# configuration (median, p90, max over the runs), then CPU.
#   failover-report.sh RAW
set -eu
[ $# = 1 ] || { echo "usage: failover-report.sh RAW" >&2; exit 2; }

sed 's/^BENCH-FO //' "$1" | awk '
function kv(line, key,    n, i, a, f) {
	n = split(line, a, " ")
	for (i = 1; i <= n; i++)
		if (index(a[i], key "=") == 1)
			return substr(a[i], length(key) + 2)
	return ""
}
function sortn(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}
# stats(cfg, key, div, fmt): "median / p90 / max" of the runs that
# completed (route to the backup and back) and have the figure.
function stats(cfg, key, div, fmt,    n, i, v, a, p) {
	n = 0
	for (i = 1; i <= nrun[cfg]; i++) {
		if (kv(run[cfg, i], "ok") != "1")
			continue
		v = kv(run[cfg, i], key)
		if (v != "" && v != "-")
			a[++n] = v / div
	}
	if (n == 0)
		return "-"
	sortn(a, n)
	p = int(0.9 * n + 0.999999)
	return sprintf(fmt " / " fmt " / " fmt, a[int((n + 1) / 2)], a[p], a[n])
}
function maxof(cfg, key,    i, v, m) {
	m = ""
	for (i = 1; i <= nrun[cfg]; i++) {
		v = kv(run[cfg, i], key)
		if (v != "" && v != "-" && (m == "" || v + 0 > m + 0))
			m = v
	}
	return m == "" ? "-" : m
}
function reasons(cfg,    i, v, r, s, seen) {
	s = ""
	for (i = 1; i <= nrun[cfg]; i++) {
		v = kv(run[cfg, i], "reason")
		if (v == "" || v == "-")
			v = "none"
		if (!((cfg, v) in seen)) {
			seen[cfg, v] = 1
			s = s (s == "" ? "" : ", ") v
		}
	}
	return s
}
$1 == "meta" { meta = $0 }
$1 == "host" { host = $0 }
$1 == "run" {
	c = kv($0, "cfg")
	if (!(c in nrun)) { nrun[c] = 0; nok[c] = 0; order[++ncfg] = c }
	run[c, ++nrun[c]] = $0
	if (kv($0, "ok") == "1") nok[c]++
}
$1 == "cpu" { cpu[kv($0, "cfg")] = $0 }
END {
	label["K-1000"] = "keepalive 1 s x 3, both ends"
	label["K-100"] = "keepalive 100 ms x 3, both ends"
	label["B-1000"] = "BFD 1 s x 3 (bfdd, ip ospf bfd)"
	label["B-100"] = "BFD 100 ms x 3 (bfdd, ip ospf bfd)"
	label["K-plain-1000"] = "keepalive 1 s x 3, B plain Linux"
	label["K-plain-100"] = "keepalive 100 ms x 3, B plain Linux"
	needs["K"] = "keepalive on B too (the module), so that B detects as well; answering alone needs nothing (K-plain)"
	needs["B"] = "bfdd on B, configured for the session (ip ospf bfd, the same profile)"
	needs["K-plain"] = "nothing: plain Linux answers (forwarding, rp_filter 0, accept_local 1 on gre1); B itself does not detect, so B to A waits for its dead interval"
	print "### Failover: keepalive vs BFD (FRR ospfd over gre1, backup link cost 100)"
	print ""
	m = meta
	sub(/^meta /, "", m)
	h = host
	sub(/^host /, "", h)
	print "Guest (qemu TCG, so read the times as an upper bound of real hardware): " m "; host: " h ". All times in ms, median / p90 / max over the runs."
	print ""
	print "detect: cut to the mechanism on A saying down (keepalive: the line protocol; BFD: bfdd leaving Up). adjacency: cut to ospfd on A leaving Full over gre1 (its log), with the new state and why: Deleted:KillNbr (gre1 went down), Deleted:InactivityTimer (BFD said down), Init:1-WayReceived (B dropped A first: the cut, lib.sh blackhole, drops A to B only, so B hellos still reach A). With BFD the cut is seen by bfdd on B (it stops hearing A); B drops the adjacency and its next hello tells A (Init:1-WayReceived), and ospfd on A then removes its BFD session before bfdd on A times out: then detect is empty and the adjacency column is the figure to compare. Runs ok: the route went to the backup and back, and nothing went down before the cut (a false alarm). failover: cut to the first packet sent on the backup. loss: the time without delivery, from the gaps in the 1000 pps stream that ended between the cut and the restore (the datagrams lost are fewer when TCG delays the sender; a run with a second gap there, a route that flapped on the backup, is not ok). recovery: restore to the route back via gre1 (OSPF re-adjacency, hello 1 s)."
	print ""
	print "| configuration | runs ok | detect | adjacency down (reason) | failover | failover loss | recovery | recovery loss max (pkts) | far end needs |"
	print "|---|---|---|---|---|---|---|---|---|"
	for (k = 1; k <= ncfg; k++) {
		c = order[k]
		base = c
		sub(/-[0-9]+$/, "", base)
		printf "| %s | %d/%d | %s | %s (%s) | %s | %s | %s | %s | %s |\n",
			(c in label) ? label[c] : c, nok[c], nrun[c],
			stats(c, "detect_us", 1000, "%.0f"),
			stats(c, "adj_us", 1000, "%.0f"), reasons(c),
			stats(c, "failover_us", 1000, "%.0f"),
			stats(c, "loss_ms", 1, "%d"),
			stats(c, "recover_us", 1000, "%.0f"),
			maxof(c, "rec_loss_pkts"), needs[base]
	}
	if (!("base" in cpu))
		exit 0
	b = cpu["base"]
	bs = kv(b, "secs")
	hz = kv(b, "hz")
	print ""
	print "CPU, " bs " s windows in steady state without the stream. bfdd: its run time on A and B from /proc/PID/schedstat (ns, exact). system: user+system+irq+softirq of all vCPUs from /proc/stat minus the OSPF-only baseline: Debian 6.1 samples it at the 250 Hz tick (no IRQ_TIME_ACCOUNTING) and counts in " 1000 / hz " ms units, so one unit in a window is " sprintf("%.2f", 1000 / hz / bs) " ms/s and a cost below a few units is noise; the module works in softirq (its hrtimer, the reply hook) and has no process of its own to measure."
	print ""
	print "| configuration | bfdd (A+B) ms/s | system above baseline ms/s | softirq TIMER+HRTIMER+NET_RX /s above baseline | probes/s sent by A | false alarms (adjacency or line lost, nothing cut) |"
	print "|---|---|---|---|---|---|"
	bbusy = kv(b, "busy_ticks") / bs
	bsirq = (kv(b, "timer") + kv(b, "hrtimer") + kv(b, "net_rx")) / bs
	printf "| baseline (OSPF only) | %.3f | 0 (%.1f ms/s absolute) | 0 (%.0f/s absolute) | %d | %s |\n",
		kv(b, "bfdd_ns") / 1e6 / bs, bbusy * 1000 / hz, bsirq, kv(b, "probes_a") / bs, kv(b, "false_alarms")
	split("B-1000 B-100 K-1000 K-100", cl, " ")
	for (k = 1; k <= 4; k++) {
		c = cl[k]
		if (!(c in cpu))
			continue
		l = cpu[c]
		s = kv(l, "secs")
		# Runs before the fix printed bfdd_ns with %d: over 2^31 it
		# reads -2^31, and all that is known is that it was more.
		v = kv(l, "bfdd_ns") < 0 ? sprintf("> %.1f", 2147.483648 / s) : sprintf("%.3f", kv(l, "bfdd_ns") / 1e6 / s)
		printf "| %s | %s | %.2f | %.0f | %.1f | %s |\n", label[c], v,
			(kv(l, "busy_ticks") / s - bbusy) * 1000 / hz,
			(kv(l, "timer") + kv(l, "hrtimer") + kv(l, "net_rx")) / s - bsirq,
			kv(l, "probes_a") / s, kv(l, "false_alarms")
	}
}'
