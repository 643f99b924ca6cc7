/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One tunnel's keepalive state as the kernel reports it (TUNNEL_GET replies,
 * dump entries and TUNNEL_CHANGE_NTF notifications), and how gre-keepalive prints it.
 */
#ifndef GK_STATUS_H
#define GK_STATUS_H

#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "json.h"

struct gk_status {
	__u32 ifindex;
	char ifname[IF_NAMESIZE];
	bool enabled;
	bool admin_up;
	bool line_up;
	__u32 interval_ms;
	__u32 retries;
	__u32 counter;
	__u64 probes_sent;
	__u64 probe_errors;
	__u64 replies;
	__u64 transitions;
	__u64 last_change_ns;	/* CLOCK_REALTIME, 0 = never */
	__u64 last_reply_ns;		/* CLOCK_REALTIME, 0 = never */
	bool has_reflect;		/* kernel reports reflection */
	bool reflect;
	bool has_dscp;			/* kernel reports the probes' DSCP */
	__u32 dscp;
	bool has_reflect_nat;		/* and the peer variants */
	bool reflect_nat;
	bool has_reflect_overlay;
	bool reflect_overlay;
	__u64 reflected;
	__u64 passed;
	bool suspended;
	char suspend_why[256];
	long long reason;		/* enum gre_keepalive_reason, -1 if absent */
};

/* 0, or -1 with errno set if the message is malformed. */
int gk_status_parse(const struct nlmsghdr *nlh, struct gk_status *st);

/* show: one line per tunnel. */
void gk_status_print(FILE *f, const struct gk_status *st);
/* show -j: the members of the tunnel's object. */
void gk_status_json(struct json *j, const struct gk_status *st);

/* monitor: one line per event, received at now_ns (CLOCK_REALTIME). */
void gk_event_print(FILE *f, const struct gk_status *st, __u64 now_ns);
void gk_event_json(FILE *f, const struct gk_status *st, __u64 now_ns);

#endif /* GK_STATUS_H */
