/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keepalive engine's internal API: one struct gka_tunnel per GRE tunnel
 * device, driven by netdevice events, the control plane and the receive
 * hook.
 *
 * Locking: configuration changes run under RTNL. The timer and the receive
 * hook run in softirq context and take the tunnel's spinlock; they find
 * tunnels through RCU-protected hash tables.
 */
#ifndef _GRE_KEEPALIVE_H
#define _GRE_KEEPALIVE_H

#include <linux/bits.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/gre_keepalive.h>

#include "compat.h"
#include "probe.h"
#include "state.h"

struct user_namespace;

struct gka_tunnel {
	struct hlist_node dev_node;	/* gka_by_dev */
	struct hlist_node peer_node;	/* gka_by_peer, while enabled */
	struct rcu_head rcu;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	/* The tunnel's link netns: probes leave and replies arrive here. */
	struct net *underlay;
	/* Where this tunnel holds a reflection hook: its own netns, if up. */
	struct net *reflect_net;

	/* Under RTNL. */
	bool usable;			/* the tunnel's parameters allow it */
	bool hashed;			/* in gka_by_peer: usable */
	bool hooked;			/* holds a receive hook: enabled too */
	bool peer_unhashed;		/* peer_gp is set */
	unsigned long peer_gp;		/* RCU state when last unhashed */
	bool sysfs_added;
	struct list_head reread_node;	/* on the re-read list */
	/* Also read without RTNL, with READ_ONCE(). */
	const char *unusable_why;

	spinlock_t lock;		/* protects everything below */
	bool enabled;			/* configured on; written under RTNL too */
	bool active;			/* enabled, usable and admin up */
	bool reflect;			/* answer the peer's probes */
	struct gka_ends ends;		/* what those probes must look like */
	u64 reflected;
	u64 passed;			/* claimed to be probes, not ours */
	u32 interval_ms;
	u32 retries;
	struct gka_match match;
	struct gka_state state;
	u64 probes_sent;
	u64 probe_errors;
	u64 last_change_ns;		/* CLOCK_REALTIME, 0 = never */
	u64 last_reply_ns;

	struct hrtimer timer;
};

/* A consistent copy of a tunnel's keepalive state, for reporting. */
struct gka_info {
	bool enabled;
	bool active;
	bool line_up;
	u32 interval_ms;
	u32 retries;
	u32 counter;
	u64 probes_sent;
	u64 probe_errors;
	u64 replies;
	u64 transitions;
	u64 last_change_ns;
	u64 last_reply_ns;
	bool reflect;
	u64 reflected;
	u64 passed;
};

/*
 * One configuration request, from netlink, sysfs or the module's own
 * defaults: what it sets (GKA_SET_*), the rest stays as it is.
 */
#define GKA_SET_INTERVAL	BIT(0)
#define GKA_SET_RETRIES		BIT(1)
#define GKA_SET_ENABLED		BIT(2)
#define GKA_SET_REFLECT		BIT(3)

struct gka_change {
	unsigned int set;
	u32 interval_ms;
	u32 retries;
	bool enabled;
	bool reflect;
};

/* Who asks, as each front end can tell; NULL for the module itself. */
struct gka_caller {
	/* Does the caller hold CAP_NET_ADMIN over @ns? */
	bool (*net_admin)(const struct gka_caller *caller,
			  struct user_namespace *ns);
	const struct sk_buff *request;	/* netlink: the request */
};

/* tunnel.c: lifetime and configuration, all under RTNL. */
/* A new gre device, with the configuration it gets when first enabled. */
int gka_tunnel_attach(struct net_device *dev, u32 interval_ms, u32 retries,
		      bool reflect);
void gka_tunnel_detach(struct net_device *dev);
void gka_tunnel_detach_all(void);
/* After detach_all and outside RTNL: no re-read left running. */
void gka_tunnel_flush(void);
struct gka_tunnel *gka_tunnel_find(const struct net_device *dev);
/*
 * Apply @c whole or not at all: ranges, the tunnel's fitness and the
 * caller's privilege are checked first; on failure nothing has changed
 * and *@why names the problem.
 */
int gka_tunnel_apply(struct gka_tunnel *kt, const struct gka_change *c,
		     const struct gka_caller *who, const char **why);
/* Returns an error only for what the tunnel could not get (hooks). */
int gka_tunnel_dev_event(struct gka_tunnel *kt, unsigned long event);
void gka_tunnel_info(struct gka_tunnel *kt, struct gka_info *info);
bool gka_is_tunnel_device(const struct net_device *dev);
int gka_tunnel_check(const struct net_device *dev, const char **why);

/*
 * tunnel.c: called by the reply hook under RCU. The tunnel of @underlay
 * that ip_gre would hand a reply from @saddr to @daddr, received on
 * device @iif, if it runs keepalive; NULL if it is nobody's or a tunnel
 * without keepalive. Changes nothing.
 */
struct gka_tunnel *gka_tunnel_reply_owner(const struct net *underlay,
					  __be32 saddr, __be32 daddr, int iif,
					  const struct gka_reply *reply);
/* Count the reply; false if @kt stopped or changed in the meantime. */
bool gka_tunnel_take_reply(struct gka_tunnel *kt, __be32 saddr, __be32 daddr,
			   const struct gka_reply *reply);

/*
 * reflect.c: called by the reflection hooks in softirq context under RCU,
 * for an IPv4 (@pf NFPROTO_IPV4) or IPv6 packet carrying GRE with
 * protocol type 0 (IPv6 also 0x86DD, or too short to have one) that came
 * out of @kt. Returns the netfilter verdict.
 */
unsigned int gka_tunnel_reflect(struct gka_tunnel *kt, struct sk_buff *skb,
				u8 pf);

/* receive.c */
int gka_rx_hook_get(struct net *net);
void gka_rx_hook_put(struct net *net);
int gka_reflect_hook_get(struct net *net);
void gka_reflect_hook_put(struct net *net);
int gka_rx_init(void);
void gka_rx_exit(void);

/* netlink.c */
void gka_nl_notify(struct gka_tunnel *kt, enum gre_keepalive_reason reason);
int gka_nl_init(void);
void gka_nl_exit(void);

/* sysfs.c */
int gka_sysfs_add(struct gka_tunnel *kt);
void gka_sysfs_del(struct gka_tunnel *kt);

#endif /* _GRE_KEEPALIVE_H */
