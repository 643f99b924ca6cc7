/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keepalive engine of one tunnel: the timer that sends probes, the
 * counter that takes the line protocol down, and the reply that brings it
 * back up.
 */
#ifndef _GKA_KEEPALIVE_H
#define _GKA_KEEPALIVE_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "probe.h"
#include "state.h"

struct gka_tunnel;

struct gka_keepalive {
	spinlock_t lock;		/* protects everything below */
	bool enabled;			/* configured on; written under RTNL */
	bool active;			/* enabled, usable and admin up; see below */
	u32 interval_ms;
	u32 retries;
	u8 dscp;			/* of the probe's inner header */
	u16 probe_id;			/* the next probe's IP ID */
	struct gka_match match;		/* what probes and replies look like */
	struct gka_state state;
	u64 probes_sent;
	u64 probe_errors;
	u64 last_change_ns;		/* CLOCK_REALTIME, 0 = never */
	u64 last_reply_ns;
	struct hrtimer timer;
};

void gka_keepalive_init(struct gka_tunnel *kt, u32 interval_ms, u32 retries,
			u8 dscp);

/* The rest under RTNL. */
/* Start or stop probing; a start begins afresh with the line up. */
void gka_keepalive_run(struct gka_tunnel *kt, bool run);
void gka_keepalive_set_enabled(struct gka_tunnel *kt, bool on);
/* From now on: a changed interval re-arms, counter and line stay. */
void gka_keepalive_set_timing(struct gka_tunnel *kt, u32 interval_ms,
			      u32 retries);
void gka_keepalive_set_match(struct gka_tunnel *kt, const struct gka_match *m);
/* From the next probe on. */
void gka_keepalive_set_dscp(struct gka_tunnel *kt, u8 dscp);
/* Carrier back on: keepalive stopped, the line is Linux's again. */
void gka_keepalive_restore_carrier(struct gka_tunnel *kt);

/*
 * Lock-free, for the reply hook: is @ka probing, so that a reply may be
 * its? gka_keepalive_take_reply() decides under the lock.
 */
static inline bool gka_keepalive_active(const struct gka_keepalive *ka)
{
	return READ_ONCE(ka->active);
}

/* Count the reply; false if @kt stopped or changed in the meantime. */
bool gka_keepalive_take_reply(struct gka_tunnel *kt, __be32 saddr,
			      __be32 daddr, const struct gka_reply *reply);
/* The same for an ip6gre tunnel's reply. */
bool gka_keepalive_take_reply6(struct gka_tunnel *kt,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr,
			       const struct gka_reply *reply);

#endif /* _GKA_KEEPALIVE_H */
