// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and printing of a tunnel's keepalive state.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/gre_keepalive.h>

#include "compat.h"
#include "status.h"
#include "values.h"

#define NSEC_PER_SEC	((__u64)1000000000)

/*
 * Attributes we read, and their types; others (PAD, newer ones) are skipped.
 * Flags and enums are u32.
 */
static const enum mnl_attr_data_type gk_attr_types[GRE_KEEPALIVE_A_TUNNEL_MAX + 1] = {
	[GRE_KEEPALIVE_A_TUNNEL_IFINDEX]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_IFNAME]		= MNL_TYPE_NUL_STRING,
	[GRE_KEEPALIVE_A_TUNNEL_ENABLED]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_ADMIN_UP]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_RETRIES]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_LINE]		= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_COUNTER]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_PROBES_SENT]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_PROBE_ERRORS]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_REPLIES]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_TRANSITIONS]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_LAST_CHANGE_NS]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_LAST_REPLY_NS]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_REFLECTED]	= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_PASSED]		= MNL_TYPE_U64,
	[GRE_KEEPALIVE_A_TUNNEL_SUSPENDED]	= MNL_TYPE_NUL_STRING,
	[GRE_KEEPALIVE_A_TUNNEL_REASON]		= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_DSCP]		= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT]	= MNL_TYPE_U32,
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY] = MNL_TYPE_U32,
};

/* The reasons' names, as in the netlink spec; 0 is none of them. */
static const char * const gk_reason_names[] = {
	[GRE_KEEPALIVE_REASON_ENABLED]		= "enabled",
	[GRE_KEEPALIVE_REASON_CHANGED]		= "changed",
	[GRE_KEEPALIVE_REASON_DISABLED]		= "disabled",
	[GRE_KEEPALIVE_REASON_TIMEOUT]		= "timeout",
	[GRE_KEEPALIVE_REASON_REPLY]		= "reply",
	[GRE_KEEPALIVE_REASON_ADMIN_UP]		= "admin-up",
	[GRE_KEEPALIVE_REASON_TUNNEL_CHANGED]	= "tunnel-changed",
	[GRE_KEEPALIVE_REASON_TUNNEL_GONE]	= "tunnel-gone",
	[GRE_KEEPALIVE_REASON_ADMIN_DOWN]	= "admin-down",
	[GRE_KEEPALIVE_REASON_REFLECT_CHANGED]	= "reflect-changed",
};

static int gk_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	__u16 type = mnl_attr_get_type(attr);

	if (type > GRE_KEEPALIVE_A_TUNNEL_MAX || gk_attr_types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, gk_attr_types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static void copy_str(char *dst, size_t len, const struct nlattr *attr)
{
	const char *src = mnl_attr_get_str(attr);
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static __u32 get_u32(const struct nlattr *attr, __u32 def)
{
	return attr ? mnl_attr_get_u32(attr) : def;
}

static __u64 get_u64(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u64(attr) : 0;
}

int gk_status_parse(const struct nlmsghdr *nlh, struct gk_status *st)
{
	const struct nlattr *tb[GRE_KEEPALIVE_A_TUNNEL_MAX + 1] = { NULL };

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) ||
	    mnl_attr_parse(nlh, GENL_HDRLEN, gk_attr_cb, tb) < 0 ||
	    !tb[GRE_KEEPALIVE_A_TUNNEL_IFNAME]) {
		errno = EBADMSG;
		return -1;
	}

	memset(st, 0, sizeof(*st));
	copy_str(st->ifname, sizeof(st->ifname),
		 tb[GRE_KEEPALIVE_A_TUNNEL_IFNAME]);
	st->ifindex = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_IFINDEX], 0);
	st->enabled = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_ENABLED], 0);
	st->admin_up = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_ADMIN_UP], 1);
	st->line_up = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_LINE],
			      GRE_KEEPALIVE_LINE_UP) == GRE_KEEPALIVE_LINE_UP;
	st->interval_ms = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS], 0);
	st->retries = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_RETRIES], 0);
	st->counter = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_COUNTER], 0);
	st->probes_sent = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_PROBES_SENT]);
	st->probe_errors = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_PROBE_ERRORS]);
	st->replies = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_REPLIES]);
	st->transitions = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_TRANSITIONS]);
	st->last_change_ns = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_LAST_CHANGE_NS]);
	st->last_reply_ns = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_LAST_REPLY_NS]);
	st->has_reflect = tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT];
	st->reflect = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT], 0);
	st->reflected = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECTED]);
	st->passed = get_u64(tb[GRE_KEEPALIVE_A_TUNNEL_PASSED]);
	st->has_dscp = tb[GRE_KEEPALIVE_A_TUNNEL_DSCP];
	st->dscp = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_DSCP], 0);
	st->has_reflect_nat = tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT];
	st->reflect_nat = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT], 0);
	st->has_reflect_overlay = tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY];
	st->reflect_overlay =
		get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY], 0);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_SUSPENDED]) {
		st->suspended = true;
		copy_str(st->suspend_why, sizeof(st->suspend_why),
			 tb[GRE_KEEPALIVE_A_TUNNEL_SUSPENDED]);
	}
	st->reason = tb[GRE_KEEPALIVE_A_TUNNEL_REASON] ?
		     (long long)mnl_attr_get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REASON]) : -1;
	return 0;
}

/* "5 s" for whole seconds, "100 ms" otherwise. */
static const char *fmt_interval(char *buf, size_t len, __u32 ms)
{
	if (ms && ms % 1000 == 0)
		snprintf(buf, len, "%u s", ms / 1000);
	else
		snprintf(buf, len, "%u ms", ms);
	return buf;
}

#define HUMAN_TIME	"%Y-%m-%d %H:%M:%S UTC"
#define ISO_TIME	"%Y-%m-%dT%H:%M:%SZ"

/* ns since the epoch in UTC, ISO 8601 or for humans; NULL for 0 (never). */
static const char *fmt_time(char *buf, size_t len, __u64 ns, bool iso)
{
	time_t t = (time_t)(ns / NSEC_PER_SEC);
	struct tm tm;

	if (!ns)
		return NULL;
	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, len, iso ? ISO_TIME : HUMAN_TIME, &tm))
		snprintf(buf, len, "@%llu",
			 (unsigned long long)(ns / NSEC_PER_SEC));
	return buf;
}

static const char *fmt_human_time(char *buf, size_t len, __u64 ns)
{
	return fmt_time(buf, len, ns, false) ?: "never";
}

static const char *reason_name(char *buf, size_t len, long long reason)
{
	if (reason < 0)
		return "unknown";
	if ((unsigned long long)reason < ARRAY_SIZE(gk_reason_names) &&
	    gk_reason_names[reason])
		return gk_reason_names[reason];
	snprintf(buf, len, "reason-%lld", reason);
	return buf;
}

static const char *line_name(const struct gk_status *st)
{
	return st->line_up ? "up" : "down";
}

/* ", suspended: why" and ", admin down", as they apply. */
static void print_flags(FILE *f, const struct gk_status *st)
{
	if (st->suspended)
		fprintf(f, ", suspended: %s", st->suspend_why);
	if (!st->admin_up)
		fputs(", admin down", f);
}

/* ", dscp cs6", from kernels that say. */
static void print_dscp(FILE *f, const struct gk_status *st)
{
	char buf[16];

	if (st->has_dscp)
		fprintf(f, ", dscp %s", gk_fmt_dscp(buf, sizeof(buf), st->dscp));
}

/*
 * "reflect on", then the peer variants that are on: "reflect on (nat,
 * overlay)". Those off are left out, so that a tunnel without them reads
 * as before they existed.
 */
static void print_reflect_state(FILE *f, const struct gk_status *st)
{
	bool nat = st->has_reflect_nat && st->reflect_nat;
	bool overlay = st->has_reflect_overlay && st->reflect_overlay;

	fprintf(f, "reflect %s", st->reflect ? "on" : "off");
	if (nat || overlay)
		fprintf(f, " (%s%s%s)", nat ? "nat" : "",
			nat && overlay ? ", " : "", overlay ? "overlay" : "");
}

/* ", reflect on, reflected N, passed N", from kernels that say. */
static void print_reflect(FILE *f, const struct gk_status *st)
{
	if (!st->has_reflect)
		return;
	fputs(", ", f);
	print_reflect_state(f, st);
	fprintf(f, ", reflected %llu, passed %llu",
		(unsigned long long)st->reflected,
		(unsigned long long)st->passed);
}

void gk_status_print(FILE *f, const struct gk_status *st)
{
	char iv[32], change[64], reply[64];

	if (!st->enabled) {
		fprintf(f, "%s: keepalive off", st->ifname);
		print_reflect(f, st);
		fputc('\n', f);
		return;
	}
	fprintf(f, "%s: keepalive %s, retries %u",
		st->ifname, fmt_interval(iv, sizeof(iv), st->interval_ms),
		st->retries);
	print_dscp(f, st);
	fprintf(f, ", line protocol %s, counter %u", line_name(st),
		st->counter);
	fprintf(f, ", sent %llu, replies %llu, errors %llu, transitions %llu",
		(unsigned long long)st->probes_sent,
		(unsigned long long)st->replies,
		(unsigned long long)st->probe_errors,
		(unsigned long long)st->transitions);
	fprintf(f, ", last change %s, last reply %s",
		fmt_human_time(change, sizeof(change), st->last_change_ns),
		fmt_human_time(reply, sizeof(reply), st->last_reply_ns));
	print_reflect(f, st);
	print_flags(f, st);
	fputc('\n', f);
}

static void json_time(struct json *j, const char *key, __u64 ns)
{
	char buf[64];

	if (fmt_time(buf, sizeof(buf), ns, true))
		json_string(j, key, buf);
	else
		json_null(j, key);
}

void gk_status_json(struct json *j, const struct gk_status *st)
{
	json_string(j, "ifname", st->ifname);
	json_u64(j, "ifindex", st->ifindex);
	json_bool(j, "enabled", st->enabled);
	json_bool(j, "admin_up", st->admin_up);
	json_u64(j, "interval_ms", st->interval_ms);
	json_u64(j, "retries", st->retries);
	if (st->has_dscp)
		json_u64(j, "dscp", st->dscp);
	json_string(j, "line_protocol", line_name(st));
	json_u64(j, "counter", st->counter);
	json_u64(j, "probes_sent", st->probes_sent);
	json_u64(j, "probe_errors", st->probe_errors);
	json_u64(j, "replies", st->replies);
	json_u64(j, "transitions", st->transitions);
	json_time(j, "last_change", st->last_change_ns);
	json_time(j, "last_reply", st->last_reply_ns);
	if (st->has_reflect) {
		json_bool(j, "reflect", st->reflect);
		json_u64(j, "reflected", st->reflected);
		json_u64(j, "passed", st->passed);
	}
	if (st->has_reflect_nat)
		json_bool(j, "reflect_nat", st->reflect_nat);
	if (st->has_reflect_overlay)
		json_bool(j, "reflect_overlay", st->reflect_overlay);
	if (st->suspended)
		json_string(j, "suspended", st->suspend_why);
}

static bool reason_is_config(long long reason)
{
	return reason == GRE_KEEPALIVE_REASON_ENABLED ||
	       reason == GRE_KEEPALIVE_REASON_CHANGED;
}

void gk_event_print(FILE *f, const struct gk_status *st, __u64 now_ns)
{
	char when[64], why[32], iv[32];
	const char *reason = reason_name(why, sizeof(why), st->reason);

	fprintf(f, "%s %s: ",
		fmt_time(when, sizeof(when), now_ns, true) ?: "-",
		st->ifname);
	if (st->reason == GRE_KEEPALIVE_REASON_REFLECT_CHANGED) {
		print_reflect_state(f, st);
		fprintf(f, " (%s)\n", reason);
		return;
	}
	if (!st->enabled) {
		fprintf(f, "keepalive off (%s)\n", reason);
		return;
	}
	fprintf(f, "line protocol %s (%s), counter %u",
		line_name(st), reason, st->counter);
	if (reason_is_config(st->reason)) {
		fprintf(f, ", keepalive %s, retries %u",
			fmt_interval(iv, sizeof(iv), st->interval_ms),
			st->retries);
		print_dscp(f, st);
	}
	print_flags(f, st);
	fputc('\n', f);
}

void gk_event_json(FILE *f, const struct gk_status *st, __u64 now_ns)
{
	char why[32];
	struct json j;

	json_init(&j, f, false);
	json_begin(&j, NULL, '{');
	json_time(&j, "time", now_ns);
	json_string(&j, "event", reason_name(why, sizeof(why), st->reason));
	gk_status_json(&j, st);
	json_end(&j, '}');
	fputc('\n', f);
}
