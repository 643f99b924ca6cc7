// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of GRE tunnel devices, and what their parameters say.
 */
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/net_namespace.h>

#include "config.h"
#include "tunnel.h"

/* A hub's 10,000 tunnels: a few per bucket. */
#define GKA_HASH_BITS 12

/* Every GRE tunnel device we know of, by device. Writers hold RTNL. */
static DEFINE_HASHTABLE(gka_by_dev, GKA_HASH_BITS);

static bool gka_is_kind(const struct net_device *dev, const char *kind)
{
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, kind);
}

/* ip6gre's private data is a struct ip6_tnl, not a struct ip_tunnel. */
static bool gka_is_ip6gre(const struct net_device *dev)
{
	return gka_is_kind(dev, "ip6gre");
}

/*
 * The "gre" and "gretap" kinds (private data: struct ip_tunnel) and
 * "ip6gre". Keepalive runs on gre and ip6gre, and so does reflection of
 * the peer's probes. A flow-based gre device has type ARPHRD_NONE, yet is
 * one of ours, to be refused.
 */
bool gka_is_tunnel_device(const struct net_device *dev)
{
	return gka_is_kind(dev, "gre") || gka_is_kind(dev, "gretap") ||
	       gka_is_ip6gre(dev);
}

/* The netns the tunnel's encapsulated packets go out and come in. */
static struct net *gka_underlay_of(const struct net_device *dev)
{
	if (gka_is_ip6gre(dev))
		return ((const struct ip6_tnl *)netdev_priv(dev))->net;
	return ((const struct ip_tunnel *)netdev_priv(dev))->net;
}

/*
 * One underlay failure takes every tunnel over it down at once, and one
 * configuration file may enable thousands: the host's log gets the first
 * GKA_LOG_BURST lines of each GKA_LOG_WINDOW, then a single line with how
 * many more there were, once the window is over. The counters and the
 * netlink events have every change.
 */
#define GKA_LOG_BURST	10
#define GKA_LOG_WINDOW	(5 * HZ)

static DEFINE_SPINLOCK(gka_log_lock);
/* jiffies64: 32-bit jiffies wrap, and time_after() errs past 2^31. */
static u64 gka_log_window_start;
static unsigned int gka_log_lines;	/* in this window */
static unsigned int gka_log_missed;	/* not yet reported */

static void gka_log_report(struct work_struct *work)
{
	unsigned int missed;

	spin_lock_bh(&gka_log_lock);
	missed = gka_log_missed;
	gka_log_missed = 0;
	spin_unlock_bh(&gka_log_lock);
	if (missed)
		pr_info("%u more tunnel changes not logged (a burst); counters and netlink events have them all\n",
			missed);
}

static DECLARE_DELAYED_WORK(gka_log_report_work, gka_log_report);

static bool gka_log_allowed(void)
{
	bool allowed, report = false;
	u64 now;

	spin_lock_bh(&gka_log_lock);
	now = get_jiffies_64();
	if (!gka_log_lines ||
	    time_after64(now, gka_log_window_start + GKA_LOG_WINDOW)) {
		gka_log_window_start = now;
		gka_log_lines = 0;
	}
	allowed = gka_log_lines < GKA_LOG_BURST;
	if (allowed)
		gka_log_lines++;
	else
		report = !gka_log_missed++;
	spin_unlock_bh(&gka_log_lock);
	if (report)
		schedule_delayed_work(&gka_log_report_work, GKA_LOG_WINDOW);
	return allowed;
}

void gka_log(const struct gka_tunnel *kt, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (dev_net(kt->dev)->user_ns != &init_user_ns)
		pr_debug("%pV", &vaf);
	else if (gka_log_allowed())
		pr_info("%pV", &vaf);
	va_end(args);
}

void gka_log_flush(void)
{
	flush_delayed_work(&gka_log_report_work);
}

struct gka_tunnel *gka_tunnel_find(const struct net_device *dev)
{
	struct gka_tunnel *kt;

	hash_for_each_possible_rcu(gka_by_dev, kt, dev_node, hash_ptr(dev, 32),
				   lockdep_rtnl_is_held())
		if (kt->dev == dev)
			return kt;
	return NULL;
}

int gka_tunnel_read(const struct net_device *dev, struct gka_match *m,
		    struct gka_ends *ends, const char **why)
{
	struct gka_tunnel_facts facts = {
		.kind = dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : NULL,
	};
	struct ip_tunnel_parm_kern parms;

	if (gka_is_ip6gre(dev)) {
		const struct ip6_tnl *t6 = netdev_priv(dev);
		struct gka_ip6_parms p6 = {
			.laddr = t6->parms.laddr,
			.raddr = t6->parms.raddr,
			.i_key = t6->parms.i_key,
			.link = t6->parms.link,
		};

		if (ends)
			gka_reflect_ends6(t6->parms.collect_md,
					  &t6->parms.laddr, &t6->parms.raddr,
					  ends);
		gka_ip6_tnl_flags_copy(p6.i_flags, t6->parms.i_flags);
		gka_ip6_tnl_flags_copy(p6.o_flags, t6->parms.o_flags);
		facts.parms6 = &p6;
		facts.collect_md = t6->parms.collect_md;
		facts.has_encap = t6->encap.type != TUNNEL_ENCAP_NONE;
		return gka_check_tunnel(&facts, m, why);
	}
	if (gka_is_tunnel_device(dev)) {
		const struct ip_tunnel *t = netdev_priv(dev);

		gka_tunnel_parms(&parms, t);
		facts.parms = &parms;
		facts.collect_md = t->collect_md;
		facts.has_encap = t->encap.type != TUNNEL_ENCAP_NONE;
	}
	if (ends)
		gka_reflect_ends(&facts, ends);
	return gka_check_tunnel(&facts, m, why);
}

/*
 * A cache of our own: a tunnel's state is 368 bytes on x86_64, which
 * kmalloc would round up to 512; a hub has thousands of them.
 */
static struct kmem_cache *gka_tunnel_cache __read_mostly;

int gka_tunnel_module_init(void)
{
	/* Charged to whoever made the device. */
	gka_tunnel_cache = kmem_cache_create("gre_keepalive_tunnel",
					     sizeof(struct gka_tunnel), 0,
					     SLAB_ACCOUNT, NULL);
	return gka_tunnel_cache ? 0 : -ENOMEM;
}

void gka_tunnel_module_exit(void)
{
	/* After rcu_barrier(): every gka_tunnel_free() has run. */
	kmem_cache_destroy(gka_tunnel_cache);
}

struct gka_tunnel *gka_tunnel_alloc(struct net_device *dev)
{
	struct gka_tunnel *kt = kmem_cache_zalloc(gka_tunnel_cache, GFP_KERNEL);

	if (!kt)
		return NULL;
	kt->dev = dev;
	kt->underlay = gka_underlay_of(dev);
	INIT_LIST_HEAD(&kt->reread_node);
	return kt;
}

void gka_tunnel_add(struct gka_tunnel *kt)
{
	ASSERT_RTNL();
	netdev_hold(kt->dev, &kt->dev_tracker, GFP_KERNEL);
	hash_add_rcu(gka_by_dev, &kt->dev_node, hash_ptr(kt->dev, 32));
}

/*
 * Not kfree_rcu(): on 6.1 its batches are not waited for by rcu_barrier(),
 * and the cache is destroyed at unload.
 */
static void gka_tunnel_free(struct rcu_head *rcu)
{
	kmem_cache_free(gka_tunnel_cache,
			container_of(rcu, struct gka_tunnel, rcu));
}

void gka_tunnel_remove(struct gka_tunnel *kt)
{
	ASSERT_RTNL();
	hash_del_rcu(&kt->dev_node);
	netdev_put(kt->dev, &kt->dev_tracker);
	call_rcu(&kt->rcu, gka_tunnel_free);
}

void gka_tunnel_drain(void (*remove)(struct gka_tunnel *))
{
	struct hlist_node *tmp;
	struct gka_tunnel *kt;
	int bkt;

	ASSERT_RTNL();
	hash_for_each_safe(gka_by_dev, bkt, tmp, kt, dev_node)
		remove(kt);
}
