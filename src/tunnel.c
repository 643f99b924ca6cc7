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
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/route.h>

#include "config.h"
#include "gre_keepalive.h"

#define GKA_HASH_BITS 10

/* Every GRE tunnel device we know of, by device. Writers hold RTNL. */
static DEFINE_HASHTABLE(gka_by_dev, GKA_HASH_BITS);
/*
 * Point-to-point gre tunnels, keepalive or not, by (underlay netns,
 * remote): a reply belongs to the tunnel ip_gre would give it to, which
 * may be one without keepalive. Writers hold RTNL.
 */
static DEFINE_HASHTABLE(gka_by_peer, GKA_HASH_BITS);

static u32 gka_peer_key(const struct net *underlay, __be32 remote)
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
	struct ip_tunnel_parm_kern parms;

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

		gka_tunnel_parms(&parms, t);
		facts.parms = &parms;
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
	struct flowi4 fl4 = {};
	struct rtable *rt;

	if (m->local)
		return m->local;
	/* ip_tunnel_update() may be changing these under RTNL. */
	flowi4_init_output(&fl4, READ_ONCE(t->parms.link), READ_ONCE(t->fwmark),
			   READ_ONCE(t->parms.iph.tos) & INET_DSCP_MASK,
			   RT_SCOPE_UNIVERSE, IPPROTO_GRE, 0, m->remote, 0, 0, 0,
			   GLOBAL_ROOT_UID);
	fl4.fl4_gre_key = READ_ONCE(t->parms.o_key);
	rt = ip_route_output_key(kt->underlay, &fl4);
	if (IS_ERR(rt))
		return 0;
	ip_rt_put(rt);
	return fl4.saddr;
}

/*
 * Hand the probe straight to the tunnel's transmit function. With the
 * carrier off the device's qdisc is noop_qdisc, which would drop it; GRE
 * is LLTX, so this is what netpoll does too.
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

struct gka_tunnel *gka_tunnel_reply_owner(const struct net *underlay,
					  __be32 saddr, __be32 daddr, int iif,
					  const struct gka_reply *reply)
{
	u32 key = gka_peer_key(underlay, saddr);
	struct gka_tunnel *kt, *best = NULL;
	unsigned int rank, best_rank = 0;
	bool active, best_active = false;

	hash_for_each_possible_rcu(gka_by_peer, kt, peer_node, key) {
		if (kt->underlay != underlay ||
		    !(READ_ONCE(kt->dev->flags) & IFF_UP))
			continue;
		spin_lock_bh(&kt->lock);
		rank = gka_reply_match(&kt->match, reply, saddr, daddr) ==
		       GKA_REPLY_OK ? gka_reply_rank(&kt->match, iif) : 0;
		active = kt->active;
		spin_unlock_bh(&kt->lock);
		/* Newest first here: ties go to the older, as in ip_gre. */
		if (rank && rank >= best_rank) {
			best = kt;
			best_rank = rank;
			best_active = active;
		}
	}
	return best_active ? best : NULL;
}

bool gka_tunnel_take_reply(struct gka_tunnel *kt, __be32 saddr, __be32 daddr,
			   const struct gka_reply *reply)
{
	enum gka_transition tr = GKA_STAY;
	bool taken = false;

	/* Hooks may run in process context: a queued packet's verdict. */
	spin_lock_bh(&kt->lock);
	/* Stopped or changed since it was chosen: no longer its reply. */
	if (kt->active &&
	    gka_reply_match(&kt->match, reply, saddr, daddr) == GKA_REPLY_OK) {
		taken = true;
		kt->last_reply_ns = ktime_get_real_ns();
		tr = gka_state_on_reply(&kt->state);
		if (tr == GKA_LINE_UP) {
			netif_carrier_on(kt->dev);
			kt->last_change_ns = kt->last_reply_ns;
		}
	}
	spin_unlock_bh(&kt->lock);
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

static bool gka_has_peer(const struct gka_ends *ends)
{
	return ends->remote || !ipv6_addr_any(&ends->remote6);
}

/*
 * Hold a reflection hook in the tunnel's netns while it is up with
 * reflection on and has a single peer to answer: ip_gre delivers nothing
 * on a tunnel that is down, a tunnel moving to another netns goes down
 * first, and what comes out of a gretap, NBMA or flow-based tunnel is
 * other routers' business. RTNL held.
 */
static int gka_reflect_sync(struct gka_tunnel *kt)
{
	struct net *net = dev_net(kt->dev);
	bool want;
	int err;

	want = kt->reflect && netif_running(kt->dev) && gka_has_peer(&kt->ends);
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

static void gka_peer_unhash(struct gka_tunnel *kt)
{
	if (!kt->hashed)
		return;
	hash_del_rcu(&kt->peer_node);
	kt->peer_gp = get_state_synchronize_rcu();
	kt->peer_unhashed = true;
	kt->hashed = false;
}

static void gka_peer_hash_in(struct gka_tunnel *kt)
{
	if (kt->hashed)
		return;
	/*
	 * A reader may still be walking the bucket it was unhashed from;
	 * linked into another before a grace period, it would lead that
	 * reader astray. Only a changed remote gets here, under RTNL: no
	 * need to wait a normal grace period.
	 */
	if (kt->peer_unhashed && !poll_state_synchronize_rcu(kt->peer_gp))
		synchronize_net();
	hash_add_rcu(gka_by_peer, &kt->peer_node,
		     gka_peer_key(kt->underlay, kt->match.remote));
	kt->hashed = true;
}

/* The reply hook in the underlay, while keepalive is enabled and usable. */
static int gka_rx_hold(struct gka_tunnel *kt)
{
	int err;

	if (kt->hooked)
		return 0;
	err = gka_rx_hook_get(kt->underlay);
	if (!err)
		kt->hooked = true;
	return err;
}

static void gka_rx_release(struct gka_tunnel *kt)
{
	if (!kt->hooked)
		return;
	gka_rx_hook_put(kt->underlay);
	kt->hooked = false;
}

static void gka_set_match(struct gka_tunnel *kt, const struct gka_match *m)
{
	spin_lock_bh(&kt->lock);
	kt->match = *m;
	spin_unlock_bh(&kt->lock);
}

/* The addresses reflection checks; safe to read while a change is half done. */
static void gka_update_ends(struct gka_tunnel *kt)
{
	struct gka_match m = {};
	struct gka_ends ends;
	const char *why;

	gka_read_tunnel(kt->dev, &m, &ends, &why);
	spin_lock_bh(&kt->lock);
	kt->ends = ends;
	spin_unlock_bh(&kt->lock);
	if (gka_reflect_sync(kt))
		net_warn_ratelimited("%s: cannot register the reflection hook, peer's keepalives go unanswered\n",
				     kt->dev->name);
}

/*
 * Re-read the tunnel's parameters (created, or changed with "ip tunnel
 * change"). A tunnel whose probes or replies look different now restarts
 * its counter; one that can no longer run keepalive is suspended, keeping
 * its configuration. A change that leaves them as they were (TTL, TOS)
 * changes nothing here.
 */
static void gka_reread(struct gka_tunnel *kt)
{
	const char *why = NULL;
	struct gka_match m = {};
	bool usable, changed;

	gka_update_ends(kt);
	usable = gka_read_tunnel(kt->dev, &m, NULL, &why) == 0;
	changed = usable != kt->usable || !gka_match_equal(&m, &kt->match);
	if (!changed)
		return;

	if (kt->enabled && kt->usable && !usable)
		pr_info("%s: keepalive suspended: %s\n", kt->dev->name, why);
	else if (kt->enabled && !kt->usable && usable)
		pr_info("%s: keepalive resumed\n", kt->dev->name);

	if (kt->active)
		gka_stop(kt);
	if (!usable || m.remote != kt->match.remote)
		gka_peer_unhash(kt);
	gka_set_match(kt, &m);
	kt->usable = usable;
	WRITE_ONCE(kt->unusable_why, usable ? NULL : why);
	if (usable)
		gka_peer_hash_in(kt);

	if (!kt->enabled || !usable) {
		gka_rx_release(kt);
	} else if (gka_rx_hold(kt)) {
		net_warn_ratelimited("%s: keepalive suspended: cannot register receive hook\n",
				     kt->dev->name);
		gka_peer_unhash(kt);
		kt->usable = false;
		WRITE_ONCE(kt->unusable_why, "cannot register receive hook");
	}
	if (!kt->active && kt->enabled && !kt->usable)
		gka_restore_carrier(kt);
	gka_sync(kt);
	if (kt->enabled)
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_TUNNEL_CHANGED);
}

static void gka_set_enabled(struct gka_tunnel *kt, bool on)
{
	spin_lock_bh(&kt->lock);
	kt->enabled = on;
	spin_unlock_bh(&kt->lock);
}

static void gka_set_reflect(struct gka_tunnel *kt, bool on)
{
	spin_lock_bh(&kt->lock);
	kt->reflect = on;
	spin_unlock_bh(&kt->lock);
}

static void __gka_tunnel_disable(struct gka_tunnel *kt)
{
	gka_set_enabled(kt, false);
	gka_sync(kt);
	gka_rx_release(kt);
	gka_restore_carrier(kt);
}

/* Enabling: take the receive hook. Undone by gka_rx_release(). */
static int gka_prepare_enable(struct gka_tunnel *kt, const char **why)
{
	int err;

	/* Read afresh: a change may still be waiting for its re-read. */
	gka_reread(kt);
	if (!kt->usable) {
		*why = kt->unusable_why;
		return -EOPNOTSUPP;
	}
	err = gka_rx_hold(kt);
	if (err)
		*why = "cannot register the receive hook in the tunnel's underlay netns";
	return err;
}

static int gka_permit(const struct gka_caller *who, struct gka_tunnel *kt,
		      const struct gka_privilege *need, const char **why)
{
	bool admin_underlay = true, admin_init = true;

	if (!who)
		return 0;
	if (need->underlay)
		admin_underlay = who->net_admin(who, kt->underlay->user_ns);
	if (need->interval_ms &&
	    need->interval_ms < GKA_UNPRIVILEGED_INTERVAL_MS_MIN)
		admin_init = who->net_admin(who, &init_user_ns);
	return gka_check_privilege(need, admin_underlay, admin_init, why);
}

/* A new interval applies from now: re-arm, counter and line state stay. */
static void gka_set_timing(struct gka_tunnel *kt, u32 interval, u32 retries)
{
	bool rearm = kt->active && interval != kt->interval_ms;

	if (rearm)
		hrtimer_cancel(&kt->timer);
	spin_lock_bh(&kt->lock);
	kt->interval_ms = interval;
	kt->retries = retries;
	spin_unlock_bh(&kt->lock);
	if (rearm)
		hrtimer_start(&kt->timer, gka_first_delay(interval),
			      HRTIMER_MODE_REL_SOFT);
}

int gka_tunnel_apply(struct gka_tunnel *kt, const struct gka_change *c,
		     const struct gka_caller *who, const char **why)
{
	u32 interval = c->set & GKA_SET_INTERVAL ? c->interval_ms :
						  kt->interval_ms;
	u32 retries = c->set & GKA_SET_RETRIES ? c->retries : kt->retries;
	bool enable = c->set & GKA_SET_ENABLED ? c->enabled : kt->enabled;
	bool reflect = c->set & GKA_SET_REFLECT ? c->reflect : kt->reflect;
	bool enabling = enable && !kt->enabled;
	bool timing = interval != kt->interval_ms || retries != kt->retries;
	struct gka_privilege need = {
		.underlay = (reflect && !kt->reflect) ||
			    (enable && (enabling || timing)),
	};
	int err;

	ASSERT_RTNL();
	err = gka_check_interval(interval, why);
	if (!err)
		err = gka_check_retries(retries, why);
	if (err)
		return err;
	if (enable && (enabling || interval != kt->interval_ms))
		need.interval_ms = interval;
	err = gka_permit(who, kt, &need, why);
	if (err)
		return err;

	/* What can fail comes first, and is undone if what follows fails. */
	if (enabling) {
		err = gka_prepare_enable(kt, why);
		if (err)
			return err;
	}
	if (reflect != kt->reflect) {
		gka_set_reflect(kt, reflect);
		err = gka_reflect_sync(kt);
		if (err) {
			gka_set_reflect(kt, !reflect);
			if (enabling)
				gka_rx_release(kt);
			*why = "cannot register the reflection hook in the tunnel's netns";
			return err;
		}
		pr_info("%s: keepalive reflection %s\n", kt->dev->name,
			reflect ? "on" : "off");
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_REFLECT_CHANGED);
	}

	if (timing)
		gka_set_timing(kt, interval, retries);
	if (enabling) {
		gka_set_enabled(kt, true);
		gka_sync(kt);
		pr_info("%s: keepalive %u ms, retries %u\n", kt->dev->name,
			interval, retries);
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_ENABLED);
	} else if (!enable && kt->enabled) {
		__gka_tunnel_disable(kt);
		pr_info("%s: keepalive disabled\n", kt->dev->name);
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_DISABLED);
	} else if (enable && timing) {
		pr_info("%s: keepalive changed to %u ms, retries %u\n",
			kt->dev->name, interval, retries);
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_CHANGED);
	}
	return 0;
}

/*
 * ipgre_changelink() announces NETDEV_CHANGE before it stores the new GRE
 * flags, so a changed tunnel is read again once RTNL is free. The list
 * and the tunnels on it are RTNL's: a tunnel leaves the list before it is
 * freed, so the work never holds a tunnel of its own.
 */
static LIST_HEAD(gka_reread_list);

static void gka_reread_pending(struct work_struct *work)
{
	struct gka_tunnel *kt, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(kt, tmp, &gka_reread_list, reread_node) {
		list_del_init(&kt->reread_node);
		gka_reread(kt);
	}
	rtnl_unlock();
}

static DECLARE_WORK(gka_reread_work, gka_reread_pending);

int gka_tunnel_dev_event(struct gka_tunnel *kt, unsigned long event)
{
	int err = 0;

	ASSERT_RTNL();
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
		err = gka_reflect_sync(kt);
		if (err)
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
		/*
		 * Inside ipgre_changelink() the addresses are new, the GRE
		 * flags not yet: the rest is read once it is done.
		 */
		gka_update_ends(kt);
		if (list_empty(&kt->reread_node))
			list_add_tail(&kt->reread_node, &gka_reread_list);
		schedule_work(&gka_reread_work);
		break;
	}
	return err;
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
	info->passed = kt->passed;
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

	/* Charged to whoever made the device. */
	kt = kzalloc(sizeof(*kt), GFP_KERNEL_ACCOUNT);
	if (!kt)
		return -ENOMEM;
	kt->dev = dev;
	kt->underlay = gka_underlay_of(dev);
	kt->interval_ms = interval_ms;
	kt->retries = retries;
	kt->reflect = reflect;
	kt->state.line_up = true;
	spin_lock_init(&kt->lock);
	INIT_LIST_HEAD(&kt->reread_node);
	hrtimer_setup(&kt->timer, gka_timer_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	kt->usable = !gka_read_tunnel(dev, &kt->match, &kt->ends,
				      &kt->unusable_why);

	err = gka_sysfs_add(kt);
	if (err) {
		kfree(kt);
		return err;
	}
	netdev_hold(dev, &kt->dev_tracker, GFP_KERNEL);
	hash_add_rcu(gka_by_dev, &kt->dev_node, hash_ptr(dev, 32));
	if (kt->usable)
		gka_peer_hash_in(kt);
	return 0;
}

static void gka_tunnel_free(struct gka_tunnel *kt)
{
	list_del_init(&kt->reread_node);
	if (kt->enabled) {
		gka_nl_notify(kt, GRE_KEEPALIVE_REASON_TUNNEL_GONE);
		__gka_tunnel_disable(kt);
	}
	gka_set_reflect(kt, false);
	gka_reflect_sync(kt);
	gka_sysfs_del(kt);
	gka_peer_unhash(kt);
	hash_del_rcu(&kt->dev_node);
	netdev_put(kt->dev, &kt->dev_tracker);
	/* The receive hooks may still be looking at it. */
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

void gka_tunnel_flush(void)
{
	cancel_work_sync(&gka_reread_work);
}
