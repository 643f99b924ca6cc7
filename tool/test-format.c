// SPDX-License-Identifier: GPL-2.0
/*
 * Self-check of gre-keepalive's message parsing and output formats, on
 * messages built here the way the kernel builds them. No kernel needed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/gre_keepalive.h>

#include "compat.h"
#include "json.h"
#include "status.h"
#include "values.h"

/* 2026-11-22 01:02:03 UTC and 01:10:00 UTC, with some nanoseconds. */
#define T_CHANGE	(1795309323ULL * 1000000000ULL + 123456789ULL)
#define T_REPLY		(1795309800ULL * 1000000000ULL + 5ULL)

struct msg_spec {
	const char *ifname;
	__u32 ifindex;
	__u32 enabled;
	__u32 admin_up;
	__u32 interval_ms;
	__u32 retries;
	__u32 line;
	__u32 counter;
	__u64 sent, errors, replies, transitions, change, reply;
	const char *suspended;
	long long reason;	/* > 0: REASON sent (events only) */
	bool has_reflect;	/* kernels before reflection do not send it */
	__u32 reflect;
	__u64 reflected, passed;
	bool has_options;	/* nor these, before DSCP and the variants */
	__u32 dscp, reflect_nat, reflect_overlay;
};

static int failures;

/* Like nla_put_u64_64bit: a PAD attribute first if the payload is unaligned. */
static void put_u64_64bit(struct nlmsghdr *nlh, __u16 type, __u64 v)
{
	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, GRE_KEEPALIVE_A_TUNNEL_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static struct nlmsghdr *build(void *buf, const struct msg_spec *m, __u8 cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = GRE_KEEPALIVE_FAMILY_VERSION;
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, m->ifindex);
	mnl_attr_put_strz(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME, m->ifname);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_ENABLED, m->enabled);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_ADMIN_UP, m->admin_up);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS, m->interval_ms);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_RETRIES, m->retries);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_LINE, m->line);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_COUNTER, m->counter);
	put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_PROBES_SENT, m->sent);
	put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_PROBE_ERRORS, m->errors);
	put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_REPLIES, m->replies);
	put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_TRANSITIONS, m->transitions);
	put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_LAST_CHANGE_NS, m->change);
	put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_LAST_REPLY_NS, m->reply);
	if (m->has_reflect) {
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT, m->reflect);
		put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECTED, m->reflected);
		put_u64_64bit(nlh, GRE_KEEPALIVE_A_TUNNEL_PASSED, m->passed);
	}
	if (m->suspended)
		mnl_attr_put_strz(nlh, GRE_KEEPALIVE_A_TUNNEL_SUSPENDED,
				  m->suspended);
	if (m->reason > 0)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REASON, m->reason);
	if (m->has_options) {
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_DSCP, m->dscp);
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT,
				 m->reflect_nat);
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY,
				 m->reflect_overlay);
	}
	/* An attribute from a newer kernel must be skipped. */
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_MAX + 5, 42);
	return nlh;
}

static void parse(const struct msg_spec *m, __u8 cmd, struct gk_status *st)
{
	__u64 buf[512];

	memset(buf, 0, sizeof(buf));
	if (gk_status_parse(build(buf, m, cmd), st) < 0) {
		fprintf(stderr, "FAIL: cannot decode message for %s\n", m->ifname);
		exit(1);
	}
}

static void expect(const char *what, char *got, const char *want)
{
	if (strcmp(got, want)) {
		fprintf(stderr, "FAIL: %s\n  got:  %s\n  want: %s\n", what, got,
			want);
		failures++;
	}
	free(got);
}

/* Output of one formatter, as a string. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *cap_begin(struct capture *c)
{
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f)
		exit(1);
	return c->f;
}

static char *cap_end(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static char *show_json(const struct gk_status *st, size_t n, bool pretty)
{
	struct capture c;
	struct json j;
	size_t i;

	json_init(&j, cap_begin(&c), pretty);
	json_begin(&j, NULL, '[');
	for (i = 0; i < n; i++) {
		json_begin(&j, NULL, '{');
		gk_status_json(&j, &st[i]);
		json_end(&j, '}');
	}
	json_end(&j, ']');
	return cap_end(&c);
}

static const struct msg_spec gre1 = {
	.ifname = "gre1", .ifindex = 7, .enabled = 1, .admin_up = 1,
	.interval_ms = 5000, .retries = 4, .line = GRE_KEEPALIVE_LINE_UP,
	.counter = 0, .sent = 1234, .errors = 0, .replies = 1230,
	.transitions = 2, .change = T_CHANGE, .reply = T_REPLY,
};

static void test_show(void)
{
	struct capture c;
	struct msg_spec m;
	struct gk_status st;
	char *out;

	parse(&gre1, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	out = cap_end(&c);
	expect("show gre1", out,
	       "gre1: keepalive 5 s, retries 4, line protocol up, counter 0, sent 1234, replies 1230, errors 0, transitions 2, last change 2026-11-22 01:02:03 UTC, last reply 2026-11-22 01:10:00 UTC\n");

	m = gre1;
	m.ifname = "gre2";
	m.enabled = 0;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	out = cap_end(&c);
	expect("show disabled", out, "gre2: keepalive off\n");

	m.has_reflect = true;
	m.reflect = 1;
	m.reflected = 41;
	m.passed = 5;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	out = cap_end(&c);
	expect("show disabled, reflecting", out,
	       "gre2: keepalive off, reflect on, reflected 41, passed 5\n");

	m = gre1;
	m.has_reflect = true;
	m.reflect = 0;
	m.passed = 18446744073709551615ULL;
	m.admin_up = 0;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	out = cap_end(&c);
	expect("show enabled, not reflecting", out,
	       "gre1: keepalive 5 s, retries 4, line protocol up, counter 0, sent 1234, replies 1230, errors 0, transitions 2, last change 2026-11-22 01:02:03 UTC, last reply 2026-11-22 01:10:00 UTC, reflect off, reflected 0, passed 18446744073709551615, admin down\n");

	m = gre1;
	m.interval_ms = 100;
	m.line = GRE_KEEPALIVE_LINE_DOWN;
	m.counter = 17;
	m.errors = 3;
	m.change = 0;
	m.reply = 0;
	m.admin_up = 0;
	m.suspended = "underlay route missing";
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	out = cap_end(&c);
	expect("show suspended", out,
	       "gre1: keepalive 100 ms, retries 4, line protocol down, counter 17, sent 1234, replies 1230, errors 3, transitions 2, last change never, last reply never, suspended: underlay route missing, admin down\n");

	m.interval_ms = 32767000;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	out = cap_end(&c);
	if (!strstr(out, "keepalive 32767 s,")) {
		fprintf(stderr, "FAIL: max interval: %s", out);
		failures++;
	}
	free(out);
}

/* A kernel that sends everything: gre1 as the module sets it up. */
static const struct msg_spec gre1_all = {
	.ifname = "gre1", .ifindex = 7, .enabled = 1, .admin_up = 1,
	.interval_ms = 5000, .retries = 4, .line = GRE_KEEPALIVE_LINE_UP,
	.counter = 0, .sent = 1234, .errors = 0, .replies = 1230,
	.transitions = 2, .change = T_CHANGE, .reply = T_REPLY,
	.has_reflect = true, .reflect = 1, .reflected = 9, .passed = 1,
	.has_options = true, .dscp = GRE_KEEPALIVE_DSCP_DEFAULT,
};

static char *show_text(const struct msg_spec *m)
{
	struct gk_status st;
	struct capture c;

	parse(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st);
	gk_status_print(cap_begin(&c), &st);
	return cap_end(&c);
}

static void test_show_options(void)
{
	static const struct {
		__u32 dscp;
		const char *shown;
	} dscps[] = {
		{ 0, "cs0" }, { 8, "cs1" }, { 48, "cs6" }, { 56, "cs7" },
		{ 46, "ef" }, { 10, "af11" }, { 34, "af41" }, { 38, "af43" },
		{ 1, "1" }, { 44, "44" }, { 63, "63" },
	};
	struct msg_spec m = gre1_all;
	char want[512];
	size_t i;

	expect("show with dscp and variants off", show_text(&m),
	       "gre1: keepalive 5 s, retries 4, dscp cs6, line protocol up, counter 0, sent 1234, replies 1230, errors 0, transitions 2, last change 2026-11-22 01:02:03 UTC, last reply 2026-11-22 01:10:00 UTC, reflect on, reflected 9, passed 1\n");

	for (i = 0; i < ARRAY_SIZE(dscps); i++) {
		m.dscp = dscps[i].dscp;
		snprintf(want, sizeof(want),
			 "gre1: keepalive 5 s, retries 4, dscp %s, line protocol up, counter 0, sent 1234, replies 1230, errors 0, transitions 2, last change 2026-11-22 01:02:03 UTC, last reply 2026-11-22 01:10:00 UTC, reflect on, reflected 9, passed 1\n",
			 dscps[i].shown);
		expect("show dscp", show_text(&m), want);
	}

	m = gre1_all;
	m.reflect_nat = 1;
	m.suspended = "no route";
	expect("show reflect nat", show_text(&m),
	       "gre1: keepalive 5 s, retries 4, dscp cs6, line protocol up, counter 0, sent 1234, replies 1230, errors 0, transitions 2, last change 2026-11-22 01:02:03 UTC, last reply 2026-11-22 01:10:00 UTC, reflect on (nat), reflected 9, passed 1, suspended: no route\n");

	m = gre1_all;
	m.enabled = 0;
	m.reflect_overlay = 1;
	expect("show disabled, reflect overlay", show_text(&m),
	       "gre1: keepalive off, reflect on (overlay), reflected 9, passed 1\n");

	m.reflect_nat = 1;
	expect("show disabled, both variants", show_text(&m),
	       "gre1: keepalive off, reflect on (nat, overlay), reflected 9, passed 1\n");

	/* Switched on while reflection is off: shown as set, all the same. */
	m.reflect = 0;
	m.reflect_overlay = 0;
	expect("show reflect off, nat on", show_text(&m),
	       "gre1: keepalive off, reflect off (nat), reflected 9, passed 1\n");
}

/* Every DSCP's name is read back as its number, in any case. */
static void test_dscp_values(void)
{
	char buf[16], upper[16], msg[GK_VALUE_MSG_LEN];
	const char *name;
	__u32 i, v;
	size_t k;

	for (i = 0; i <= 63; i++) {
		name = gk_fmt_dscp(buf, sizeof(buf), i);
		for (k = 0; name[k] && k < sizeof(upper) - 1; k++)
			upper[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ?
					  name[k] - 'a' + 'A' : name[k]);
		upper[k] = '\0';
		if (gk_parse_dscp(name, &v, msg, sizeof(msg)) < 0 || v != i ||
		    gk_parse_dscp(upper, &v, msg, sizeof(msg)) < 0 || v != i) {
			fprintf(stderr, "FAIL: dscp %u shown as '%s' is not read back\n",
				i, name);
			failures++;
		}
	}
	if (gk_dscp_name(64) || gk_parse_dscp("64", &v, msg, sizeof(msg)) == 0) {
		fprintf(stderr, "FAIL: dscp 64 accepted\n");
		failures++;
	}
}

static void test_show_json(void)
{
	struct gk_status st[2];
	struct msg_spec m = gre1;
	char *out;

	parse(&gre1, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st[0]);
	m.ifname = "gre\"\\x";
	m.ifindex = 8;
	m.enabled = 0;
	m.change = 0;
	m.reply = 0;
	m.line = GRE_KEEPALIVE_LINE_DOWN;
	m.sent = UINT64_MAX;
	m.suspended = "tab\there\nnl \x01 \xc3\xa9 \xff";
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st[1]);

	out = show_json(st, 0, false);
	expect("json empty", out, "[]");
	out = show_json(st, 0, true);
	expect("json empty pretty", out, "[]");

	out = show_json(st, 2, false);
	expect("json", out,
	       "[{\"ifname\":\"gre1\",\"ifindex\":7,\"enabled\":true,\"admin_up\":true,\"interval_ms\":5000,\"retries\":4,\"line_protocol\":\"up\",\"counter\":0,\"probes_sent\":1234,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":\"2026-11-22T01:02:03Z\",\"last_reply\":\"2026-11-22T01:10:00Z\"},{\"ifname\":\"gre\\\"\\\\x\",\"ifindex\":8,\"enabled\":false,\"admin_up\":true,\"interval_ms\":5000,\"retries\":4,\"line_protocol\":\"down\",\"counter\":0,\"probes_sent\":18446744073709551615,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":null,\"last_reply\":null,\"suspended\":\"tab\\there\\nnl \\u0001 \xc3\xa9 \\ufffd\"}]");

	parse(&gre1_all, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st[1]);
	out = show_json(&st[1], 1, false);
	expect("json with dscp and variants", out,
	       "[{\"ifname\":\"gre1\",\"ifindex\":7,\"enabled\":true,\"admin_up\":true,\"interval_ms\":5000,\"retries\":4,\"dscp\":48,\"line_protocol\":\"up\",\"counter\":0,\"probes_sent\":1234,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":\"2026-11-22T01:02:03Z\",\"last_reply\":\"2026-11-22T01:10:00Z\",\"reflect\":true,\"reflected\":9,\"passed\":1,\"reflect_nat\":false,\"reflect_overlay\":false}]");
	m = gre1_all;
	m.dscp = 46;
	m.reflect_nat = 1;
	m.reflect_overlay = 1;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_GET, &st[1]);
	out = show_json(&st[1], 1, true);
	expect("json pretty with dscp and variants", out,
	       "[\n    {\n        \"ifname\": \"gre1\",\n        \"ifindex\": 7,\n        \"enabled\": true,\n        \"admin_up\": true,\n        \"interval_ms\": 5000,\n        \"retries\": 4,\n        \"dscp\": 46,\n        \"line_protocol\": \"up\",\n        \"counter\": 0,\n        \"probes_sent\": 1234,\n        \"probe_errors\": 0,\n        \"replies\": 1230,\n        \"transitions\": 2,\n        \"last_change\": \"2026-11-22T01:02:03Z\",\n        \"last_reply\": \"2026-11-22T01:10:00Z\",\n        \"reflect\": true,\n        \"reflected\": 9,\n        \"passed\": 1,\n        \"reflect_nat\": true,\n        \"reflect_overlay\": true\n    }\n]");

	out = show_json(st, 1, true);
	expect("json pretty", out,
	       "[\n    {\n        \"ifname\": \"gre1\",\n        \"ifindex\": 7,\n        \"enabled\": true,\n        \"admin_up\": true,\n        \"interval_ms\": 5000,\n        \"retries\": 4,\n        \"line_protocol\": \"up\",\n        \"counter\": 0,\n        \"probes_sent\": 1234,\n        \"probe_errors\": 0,\n        \"replies\": 1230,\n        \"transitions\": 2,\n        \"last_change\": \"2026-11-22T01:02:03Z\",\n        \"last_reply\": \"2026-11-22T01:10:00Z\"\n    }\n]");
}

static void test_escape(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "\x7f", "\"\\u007f\"" },
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },		/* U+20AC */
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },	/* U+1F600 */
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },		/* overlong */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },	/* surrogate */
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },		/* truncated */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	};
	struct capture c;
	size_t i;
	char *out;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		json_escape(cap_begin(&c), cases[i].in);
	out = cap_end(&c);
		expect("json_escape", out, cases[i].out);
	}
}

static void test_events(void)
{
	__u64 now = 1795309323ULL * 1000000000ULL + 999999999ULL;
	struct msg_spec m = gre1;
	struct capture c;
	struct gk_status st;
	char *out;

	m.line = GRE_KEEPALIVE_LINE_DOWN;
	m.counter = 4;
	m.reason = GRE_KEEPALIVE_REASON_TIMEOUT;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event timeout", out,
	       "2026-11-22T01:02:03Z gre1: line protocol down (timeout), counter 4\n");
	gk_event_json(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event json", out,
	       "{\"time\":\"2026-11-22T01:02:03Z\",\"event\":\"timeout\",\"ifname\":\"gre1\",\"ifindex\":7,\"enabled\":true,\"admin_up\":true,\"interval_ms\":5000,\"retries\":4,\"line_protocol\":\"down\",\"counter\":4,\"probes_sent\":1234,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":\"2026-11-22T01:02:03Z\",\"last_reply\":\"2026-11-22T01:10:00Z\"}\n");

	m = gre1;
	m.interval_ms = 250;
	m.reason = GRE_KEEPALIVE_REASON_CHANGED;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event changed", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (changed), counter 0, keepalive 250 ms, retries 4\n");

	m = gre1;
	m.enabled = 0;
	m.reason = GRE_KEEPALIVE_REASON_TUNNEL_GONE;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event gone", out,
	       "2026-11-22T01:02:03Z gre1: keepalive off (tunnel-gone)\n");

	m = gre1;
	m.admin_up = 0;
	m.reason = GRE_KEEPALIVE_REASON_ADMIN_DOWN;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event admin down", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (admin-down), counter 0, admin down\n");

	m = gre1;
	m.enabled = 0;
	m.has_reflect = true;
	m.reflect = 0;
	m.reflected = 3;
	m.reason = GRE_KEEPALIVE_REASON_REFLECT_CHANGED;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event reflect changed", out,
	       "2026-11-22T01:02:03Z gre1: reflect off (reflect-changed)\n");
	gk_event_json(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event reflect changed json", out,
	       "{\"time\":\"2026-11-22T01:02:03Z\",\"event\":\"reflect-changed\",\"ifname\":\"gre1\",\"ifindex\":7,\"enabled\":false,\"admin_up\":true,\"interval_ms\":5000,\"retries\":4,\"line_protocol\":\"up\",\"counter\":0,\"probes_sent\":1234,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":\"2026-11-22T01:02:03Z\",\"last_reply\":\"2026-11-22T01:10:00Z\",\"reflect\":false,\"reflected\":3,\"passed\":0}\n");

	m = gre1;
	m.reason = 200;
	m.suspended = "no route";
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event unknown reason", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (reason-200), counter 0, suspended: no route\n");

	/* Reasons are u32: the largest is not taken for a negative one. */
	m.reason = UINT32_MAX;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event reason 2^32-1", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (reason-4294967295), counter 0, suspended: no route\n");

	m.reason = 0;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event without a reason", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (unknown), counter 0, suspended: no route\n");

	/* A kernel that sends DSCP and the variants. */
	m = gre1_all;
	m.dscp = 46;
	m.interval_ms = 250;
	m.reason = GRE_KEEPALIVE_REASON_CHANGED;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event changed, dscp", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (changed), counter 0, keepalive 250 ms, retries 4, dscp ef\n");
	gk_event_json(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event changed, dscp json", out,
	       "{\"time\":\"2026-11-22T01:02:03Z\",\"event\":\"changed\",\"ifname\":\"gre1\",\"ifindex\":7,\"enabled\":true,\"admin_up\":true,\"interval_ms\":250,\"retries\":4,\"dscp\":46,\"line_protocol\":\"up\",\"counter\":0,\"probes_sent\":1234,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":\"2026-11-22T01:02:03Z\",\"last_reply\":\"2026-11-22T01:10:00Z\",\"reflect\":true,\"reflected\":9,\"passed\":1,\"reflect_nat\":false,\"reflect_overlay\":false}\n");

	m.dscp = 21;
	m.reason = GRE_KEEPALIVE_REASON_ENABLED;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event enabled, unnamed dscp", out,
	       "2026-11-22T01:02:03Z gre1: line protocol up (enabled), counter 0, keepalive 250 ms, retries 4, dscp 21\n");

	/* Not a change of configuration: no configuration shown. */
	m.line = GRE_KEEPALIVE_LINE_DOWN;
	m.counter = 4;
	m.reason = GRE_KEEPALIVE_REASON_TIMEOUT;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event timeout, dscp sent", out,
	       "2026-11-22T01:02:03Z gre1: line protocol down (timeout), counter 4\n");

	m = gre1_all;
	m.reason = GRE_KEEPALIVE_REASON_REFLECT_CHANGED;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event reflect changed, variants off", out,
	       "2026-11-22T01:02:03Z gre1: reflect on (reflect-changed)\n");

	m.reflect_nat = 1;
	m.reflect_overlay = 1;
	parse(&m, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF, &st);
	gk_event_print(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event reflect changed, variants on", out,
	       "2026-11-22T01:02:03Z gre1: reflect on (nat, overlay) (reflect-changed)\n");
	gk_event_json(cap_begin(&c), &st, now);
	out = cap_end(&c);
	expect("event reflect changed, variants json", out,
	       "{\"time\":\"2026-11-22T01:02:03Z\",\"event\":\"reflect-changed\",\"ifname\":\"gre1\",\"ifindex\":7,\"enabled\":true,\"admin_up\":true,\"interval_ms\":5000,\"retries\":4,\"dscp\":48,\"line_protocol\":\"up\",\"counter\":0,\"probes_sent\":1234,\"probe_errors\":0,\"replies\":1230,\"transitions\":2,\"last_change\":\"2026-11-22T01:02:03Z\",\"last_reply\":\"2026-11-22T01:10:00Z\",\"reflect\":true,\"reflected\":9,\"passed\":1,\"reflect_nat\":true,\"reflect_overlay\":true}\n");
}

static void test_malformed(void)
{
	struct gk_status st;
	__u64 buf[128];
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	/* A u32 attribute one byte short. */
	mnl_attr_put(nlh, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, 3, "abc");
	mnl_attr_put_strz(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME, "gre1");
	if (gk_status_parse(nlh, &st) == 0) {
		fprintf(stderr, "FAIL: short u32 accepted\n");
		failures++;
	}
	/* A flag as version 1 sent it, a u8: flags are u32 now. */
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	mnl_attr_put_strz(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME, "gre1");
	mnl_attr_put_u8(nlh, GRE_KEEPALIVE_A_TUNNEL_ENABLED, 1);
	if (gk_status_parse(nlh, &st) == 0) {
		fprintf(stderr, "FAIL: u8 ENABLED accepted\n");
		failures++;
	}
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, 3);
	if (gk_status_parse(nlh, &st) == 0) {
		fprintf(stderr, "FAIL: message without IFNAME accepted\n");
		failures++;
	}
}

int main(void)
{
	test_show();
	test_show_options();
	test_dscp_values();
	test_show_json();
	test_escape();
	test_events();
	test_malformed();
	if (failures) {
		fprintf(stderr, "test-format: %d failed\n", failures);
		return 1;
	}
	printf("test-format: all passed\n");
	return 0;
}
