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

#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/gre_keepalive.h>

#include "probe.h"
#include "state.h"

struct netlink_ext_ack;

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
	bool enabled;			/* configured on by the operator */
	bool usable;			/* the tunnel's parameters allow it */
	bool hooked;			/* holds a receive hook in underlay */
	bool sysfs_added;
	const char *unusable_why;

	spinlock_t lock;		/* protects everything below */
	bool active;			/* enabled, usable and admin up */
	bool reflect;			/* answer the peer's probes */
	struct gka_ends ends;		/* what those probes must look like */
	u64 reflected;
	u64 refused;
	u32 interval_ms;
	u32 retries;
	struct gka_match match;
	struct gka_state state;
	u64 probes_sent;
	u64 probe_errors;
	u64 last_change_ns;		/* CLOCK_REALTIME, 0 = never */
	u64 last_reply_ns;

	struct hrtimer timer;
	struct delayed_work reread_work;
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
	u64 refused;
};

/* tunnel.c: lifetime and configuration, all under RTNL. */
/* A new gre device, with the configuration it gets when first enabled. */
int gka_tunnel_attach(struct net_device *dev, u32 interval_ms, u32 retries,
		      bool reflect);
void gka_tunnel_detach(struct net_device *dev);
void gka_tunnel_detach_all(void);
struct gka_tunnel *gka_tunnel_find(const struct net_device *dev);
int gka_tunnel_set(struct gka_tunnel *kt, u32 interval_ms, u32 retries,
		   const char **why);
int gka_tunnel_store(struct gka_tunnel *kt, u32 interval_ms, u32 retries,
		     const char **why);
void gka_tunnel_disable(struct gka_tunnel *kt);
int gka_tunnel_set_reflect(struct gka_tunnel *kt, bool on, const char **why);
void gka_tunnel_dev_event(struct gka_tunnel *kt, unsigned long event);
void gka_tunnel_info(struct gka_tunnel *kt, struct gka_info *info);
bool gka_is_tunnel_device(const struct net_device *dev);
int gka_tunnel_check(const struct net_device *dev, const char **why);

/*
 * tunnel.c: called by the receive hook in softirq context under RCU. Finds
 * the tunnel in @underlay that a reply from @saddr to @daddr answers, and
 * counts it; false when the packet answers no tunnel of ours.
 */
bool gka_tunnel_deliver_reply(const struct net *underlay, __be32 saddr,
			      __be32 daddr, const struct gka_reply *reply);

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
