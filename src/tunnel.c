// SPDX-License-Identifier: GPL-2.0
/*
 * The per-tunnel keepalive engine: the timer that sends probes, the
 * counter that takes the line protocol down, and the reply that brings it
 * back up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/ip.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/net_namespace.h>
#include <net/route.h>

#include "config.h"
#include "gre_keepalive.h"

#define GKA_HASH_BITS 10

/* Every GRE tunnel device we know of, by device. Writers hold RTNL. */
static DEFINE_HASHTABLE(gka_by_dev, GKA_HASH_BITS);
/* Tunnels with keepalive enabled, by (underlay netns, remote). */
static DEFINE_HASHTABLE(gka_by_peer, GKA_HASH_BITS);

static u32 gka_peer_hash(const struct net *underlay, __be32 remote)
{
	return jhash_1word((__force u32)remote, net_hash_mix(underlay));
}

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
 * "ip6gre". Keepalive runs on gre alone; the peer's probes are reflected
 * on gre and ip6gre, and refused and counted on gretap. A flow-based gre
 * device has type ARPHRD_NONE, yet is one of ours, to be refused.
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

struct gka_tunnel *gka_tunnel_find(const struct net_device *dev)
{
	struct gka_tunnel *kt;

	hash_for_each_possible_rcu(gka_by_dev, kt, dev_node, hash_ptr(dev, 32),
				   lockdep_rtnl_is_held())
		if (kt->dev == dev)
			return kt;
	return NULL;
}

/* Fills @ends (when not NULL) whether or not keepalive can run. */
static int gka_read_tunnel(const struct net_device *dev, struct gka_match *m,
			   struct gka_ends *ends, const char **why)
{
	struct gka_tunnel_facts facts = {
		.kind = dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : NULL,
	};

	if (gka_is_ip6gre(dev)) {
		const struct ip6_tnl *t6 = netdev_priv(dev);

		if (ends)
			gka_reflect_ends6(t6->parms.collect_md,
					  &t6->parms.laddr, &t6->parms.raddr,
					  ends);
		/* Refused by kind: keepalive is IPv4 only. */
		return gka_check_tunnel(&facts, m, why);
	}
	if (gka_is_tunnel_device(dev)) {
		const struct ip_tunnel *t = netdev_priv(dev);

		facts.parms = &t->parms;
		facts.collect_md = t->collect_md;
		facts.has_encap = t->encap.type != TUNNEL_ENCAP_NONE;
	}
	if (ends)
		gka_reflect_ends(&facts, ends);
	return gka_check_tunnel(&facts, m, why);
}

/* Can @dev run keepalive? Any device: names what is wrong with it. */
int gka_tunnel_check(const struct net_device *dev, const char **why)
{
	struct gka_match m;

	return gka_read_tunnel(dev, &m, NULL, why);
}

static void gka_log_down(struct gka_tunnel *kt, u32 unanswered, u32 interval)
{
	pr_info("%s: line protocol down (%u keepalives unanswered, %u ms interval)\n",
		kt->dev->name, unanswered, interval);
}

/*
 * Where the reply must come back to. A "local any" tunnel's source is
 * whatever its route to the peer picks, so ask the same route the tunnel's
 * own transmit path will use.
 */
static __be32 gka_probe_local(struct gka_tunnel *kt, const struct gka_match *m)
{
	const struct ip_tunnel *t = netdev_priv(kt->dev);
	struct flowi4 fl4 = {
		.daddr = m->remote,
		.flowi4_oif = t->parms.link,
		.flowi4_proto = IPPROTO_GRE,
		.flowi4_tos = RT_TOS(t->parms.iph.tos),
		.flowi4_mark = t->fwmark,
		.fl4_gre_key = t->parms.o_key,
	};
	struct rtable *rt;

	if (m->local)
		return m->local;
	rt = ip_route_output_key(kt->underlay, &fl4);
	if (IS_ERR(rt))
		return 0;
	ip_rt_put(rt);
	return fl4.saddr;
}

/*
 * Hand the probe straight to the tunnel's transmit function. With the
 * carrier off the device's qdisc is noop_qdisc, which would drop it
 * (REFERENCE §2); GRE is LLTX, so this is what netpoll does too.
 */
static bool gka_send_probe(struct gka_tunnel *kt, const struct gka_match *m,
			   u32 counter)
{
	struct net_device *dev = kt->dev;
	struct netdev_queue *txq;
	struct sk_buff *skb;
	netdev_tx_t rc;
	__be32 local;
	size_t len;

	local = gka_probe_local(kt, m);
	if (!local) {
		pr_debug("%s: no route to %pI4 for keepalive\n",
			 dev->name, &m->remote);
		return false;
	}

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + dev->needed_headroom +
			GKA_PROBE_MAX_LEN, GFP_ATOMIC);
	if (!skb)
		return false;
	skb_reserve(skb, LL_RESERVED_SPACE(dev) + dev->needed_headroom);
	len = gka_probe_build(skb_put(skb, gka_probe_len(m)),
			      gka_probe_len(m), m, local);
	if (!len) {
		kfree_skb(skb);
		return false;
	}
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb->dev = dev;

	pr_debug("%s: sending keepalive, %pI4->%pI4 (len=%zu ttl=%u), counter=%u\n",
		 dev->name, &local, &m->remote, len, GKA_INNER_TTL, counter);

	txq = netdev_get_tx_queue(dev, 0);
	HARD_TX_LOCK(dev, txq, smp_processor_id());
	rc = netdev_start_xmit(skb, dev, txq, false);
	HARD_TX_UNLOCK(dev, txq);
	if (!dev_xmit_complete(rc)) {
		kfree_skb(skb);
		return false;
	}
	return true;
}

static enum hrtimer_restart gka_timer_fire(struct hrtimer *timer)
{
	struct gka_tunnel *kt = container_of(timer, struct gka_tunnel, timer);
	enum gka_transition tr;
	struct gka_match m;
	u32 interval, counter, unanswered;
	bool sent;

	spin_lock(&kt->lock);
	if (!kt->active) {
		spin_unlock(&kt->lock);
		return HRTIMER_NORESTART;
	}
	unanswered = kt->state.counter;
	tr = gka_state_on_send(&kt->state, kt->retries);
	if (tr == GKA_LINE_DOWN) {
		netif_carrier_off(kt->dev);
		kt->last_change_ns = ktime_get_real_ns();
	}
	m = kt->match;
	interval = kt->interval_ms;
	counter = kt->state.counter;
	spin_unlock(&kt->lock);

	/* Announced before the probe whose reply would bring it back up. */
	if (tr == GKA_LINE_DOWN) {
		gka_log_down(kt, unanswered, interval);
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_TIMEOUT);
	}

	rcu_read_lock_bh();
	sent = gka_send_probe(kt, &m, counter);
	rcu_read_unlock_bh();

	spin_lock(&kt->lock);
	if (sent)
		kt->probes_sent++;
	else
		kt->probe_errors++;
	spin_unlock(&kt->lock);

	hrtimer_forward_now(timer, ms_to_ktime(interval));
	return HRTIMER_RESTART;
}

bool gka_tunnel_deliver_reply(const struct net *underlay, __be32 saddr,
			      __be32 daddr, const struct gka_reply *reply)
{
	u32 hash = gka_peer_hash(underlay, saddr);
	enum gka_transition tr = GKA_STAY;
	struct gka_tunnel *kt;
	bool taken = false;

	hash_for_each_possible_rcu(gka_by_peer, kt, peer_node, hash) {
		if (kt->underlay != underlay)
			continue;
		spin_lock(&kt->lock);
		if (kt->active &&
		    gka_reply_match(&kt->match, reply, saddr, daddr) ==
		    GKA_REPLY_OK) {
			taken = true;
			kt->last_reply_ns = ktime_get_real_ns();
			tr = gka_state_on_reply(&kt->state);
			if (tr == GKA_LINE_UP) {
				netif_carrier_on(kt->dev);
				kt->last_change_ns = kt->last_reply_ns;
			}
		}
		spin_unlock(&kt->lock);
		if (taken)
			break;
	}
	if (!taken)
		return false;

	pr_debug("%s: keepalive reply from %pI4\n", kt->dev->name, &saddr);
	if (tr == GKA_LINE_UP) {
		pr_info("%s: line protocol up (keepalive reply received)\n",
			kt->dev->name);
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_REPLY);
	}
	return true;
}

/*
 * Spread first probes over one interval so that tunnels configured
 * together (a router booting with 10,000 of them) do not probe in lockstep.
 */
static ktime_t gka_first_delay(u32 interval_ms)
{
	u64 ns = (u64)interval_ms * NSEC_PER_MSEC;

	return ns_to_ktime(mul_u64_u32_shr(ns, get_random_u32(), 32));
}

static void gka_start(struct gka_tunnel *kt)
{
	spin_lock_bh(&kt->lock);
	kt->active = true;
	gka_state_restart(&kt->state);
	/* Line protocol up until proven otherwise, as after "no shutdown". */
	if (!netif_carrier_ok(kt->dev)) {
		netif_carrier_on(kt->dev);
		kt->last_change_ns = ktime_get_real_ns();
	}
	spin_unlock_bh(&kt->lock);
	hrtimer_start(&kt->timer, gka_first_delay(kt->interval_ms),
		      HRTIMER_MODE_REL_SOFT);
}

static void gka_stop(struct gka_tunnel *kt)
{
	spin_lock_bh(&kt->lock);
	kt->active = false;
	spin_unlock_bh(&kt->lock);
	/* Waits for a running probe; a re-armed timer is cancelled too. */
	hrtimer_cancel(&kt->timer);
}

static bool gka_should_run(const struct gka_tunnel *kt)
{
	return kt->enabled && kt->usable && netif_running(kt->dev);
}

/* Bring the timer in line with enabled/usable/admin state. RTNL held. */
static void gka_sync(struct gka_tunnel *kt)
{
	bool run = gka_should_run(kt);

	if (kt->active && !run)
		gka_stop(kt);
	if (run && !kt->active)
		gka_start(kt);
}

static void gka_restore_carrier(struct gka_tunnel *kt)
{
	spin_lock_bh(&kt->lock);
	if (!netif_carrier_ok(kt->dev)) {
		netif_carrier_on(kt->dev);
		kt->last_change_ns = ktime_get_real_ns();
		kt->state.line_up = true;
	}
	spin_unlock_bh(&kt->lock);
}

/*
 * Hold a reflection hook in the tunnel's netns while it is up with
 * reflection on: ip_gre delivers nothing on a tunnel that is down, and a
 * tunnel moving to another netns goes down first. RTNL held.
 */
static int gka_reflect_sync(struct gka_tunnel *kt)
{
	bool want = kt->reflect && netif_running(kt->dev);
	struct net *net = dev_net(kt->dev);
	int err;

	if (kt->reflect_net && (!want || kt->reflect_net != net)) {
		gka_reflect_hook_put(kt->reflect_net);
		kt->reflect_net = NULL;
	}
	if (!want || kt->reflect_net)
		return 0;
	err = gka_reflect_hook_get(net);
	if (err)
		return err;
	kt->reflect_net = net;
	return 0;
}

int gka_tunnel_set_reflect(struct gka_tunnel *kt, bool on, const char **why)
{
	int err;

	ASSERT_RTNL();
	if (kt->reflect == on)
		return 0;
	spin_lock_bh(&kt->lock);
	kt->reflect = on;
	spin_unlock_bh(&kt->lock);
	err = gka_reflect_sync(kt);
	if (err) {
		spin_lock_bh(&kt->lock);
		kt->reflect = !on;
		spin_unlock_bh(&kt->lock);
		*why = "cannot register the reflection hook in the tunnel's netns";
		return err;
	}
	pr_info("%s: keepalive reflection %s\n", kt->dev->name,
		on ? "on" : "off");
	gka_nl_notify(kt, GRE_KEEPALIVE_REASON_REFLECT_CHANGED);
	return 0;
}

static void gka_peer_unhash(struct gka_tunnel *kt)
{
	if (!kt->hooked)
		return;
	hash_del_rcu(&kt->peer_node);
	gka_rx_hook_put(kt->underlay);
	kt->hooked = false;
}

static int gka_peer_hash_in(struct gka_tunnel *kt)
{
	int err;

	if (kt->hooked)
		return 0;
	err = gka_rx_hook_get(kt->underlay);
	if (err)
		return err;
	hash_add_rcu(gka_by_peer, &kt->peer_node,
		     gka_peer_hash(kt->underlay, kt->match.remote));
	kt->hooked = true;
	return 0;
}

/*
 * Re-read the tunnel's parameters (created, or changed with "ip tunnel
 * change"). A changed tunnel restarts its counter; one that can no longer
 * run keepalive is suspended, keeping its configuration.
 */
static void gka_reread(struct gka_tunnel *kt)
{
	const char *why = NULL;
	struct gka_match m = {};
	struct gka_ends ends;
	bool usable, changed;

	usable = gka_read_tunnel(kt->dev, &m, &ends, &why) == 0;
	spin_lock_bh(&kt->lock);
	kt->ends = ends;
	spin_unlock_bh(&kt->lock);
	changed = usable != kt->usable || !gka_match_equal(&m, &kt->match);
	if (!changed)
		return;

	if (kt->enabled && kt->usable && !usable)
		pr_info("%s: keepalive suspended: %s\n", kt->dev->name, why);
	else if (kt->enabled && !kt->usable && usable)
		pr_info("%s: keepalive resumed\n", kt->dev->name);

	if (kt->active)
		gka_stop(kt);
	gka_peer_unhash(kt);
	spin_lock_bh(&kt->lock);
	kt->match = m;
	spin_unlock_bh(&kt->lock);
	kt->usable = usable;
	kt->unusable_why = usable ? NULL : why;

	if (kt->enabled && usable && gka_peer_hash_in(kt)) {
		pr_warn("%s: keepalive suspended: cannot register receive hook\n",
			kt->dev->name);
		kt->usable = false;
		kt->unusable_why = "cannot register receive hook";
	}
	if (!kt->active && kt->enabled && !kt->usable)
		gka_restore_carrier(kt);
	gka_sync(kt);
	if (kt->enabled)
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_TUNNEL_CHANGED);
}

int gka_tunnel_set(struct gka_tunnel *kt, u32 interval_ms, u32 retries,
		   const char **why)
{
	struct gka_match m;
	int err;

	ASSERT_RTNL();
	err = gka_check_interval(interval_ms, why);
	if (!err)
		err = gka_check_retries(retries, why);
	if (!err)
		err = gka_read_tunnel(kt->dev, &m, NULL, why);
	if (err)
		return err;

	if (!kt->enabled) {
		spin_lock_bh(&kt->lock);
		kt->match = m;
		kt->interval_ms = interval_ms;
		kt->retries = retries;
		spin_unlock_bh(&kt->lock);
		kt->usable = true;
		err = gka_peer_hash_in(kt);
		if (err) {
			*why = "cannot register the receive hook in the tunnel's netns";
			return err;
		}
		kt->enabled = true;
		pr_info("%s: keepalive %u ms, retries %u\n", kt->dev->name,
			interval_ms, retries);
		gka_sync(kt);
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_ENABLED);
		return 0;
	}

	if (interval_ms == kt->interval_ms && retries == kt->retries)
		return 0;
	spin_lock_bh(&kt->lock);
	kt->retries = retries;
	spin_unlock_bh(&kt->lock);
	if (interval_ms != kt->interval_ms) {
		/* Re-arm on the new interval; counter and line state stay. */
		bool was_active = kt->active;

		if (was_active)
			hrtimer_cancel(&kt->timer);
		spin_lock_bh(&kt->lock);
		kt->interval_ms = interval_ms;
		spin_unlock_bh(&kt->lock);
		if (was_active)
			hrtimer_start(&kt->timer, gka_first_delay(interval_ms),
				      HRTIMER_MODE_REL_SOFT);
	}
	pr_info("%s: keepalive changed to %u ms, retries %u\n", kt->dev->name,
		interval_ms, retries);
	gka_nl_notify(kt, GRE_KEEPALIVE_REASON_CHANGED);
	return 0;
}

int gka_tunnel_store(struct gka_tunnel *kt, u32 interval_ms, u32 retries,
		     const char **why)
{
	int err;

	ASSERT_RTNL();
	if (kt->enabled)
		return gka_tunnel_set(kt, interval_ms, retries, why);

	/* Remembered for when keepalive is enabled. */
	err = gka_check_interval(interval_ms, why);
	if (!err)
		err = gka_check_retries(retries, why);
	if (err)
		return err;
	spin_lock_bh(&kt->lock);
	kt->interval_ms = interval_ms;
	kt->retries = retries;
	spin_unlock_bh(&kt->lock);
	return 0;
}

static void __gka_tunnel_disable(struct gka_tunnel *kt)
{
	kt->enabled = false;
	gka_sync(kt);
	gka_peer_unhash(kt);
	gka_restore_carrier(kt);
}

void gka_tunnel_disable(struct gka_tunnel *kt)
{
	ASSERT_RTNL();
	if (!kt->enabled)
		return;
	__gka_tunnel_disable(kt);
	pr_info("%s: keepalive disabled\n", kt->dev->name);
	gka_nl_notify(kt, GRE_KEEPALIVE_REASON_DISABLED);
}

/*
 * ipgre_changelink() announces NETDEV_CHANGE before it stores the new GRE
 * flags, so a change is read again once RTNL is free. Never blocking on
 * RTNL lets gka_tunnel_free() cancel this synchronously while holding it.
 */
static void gka_reread_work(struct work_struct *work)
{
	struct gka_tunnel *kt = container_of(to_delayed_work(work),
					     struct gka_tunnel, reread_work);

	if (!rtnl_trylock()) {
		schedule_delayed_work(&kt->reread_work, 1);
		return;
	}
	gka_reread(kt);
	rtnl_unlock();
}

void gka_tunnel_dev_event(struct gka_tunnel *kt, unsigned long event)
{
	ASSERT_RTNL();
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
		if (gka_reflect_sync(kt))
			pr_warn("%s: cannot register the reflection hook, peer's keepalives go unanswered\n",
				kt->dev->name);
		/* Admin up restarts from scratch, as "no shutdown" does. */
		gka_sync(kt);
		if (kt->enabled)
			gka_nl_notify(kt, event == NETDEV_UP ?
				      GRE_KEEPALIVE_REASON_ADMIN_UP :
				      GRE_KEEPALIVE_REASON_ADMIN_DOWN);
		break;
	case NETDEV_CHANGE:
		gka_reread(kt);
		schedule_delayed_work(&kt->reread_work, 0);
		break;
	}
}

void gka_tunnel_info(struct gka_tunnel *kt, struct gka_info *info)
{
	spin_lock_bh(&kt->lock);
	info->enabled = kt->enabled;
	info->active = kt->active;
	info->line_up = kt->state.line_up;
	info->interval_ms = kt->interval_ms;
	info->retries = kt->retries;
	info->counter = kt->state.counter;
	info->probes_sent = kt->probes_sent;
	info->probe_errors = kt->probe_errors;
	info->replies = kt->state.replies;
	info->transitions = kt->state.transitions;
	info->last_change_ns = kt->last_change_ns;
	info->last_reply_ns = kt->last_reply_ns;
	info->reflect = kt->reflect;
	info->reflected = kt->reflected;
	info->refused = kt->refused;
	spin_unlock_bh(&kt->lock);
}

int gka_tunnel_attach(struct net_device *dev, u32 interval_ms, u32 retries,
		      bool reflect)
{
	struct gka_tunnel *kt;
	int err;

	ASSERT_RTNL();
	if (gka_tunnel_find(dev))
		return 0;	/* moved between namespaces: keep going */

	kt = kzalloc(sizeof(*kt), GFP_KERNEL);
	if (!kt)
		return -ENOMEM;
	kt->dev = dev;
	kt->underlay = gka_underlay_of(dev);
	kt->interval_ms = interval_ms;
	kt->retries = retries;
	kt->reflect = reflect;
	kt->state.line_up = true;
	spin_lock_init(&kt->lock);
	gka_hrtimer_setup(&kt->timer, gka_timer_fire, CLOCK_MONOTONIC,
			  HRTIMER_MODE_REL_SOFT);
	INIT_DELAYED_WORK(&kt->reread_work, gka_reread_work);
	gka_read_tunnel(dev, &kt->match, &kt->ends, &kt->unusable_why);

	err = gka_sysfs_add(kt);
	if (err) {
		kfree(kt);
		return err;
	}
	netdev_hold(dev, &kt->dev_tracker, GFP_KERNEL);
	hash_add_rcu(gka_by_dev, &kt->dev_node, hash_ptr(dev, 32));
	return 0;
}

static void gka_tunnel_free(struct gka_tunnel *kt)
{
	cancel_delayed_work_sync(&kt->reread_work);
	if (kt->enabled) {
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_TUNNEL_GONE);
		__gka_tunnel_disable(kt);
	}
	spin_lock_bh(&kt->lock);
	kt->reflect = false;
	spin_unlock_bh(&kt->lock);
	gka_reflect_sync(kt);
	gka_sysfs_del(kt);
	hash_del_rcu(&kt->dev_node);
	netdev_put(kt->dev, &kt->dev_tracker);
	/* The receive hook may still be looking at it. */
	kfree_rcu(kt, rcu);
}

void gka_tunnel_detach(struct net_device *dev)
{
	struct gka_tunnel *kt;

	ASSERT_RTNL();
	kt = gka_tunnel_find(dev);
	if (kt)
		gka_tunnel_free(kt);
}

void gka_tunnel_detach_all(void)
{
	struct hlist_node *tmp;
	struct gka_tunnel *kt;
	int bkt;

	ASSERT_RTNL();
	hash_for_each_safe(gka_by_dev, bkt, tmp, kt, dev_node)
		gka_tunnel_free(kt);
}
