# SPDX-License-Identifier: GPL-2.0
# The scale bench's table, for scale-report.sh: the "SCALE KEY VALUE"
# lines of a run (and of a run before, if given) into a markdown table on
# standard output and JSON in the file json.
FNR == 1 { set = set == "" ? "cur" : "bef" }
!/SCALE / { next }
{ sub(/^.*SCALE /, "") }
NF >= 2 { k = $1; $1 = ""; sub(/^ /, ""); v[set, k] = $0; if (set == "cur") order[++nk] = k }

function has(s, k) { return (s SUBSEP k) in v }
function g(s, k) { return v[s, k] + 0 }
function commas(n,   s, r, i, c) {
	s = sprintf("%.0f", n < 0 ? -n : n); r = ""; c = 0
	for (i = length(s); i > 0; i--) {
		r = substr(s, i, 1) r
		if (++c % 3 == 0 && i > 1)
			r = "," r
	}
	return (n < 0 ? "-" : "") r
}
function secs(ms,   a) {
	a = ms < 0 ? -ms : ms
	if (a >= 1000 && ms % 1000 == 0)
		return sprintf("%d s", ms / 1000)
	return a >= 1000 ? sprintf("%.2f s", ms / 1000) : sprintf("%.0f ms", ms)
}
function every(s, p) {	# "1 s x 3"
	return secs(g(s, p ".interval_ms")) " x " g(s, "meta.retries")
}
# CPU per probe in microseconds: the window's busy jiffies (USER_HZ 100)
# less the idle baseline's rate over the same span, per probe on the wire.
# At or below the baseline's noise it comes out at 0 or less.
function cpu_ok(s, p, run) {
	return has(s, p "." run ".cpu_jiffies") && has(s, p ".base.cpu_jiffies") &&
	       g(s, p "." run ".wire_probes") > 0
}
function cpu_us(s, p, run,   rate, net) {
	rate = g(s, p ".base.cpu_jiffies") / g(s, p ".base.cpu_ns")
	net = g(s, p "." run ".cpu_jiffies") - rate * g(s, p "." run ".cpu_ns")
	return net * 10000 / g(s, p "." run ".wire_probes")
}
function busy(s, p, run,   cap) {
	cap = g(s, "meta.vcpus") * 100 * g(s, p "." run ".cpu_ns") / 1e9
	return 100 * g(s, p "." run ".cpu_jiffies") / cap
}
function us_text(u) { return u > 0 ? sprintf("%.1f us", u) : "0 us (within the baseline's noise)" }
function cpu_text(s, p, run) {
	if (!cpu_ok(s, p, run))
		return ""
	return sprintf("%s (guest busy %.1f %%, idle baseline %.1f %%)", us_text(cpu_us(s, p, run)),
		busy(s, p, run), busy(s, p, "base"))
}
function mem_bytes(s, p,   d) {
	d = g(s, p ".mem.slab_kib_after") - g(s, p ".mem.slab_kib_before")
	return d * 1024 / g(s, p ".mem.gre_devices")
}
function mem_text(s, p,   d) {
	if (!has(s, p ".mem.slab_kib_after"))
		return ""
	d = g(s, p ".mem.gre_devices")
	return sprintf("%.2f KiB per device (Slab +%s KiB over %s GRE devices; slab objects in use +%.2f KiB, kernfs nodes +%.1f per device)",
		mem_bytes(s, p) / 1024,
		commas(g(s, p ".mem.slab_kib_after") - g(s, p ".mem.slab_kib_before")), commas(d),
		(g(s, p ".mem.slab_active_kib_after") - g(s, p ".mem.slab_active_kib_before")) / d,
		(g(s, p ".mem.kernfs_after") - g(s, p ".mem.kernfs_before")) / d)
}
function dump_ms(s, p) { return (g(s, p ".dump_us") - g(s, p ".dump_start_us")) / 1000 }
# Tunnels seen changing after the cut (or restore), and those in that
# state from the start.
function cut_all(s, k) {
	return g(s, k ".count") + g(s, k ".already") == g(s, substr(k, 1, 2) ".tunnels")
}
function cut_text(s, k,   t) {
	if (!has(s, k ".count"))
		return ""
	t = sprintf("%s of %s", commas(g(s, k ".count")), commas(g(s, substr(k, 1, 2) ".tunnels")))
	if (g(s, k ".already"))
		t = t sprintf(" (and %s so from the start)", commas(g(s, k ".already")))
	if (g(s, k ".count"))
		t = t sprintf("; first %s, median %s, last %s", secs(g(s, k ".min_ms")),
			secs(g(s, k ".median_ms")), secs(g(s, k ".max_ms")))
	return t
}

# Probes expected on the wire in the window.
function wire_exp(s, p) {
	return g(s, p ".tunnels") * g(s, "meta.window_s") * 1000 / g(s, p ".interval_ms")
}

# row(TITLE, GOAL, cur text, bef text, verdict[, part the figures are of])
function row(title, goal, cur, bef, verdict, part) {
	# A run before with other numbers of tunnels says so.
	if (with_before && bef != "" && part != "" &&
	    (g("bef", part ".tunnels") != g("cur", part ".tunnels") ||
	     g("bef", part ".interval_ms") != g("cur", part ".interval_ms")))
		bef = sprintf("(%s tunnels, %s) %s", commas(g("bef", part ".tunnels")),
			every("bef", part), bef)
	if (cur == "") {
		cur = "not measured"
		verdict = "n/a"
	}
	if (with_before && bef == "")
		bef = "not measured"
	nr++
	R[nr, "title"] = title; R[nr, "goal"] = goal; R[nr, "cur"] = cur
	R[nr, "bef"] = bef; R[nr, "verdict"] = verdict
}
function pm(ok) { return ok ? "pass" : "**miss**" }
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }

# Rows for part p (n1 or n2) with keepalive running.
function steady(p,   t, s, ex, w, txt, b, even) {
	if (!has("cur", p ".tunnels"))
		return
	t = commas(g("cur", p ".tunnels")) " tunnels, " every("cur", p) ", "
	t = t g("cur", "meta.window_s") " s"
	for (s = 1; s <= 2; s++) {
		b = s == 1 ? "cur" : "bef"
		txt[b] = ""
		if (has(b, p ".ka.false_transitions"))
			txt[b] = g(b, p ".ka.false_transitions") " (" g(b, p ".ka.down") " down at the end)"
	}
	row(t ": false transitions", "0", txt["cur"], txt["bef"],
	    pm(g("cur", p ".ka.false_transitions") == 0 && g("cur", p ".ka.down") == 0), p)
	for (s = 1; s <= 2; s++) {
		b = s == 1 ? "cur" : "bef"
		txt[b] = ""
		if (has(b, p ".ka.wire_probes"))
			txt[b] = sprintf("on the wire in %d s: %s of %s (%.1f %%)", g(b, "meta.window_s"),
				commas(g(b, p ".ka.wire_probes")), commas(wire_exp(b, p)),
				100 * g(b, p ".ka.wire_probes") / wire_exp(b, p))
		if (has(b, p ".ka.sent") && g(b, p ".ka.expected") > 0)
			txt[b] = txt[b] sprintf("; counters: %s of %s (%.1f %%)", commas(g(b, p ".ka.sent")),
				commas(g(b, p ".ka.expected")), 100 * g(b, p ".ka.sent") / g(b, p ".ka.expected"))
	}
	ex = g("cur", p ".ka.expected")
	w = g("cur", p ".ka.wire_probes") / wire_exp("cur", p)
	row(t ": probes sent vs expected", "on the wire within 2 %, counters within 5 % (their window is estimated)",
	    txt["cur"], txt["bef"],
	    pm(ex > 0 && g("cur", p ".ka.sent") >= 0.95 * ex && g("cur", p ".ka.sent") <= 1.05 * ex &&
	       w >= 0.98 && w <= 1.02), p)
	for (s = 1; s <= 2; s++) {
		b = s == 1 ? "cur" : "bef"
		txt[b] = ""
		if (has(b, p ".ka.max10ms"))
			txt[b] = sprintf("%d (mean %.1f)", g(b, p ".ka.max10ms"), g(b, p ".ka.mean10ms"))
		if (has(b, p ".ka.max10ms") && has(b, p ".kad.max10ms"))
			txt[b] = txt[b] sprintf("; the daemon, one timer for all: %d", g(b, p ".kad.max10ms"))
	}
	even = g("cur", p ".tunnels") * 10 / g("cur", p ".interval_ms")
	row(t ": most probes in one 10 ms window", sprintf("spread: <= 3 x even (%.1f)", 3 * even),
	    txt["cur"], txt["bef"], pm(g("cur", p ".ka.max10ms") <= 3 * even), p)
	row(t ": guest CPU per probe", "(reference)", cpu_text("cur", p, "ka"), cpu_text("bef", p, "ka"), "info", p)
}

END {
	cur_kernel = v["cur", "meta.kernel"]
	title = sprintf("Scale bench: Debian stock %s under qemu TCG, %d vCPUs, %s MiB", cur_kernel,
		g("cur", "meta.vcpus"), commas(g("cur", "meta.mem_mib")))
	if (has("cur", "meta.host_load"))
		title = title sprintf("; host: %d CPUs, load average %s (start-end)", g("cur", "meta.host_cpus"),
			v["cur", "meta.host_load"])
	note = "Under TCG absolute figures are slow and noisy: ratios measured in the same run are what count."

	steady("n1")
	steady("n2")
	if (cpu_ok("cur", "n1", "ka") && cpu_ok("cur", "n2", "ka") && cpu_us("cur", "n1", "ka") > 0) {
		c = cpu_us("cur", "n2", "ka") / cpu_us("cur", "n1", "ka")
		bt = ""
		if (cpu_ok("bef", "n1", "ka") && cpu_ok("bef", "n2", "ka") && cpu_us("bef", "n1", "ka") > 0)
			bt = sprintf("%.2f", cpu_us("bef", "n2", "ka") / cpu_us("bef", "n1", "ka"))
		row(sprintf("CPU per probe, %s vs %s tunnels (same run)", commas(g("cur", "n2.tunnels")),
			commas(g("cur", "n1.tunnels"))), "<= 2 (cost per tunnel flat)", sprintf("%.2f", c), bt, pm(c <= 2), "n2")
	}

	p = has("cur", "n2.mem.slab_kib_after") ? "n2" : "n1"
	row(sprintf("Memory per GRE device added by loading the module (%s tunnels: both ends)",
		commas(g("cur", p ".tunnels"))), "<= 1 KiB", mem_text("cur", p), mem_text("bef", p),
	    pm(mem_bytes("cur", p) <= 1024), p)
	if (p == "n2")
		row(sprintf("Memory per GRE device, %s tunnels", commas(g("cur", "n1.tunnels"))), "<= 1 KiB",
		    mem_text("cur", "n1"), mem_text("bef", "n1"), pm(mem_bytes("cur", "n1") <= 1024), "n1")

	p = has("cur", "n2.enable_us") ? "n2" : "n1"
	row(sprintf("Enable keepalive on %s tunnels, one gre-keepalive apply (netlink)", commas(g("cur", p ".tunnels"))),
	    "< 1 s", has("cur", p ".enable_us") ? secs(g("cur", p ".enable_us") / 1000) : "",
	    has("bef", p ".enable_us") ? secs(g("bef", p ".enable_us") / 1000) : "",
	    pm(g("cur", p ".enable_us") < 1000000), p)
	if (has("cur", "n1.dump_us") && has("cur", "n2.dump_us")) {
		ratio = dump_ms("cur", "n2") / dump_ms("cur", "n1")
		lin = g("cur", "n2.tunnels") / g("cur", "n1.tunnels")
		bt = ""
		if (has("bef", "n1.dump_us") && has("bef", "n2.dump_us"))
			bt = sprintf("%s vs %s: %.1fx", secs(dump_ms("bef", "n1")), secs(dump_ms("bef", "n2")),
				dump_ms("bef", "n2") / dump_ms("bef", "n1"))
		row(sprintf("Dump (show -j), %s vs %s tunnels, wall time less the tool's start",
			commas(g("cur", "n1.tunnels")), commas(g("cur", "n2.tunnels"))),
		    sprintf("linear: ~%.0fx (<= %.0fx)", lin, 1.5 * lin),
		    sprintf("%s vs %s: %.1fx", secs(dump_ms("cur", "n1")), secs(dump_ms("cur", "n2")), ratio),
		    bt, pm(ratio <= 1.5 * lin), "n2")
	}

	# The storm.
	if (has("cur", "n2.storm.cut.all_ms") || has("bef", "n2.storm.cut.all_ms")) {
		i = g("cur", "n2.interval_ms"); r = g("cur", "meta.retries")
		t = sprintf("Storm: path to %s tunnels black-holed at once (%s)", commas(g("cur", "n2.tunnels")),
			every("cur", "n2"))
		row(t ": time until all down", sprintf("<= (retries + 1) x interval + 1 s = %s", secs((r + 1) * i + 1000)),
		    cut_text("cur", "n2.storm.cut"), cut_text("bef", "n2.storm.cut"),
		    pm(cut_all("cur", "n2.storm.cut") && g("cur", "n2.storm.cut.already") == 0 &&
		       g("cur", "n2.storm.cut.min_ms") >= 0 &&
		       g("cur", "n2.storm.cut.max_ms") <= (r + 1) * i + 1000), "n2")
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = ""
			if (has(b, "n2.storm.cut.rtnl_max_us"))
				txt[b] = sprintf("%s (p99 %s; quiet: %s, p99 %s)", secs(g(b, "n2.storm.cut.rtnl_max_us") / 1000),
					secs(g(b, "n2.storm.cut.rtnl_p99_us") / 1000),
					secs(g(b, "n2.storm.quiet.rtnl_max_us") / 1000),
					secs(g(b, "n2.storm.quiet.rtnl_p99_us") / 1000))
		}
		row(t ": longest RTNL hold (worst wait of an RTNL request)", "<= 100 ms", txt["cur"], txt["bef"],
		    pm(g("cur", "n2.storm.cut.rtnl_max_us") <= 100000), "n2")
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = has(b, "n2.storm.cut.log_lines") ? sprintf("%s down, %s up",
				commas(g(b, "n2.storm.cut.log_lines")), commas(g(b, "n2.storm.restore.log_lines"))) : ""
		}
		lim = g("cur", "n2.tunnels") / 100
		if (lim < 20)
			lim = 20
		row(t ": kernel log lines written", sprintf("rate-limited: <= %s each way (1 %%, at least 20)",
			commas(lim)), txt["cur"], txt["bef"],
		    pm(g("cur", "n2.storm.cut.log_lines") <= lim && g("cur", "n2.storm.restore.log_lines") <= lim), "n2")
		row(t ": restored, time until all up", sprintf("<= interval + 1 s = %s", secs(i + 1000)),
		    cut_text("cur", "n2.storm.restore"), cut_text("bef", "n2.storm.restore"),
		    pm(cut_all("cur", "n2.storm.restore") &&
		       g("cur", "n2.storm.restore.max_ms") <= i + 1000), "n2")
	}

	# Against the daemon.
	if (has("cur", "n1.kad.cpu_jiffies") || has("bef", "n1.kad.cpu_jiffies")) {
		t = sprintf("Against the baseline daemon (tests/bench/gka-kad.c), %s tunnels, %s",
			commas(g("cur", "n1.tunnels")), every("cur", "n1"))
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = ""
			rt[b] = 99
			if (!cpu_ok(b, "n1", "ka") || !cpu_ok(b, "n1", "kad"))
				continue
			m = cpu_us(b, "n1", "ka"); d = cpu_us(b, "n1", "kad")
			if (m < 0)
				m = 0
			if (d > 0) {
				rt[b] = m / d
				txt[b] = sprintf("%.3f (module %s, daemon %s per probe; guest busy %.1f %% vs %.1f %%)",
					m / d, us_text(m), us_text(d), busy(b, "n1", "ka"), busy(b, "n1", "kad"))
			}
		}
		row(t ": CPU per probe, module / daemon", "<= 1/10", txt["cur"], txt["bef"], pm(rt["cur"] <= 0.1), "n1")
		i = g("cur", "n1.interval_ms"); r = g("cur", "meta.retries")
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = ""
			if (has(b, "n1.ka.cut.count") || has(b, "n1.kad.cut.count"))
				txt[b] = "module: " cut_text(b, "n1.ka.cut") "; daemon: " cut_text(b, "n1.kad.cut")
		}
		row(t ": path cut, time to each tunnel's down", sprintf("all within (retries + 1) x interval + 0.5 s = %s",
			secs((r + 1) * i + 500)), txt["cur"], txt["bef"],
		    pm(cut_all("cur", "n1.ka.cut") && g("cur", "n1.ka.cut.already") == 0 &&
		       g("cur", "n1.ka.cut.min_ms") >= 0 &&
		       g("cur", "n1.ka.cut.max_ms") <= (r + 1) * i + 500), "n1")
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = ""
			if (has(b, "n1.ka.restore.count") || has(b, "n1.kad.restore.count"))
				txt[b] = "module: " cut_text(b, "n1.ka.restore") "; daemon: " cut_text(b, "n1.kad.restore")
		}
		row(t ": path restored, time to each tunnel's up", sprintf("all within interval + 0.5 s = %s",
			secs(i + 500)), txt["cur"], txt["bef"],
		    pm(cut_all("cur", "n1.ka.restore") &&
		       g("cur", "n1.ka.restore.max_ms") <= i + 500), "n1")
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = ""
			if (has(b, "n1.ka.cut.rtnl_max_us") && has(b, "n1.kad.cut.rtnl_max_us"))
				txt[b] = sprintf("module %s, daemon %s (quiet: %s)", secs(g(b, "n1.ka.cut.rtnl_max_us") / 1000),
					secs(g(b, "n1.kad.cut.rtnl_max_us") / 1000),
					has(b, "n1.quiet.rtnl_max_us") ? secs(g(b, "n1.quiet.rtnl_max_us") / 1000) : "?")
		}
		row(t ": path cut, longest RTNL hold until all down", "(reference)", txt["cur"], txt["bef"], "info", "n1")
		for (s = 1; s <= 2; s++) {
			b = s == 1 ? "cur" : "bef"
			txt[b] = ""
			if (has(b, "n1.kad.false_transitions"))
				txt[b] = sprintf("module %d, daemon %d (replies its socket dropped: %d)",
					g(b, "n1.ka.false_transitions"), g(b, "n1.kad.false_transitions"),
					g(b, "n1.kad.dropped"))
		}
		row(t ": false transitions in " g("cur", "meta.window_s") " s", "0 and 0", txt["cur"], txt["bef"],
		    pm(g("cur", "n1.ka.false_transitions") == 0 && g("cur", "n1.kad.false_transitions") == 0), "n1")
	}

	notes[++nn] = "One guest: routers A and B are network namespaces joined by a veth pair; N keyed GRE tunnels (key 1..N) from A to B; the module loaded with its defaults (B reflects); keepalive enabled on A's tunnels with one gre-keepalive apply."
	notes[++nn] = "CPU per probe: user+system+irq+softirq jiffies of /proc/stat over the window, all vCPUs, less an idle baseline (same topology, keepalive off) at the same rate, over the probes counted leaving A's underlay. It includes the veth path and B's reflection, the same for the module and the daemon."
	notes[++nn] = "Path cut: a blackhole route to B's address in A's namespace, which takes every tunnel's underlay route at once. Line protocol changes are timed as rtnetlink announces them on A (IFF_RUNNING), per tunnel."
	notes[++nn] = "RTNL hold: the worst latency of an RTM_NEWLINK setting a dummy device's unchanged MTU, sent in a loop 1 ms apart; under TCG it includes scheduling delays (see the quiet figure, taken with nothing happening)."
	notes[++nn] = "Log lines: kernel log records written from the cut until all were down (and from the restore until all were up), counted by sequence number; the console shows warnings only meanwhile."
	notes[++nn] = "Baseline daemon: tests/bench/gka-kad.c, probes from a raw IPPROTO_GRE socket, replies from an AF_PACKET socket with a BPF filter, the line protocol as administrative down/up through RTM_NEWLINK (what ip link set down does: userspace cannot switch a GRE carrier), one timerfd/epoll loop; run with the module loaded, keepalive off on A, B reflecting."
	notes[++nn] = "Memory: /proc/meminfo Slab before and after modprobe with the tunnels present (caches dropped), over the number of GRE devices at both ends; kernfs nodes from kernfs_node_cache."
	print "### " title
	print ""
	print note
	print ""
	if (with_before) {
		print "| Row | Goal | Before | Measured | Result |"
		print "|---|---|---|---|---|"
	} else {
		print "| Row | Goal | Measured | Result |"
		print "|---|---|---|---|"
	}
	for (n = 1; n <= nr; n++) {
		if (with_before)
			printf "| %s | %s | %s | %s | %s |\n", R[n, "title"], R[n, "goal"], R[n, "bef"], R[n, "cur"], R[n, "verdict"]
		else
			printf "| %s | %s | %s | %s |\n", R[n, "title"], R[n, "goal"], R[n, "cur"], R[n, "verdict"]
	}
	print ""
	for (n = 1; n <= nn; n++)
		print "- " notes[n]

	printf "{\n  \"title\": %s,\n  \"note\": %s,\n  \"rows\": [\n", jstr(title), jstr(note) > json
	for (n = 1; n <= nr; n++) {
		verdict = R[n, "verdict"]; gsub(/\*/, "", verdict)
		printf "    {\"row\": %s, \"goal\": %s, \"measured\": %s, \"result\": %s}%s\n",
			jstr(R[n, "title"]), jstr(R[n, "goal"]), jstr(R[n, "cur"]), jstr(verdict),
			n < nr ? "," : "" > json
	}
	printf "  ],\n  \"notes\": [\n" > json
	for (n = 1; n <= nn; n++)
		printf "    %s%s\n", jstr(notes[n]), n < nn ? "," : "" > json
	printf "  ],\n  \"raw\": {\n" > json
	for (n = 1; n <= nk; n++) {
		x = v["cur", order[n]]
		printf "    %s: %s%s\n", jstr(order[n]), x ~ /^-?[0-9]+(\.[0-9]+)?$/ ? x : jstr(x),
			n < nk ? "," : "" > json
	}
	printf "  }\n}\n" > json
}