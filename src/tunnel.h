/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry: one struct gka_tunnel per GRE tunnel device, found by
 * device, and what the tunnel's own parameters say about keepalive and
 * reflection. Locking: Documentation/design.md.
 */
#ifndef _GKA_TUNNEL_H
#define _GKA_TUNNEL_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "compat.h"
#include "keepalive.h"
#include "probe.h"
#include "reflect.h"

struct gka_reply6;

struct gka_tunnel {
	struct hlist_node dev_node;	/* gka_by_dev */
	struct rcu_head rcu;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	/* The tunnel's link netns: probes leave and replies arrive here. */
	struct net *underlay;

	/* Under RTNL. */
	bool usable;			/* the tunnel's parameters allow keepalive */
	bool reply_hooked;		/* holds the reply hook in the underlay */
	struct gka_reply6 *reply6;	/* ip6gre: its entry in reply.c's table */
	bool sysfs_added;
	bool sysfs_owner_stale;		/* files not yet handed to the netns's owner */
	struct list_head reread_node;	/* on the re-read list */
	/* Also read without RTNL, with READ_ONCE(). */
	const char *unusable_why;

	struct gka_keepalive ka;
	struct gka_reflector rf;
};

/*
 * Log a change or transition of @kt: for the host's log when the host owns
 * its netns, and limited to short bursts (the rest is counted, and the
 * count logged). Another user namespace's root could make them in a loop,
 * while RTNL is held: it reads them as events, and in the log only as
 * debug messages.
 */
__printf(2, 3) void gka_log(const struct gka_tunnel *kt, const char *fmt, ...);
/* At unload, after the last gka_log(): the count of a burst, now. */
void gka_log_flush(void);

/* Under RCU or RTNL. */
struct gka_tunnel *gka_tunnel_find(const struct net_device *dev);

/* gre, gretap and ip6gre devices: the ones we keep a gka_tunnel for. */
bool gka_is_tunnel_device(const struct net_device *dev);

/*
 * What @dev's parameters say: fills @m with what its probes must carry
 * and returns 0 if it can run keepalive, else a negative errno and *@why.
 * @ends (if not NULL) gets the addresses reflection checks, either way.
 */
int gka_tunnel_read(const struct net_device *dev, struct gka_match *m,
		    struct gka_ends *ends, const char **why);

/* The cache tunnels come from; exit after rcu_barrier(). */
int gka_tunnel_module_init(void);
void gka_tunnel_module_exit(void);

/* A new, zeroed tunnel for @dev, not yet findable. RTNL held. */
struct gka_tunnel *gka_tunnel_alloc(struct net_device *dev);
/* Findable by device; holds the device until gka_tunnel_remove(). */
void gka_tunnel_add(struct gka_tunnel *kt);
/* Unfindable; freed after a grace period, the receive hooks may look. */
void gka_tunnel_remove(struct gka_tunnel *kt);
/* Hands every tracked tunnel to @remove, which removes it. RTNL held. */
void gka_tunnel_drain(void (*remove)(struct gka_tunnel *));

#endif /* _GKA_TUNNEL_H */
