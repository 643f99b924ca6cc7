/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Answering the peer's keepalives: per tunnel, the switch, the addresses
 * a probe must have and the counters; per netns, the PRE_ROUTING hooks.
 */
#ifndef _GKA_REFLECT_H
#define _GKA_REFLECT_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "probe.h"

struct gka_tunnel;
struct net;

struct gka_reflector {
	/* Under RTNL: the netns this tunnel holds the hooks in, if any. */
	struct net *hook_net;

	spinlock_t lock;		/* protects everything below */
	bool on;			/* written under RTNL */
	/* Peer variants, written under RTNL: see gka_reflect_set_variants(). */
	bool nat;
	bool overlay;
	struct gka_ends ends;		/* what the peer's probes look like */
	u64 reflected;
	u64 passed;			/* claimed to be probes, not ours */
};

void gka_reflect_init(struct gka_tunnel *kt, bool on,
		      const struct gka_ends *ends);

/* Under RTNL. Both return an error only for a hook that could not be had. */
int gka_reflect_set(struct gka_tunnel *kt, bool on);
/*
 * Which peers' probes besides the standard ones are answered: @nat, a
 * peer behind NAT whose probes carry its private address as their inner
 * destination (sent to the tunnel's remote instead); @overlay, probes
 * addressed with the tunnel's inner addresses (sent back through the
 * tunnel). Both only while reflection is on.
 */
void gka_reflect_set_variants(struct gka_tunnel *kt, bool nat, bool overlay);
/* The tunnel's addresses or admin state changed. */
int gka_reflect_update(struct gka_tunnel *kt);

int gka_reflect_module_init(void);
void gka_reflect_module_exit(void);

#endif /* _GKA_REFLECT_H */
