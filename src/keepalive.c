// SPDX-License-Identifier: GPL-2.0
/*
 * The per-tunnel keepalive engine: the timer that sends probes, the
 * counter that takes the line protocol down, and the reply that brings it
 * back up. Why the carrier, and why probes bypass the qdisc:
 * Documentation/design.md.
 */
#include <linux/ip.h>
#include <linux/math64.h>
#include <linux/netdevice.h>
#include <linux/pkt_sched.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <net/addrconf.h>
#include <net/dsfield.h>
#include <net/ip6_route.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "keepalive.h"
#include "notify.h"
#include "tunnel.h"

/* What one probe carries besides the tunnel's match. */
struct gka_probe_marks {
	u8 dscp;
	u16 id;
	u32 counter;		/* for the debug line */
};

/*
 * Where the reply must come back to. A "local any" tunnel's source is
 * whatever its route to the peer picks, so ask the same route the tunnel's
 * own transmit path will use: with "tos inherit" (bit 0 of the tunnel's
 * TOS) that is the probe's own.
 */
static __be32 gka_probe_local(struct gka_tunnel *kt, const struct gka_match *m,
			      u8 dscp)
{
	const struct ip_tunnel *t = netdev_priv(kt->dev);
	u8 tos = READ_ONCE(t->parms.iph.tos);
	struct flowi4 fl4 = {};
	struct rtable *rt;

	if (m->local)
		return m->local;
	if (tos & 1)
		tos = dscp << 2;
	/* ip_tunnel_update() may be changing these under RTNL. */
	flowi4_init_output(&fl4, READ_ONCE(t->parms.link), READ_ONCE(t->fwmark),
			   tos & INET_DSCP_MASK,
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
 * is LLTX, so this is what netpoll does too. The tunnel's encapsulation
 * puts it in the underlay's queues: there, its priority says it is
 * control traffic (pfifo_fast's first band, prio's band 0), as the DSCP
 * says it to the routers on the way.
 */
static bool gka_send_probe(struct gka_tunnel *kt, const struct gka_match *m,
			   const struct gka_probe_marks *marks)
{
	struct net_device *dev = kt->dev;
	struct netdev_queue *txq;
	struct sk_buff *skb;
	netdev_tx_t rc;
	__be32 local;
	size_t len;

	local = gka_probe_local(kt, m, marks->dscp);
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
			      gka_probe_len(m), m, local, marks->dscp,
			      marks->id);
	if (!len) {
		kfree_skb(skb);
		return false;
	}
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = dev;

	pr_debug("%s: sending keepalive, %pI4->%pI4 (len=%zu ttl=%u dscp=%u), counter=%u\n",
		 dev->name, &local, &m->remote, len, GKA_INNER_TTL, marks->dscp,
		 marks->counter);

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

/*
 * What ip6_tnl_xmit_ctl() asks of a tunnel before it sends: a local
 * address that is configured (not tentative) and a remote that is not one
 * of ours. It warns when it refuses; a probe every interval would repeat
 * the warning for as long as the tunnel is misconfigured, so the probe
 * asks first, quietly, and counts an error.
 */
static bool gka_ip6_addrs_ok(const struct ip6_tnl *t, const struct gka_match *m)
{
	u32 flags = READ_ONCE(t->parms.flags);
	struct net_device *ldev = NULL;

	/*
	 * ip6gre sends only what its addresses allow (ip6_tnl_get_cap(): a
	 * link-local end needs a link device): a probe of a tunnel that
	 * carries nothing must not come back and hold its line up.
	 */
	if (!(flags & IP6_TNL_F_CAP_XMIT))
		return false;
	if (m->link)
		ldev = dev_get_by_index_rcu(t->net, m->link);
	if (!ipv6_chk_addr_and_flags(t->net, &m->local6, ldev, false, 0,
				     IFA_F_TENTATIVE))
		return false;
	return flags & IP6_TNL_F_ALLOW_LOCAL_REMOTE ||
	       !ipv6_chk_addr_and_flags(t->net, &m->remote6, ldev, true, 0,
					IFA_F_TENTATIVE);
}

/* Base header, checksum, key and sequence number. */
#define GKA_GRE_MAX_HLEN	16

/*
 * The outer IPv6 header in front of the GRE header, as ip6gre writes it
 * (its ip6_tnl_xmit()): the tunnel's addresses, its flow label or one
 * made from the flow as the host's auto_flowlabels say, and its hop limit
 * (with "hoplimit inherit", the probe's own).
 */
static void gka_push_ip6(struct net *net, struct sk_buff *skb,
			 struct flowi6 *fl6, u8 dsfield, u8 hop_limit)
{
	struct ipv6hdr *ip6;

	skb_push(skb, sizeof(*ip6));
	skb_reset_network_header(skb);
	ip6 = ipv6_hdr(skb);
	ip6_flow_hdr(ip6, dsfield,
		     ip6_make_flowlabel(net, skb, fl6->flowlabel, true, fl6));
	ip6->nexthdr = NEXTHDR_GRE;
	ip6->hop_limit = hop_limit;
	ip6->saddr = fl6->saddr;
	ip6->daddr = fl6->daddr;
}

/*
 * Over ip6gre the probe cannot go to the device: ip6gre's transmit drops
 * an IPv6 packet whose source is the tunnel's remote, and a probe is just
 * that. So it is encapsulated here as ip6gre encapsulates IPv6 on a
 * tunnel with a fixed remote (prepare_ip6gre_xmit_ipv6(), __gre6_xmit(),
 * ip6_tnl_xmit()): the tunnel's flow template, DS field, fwmark, GRE
 * header and hop limit, routed in the underlay with the IPsec output
 * policy, out through the underlay's OUTPUT and POSTROUTING hooks into
 * its queues like the tunnel's own packets. Written out rather than
 * calling ip6_tnl_xmit(): that would make the module depend on
 * ip6_tunnel, whose loading changes every host (an ip6tnl0 device in
 * each netns, receive handlers for IPv6 and IPv4 in IPv6), ip6gre or
 * not. The probe
 * carries no encapsulation limit option (RFC 2473, 4.1.1): it limits how
 * deep tunnels nest, and a probe goes one level down. Sequence numbers,
 * FOU/GUE and flow-based tunnels, the paths this does not rebuild, are
 * refused by gka_check_tunnel().
 */
static bool gka_send_probe6(struct gka_tunnel *kt, const struct gka_match *m,
			    const struct gka_probe_marks *marks)
{
	struct net_device *dev = kt->dev;
	struct ip6_tnl *t = netdev_priv(dev);
	IP_TUNNEL_DECLARE_FLAGS(gre_flags) = { };
	IP_TUNNEL_DECLARE_FLAGS(o_flags);
	u32 tflags = READ_ONCE(t->parms.flags);
	struct net *net = kt->underlay;
	struct dst_entry *dst;
	struct sk_buff *skb;
	struct flowi6 fl6;
	u8 dsfield, hop_limit;

	/* What ip6gre's transmit asks first: addresses fit to send from. */
	if (!gka_ip6_addrs_ok(t, m)) {
		pr_debug("%s: addresses not fit to send keepalive from\n",
			 dev->name);
		return false;
	}

	skb = alloc_skb(MAX_HEADER + sizeof(struct ipv6hdr) + GKA_GRE_MAX_HLEN +
			GKA_PROBE6_MAX_LEN, GFP_ATOMIC);
	if (!skb)
		return false;
	skb_reserve(skb, MAX_HEADER + sizeof(struct ipv6hdr) + GKA_GRE_MAX_HLEN);
	if (!gka_probe6_build(skb_put(skb, gka_probe6_len(m)),
			      gka_probe6_len(m), m, &m->local6, marks->dscp))
		goto drop;
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IPV6);
	skb->priority = TC_PRIO_CONTROL;

	pr_debug("%s: sending keepalive, %pI6c->%pI6c (len=%u hlim=%u dscp=%u), counter=%u\n",
		 dev->name, &m->local6, &m->remote6, skb->len, GKA_INNER_TTL,
		 marks->dscp, marks->counter);

	/* prepare_ip6gre_xmit_ipv6(): the probe's flow label and mark are 0. */
	memcpy(&fl6, &t->fl.u.ip6, sizeof(fl6));
	if (tflags & IP6_TNL_F_USE_ORIG_TCLASS)
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
	else
		dsfield = ip6_tclass(READ_ONCE(t->parms.flowinfo));
	if (!(tflags & IP6_TNL_F_USE_ORIG_FWMARK))
		fl6.flowi6_mark = READ_ONCE(t->parms.fwmark);
	else
		fl6.flowi6_mark = 0;
	fl6.flowi6_uid = sock_net_uid(dev_net(dev), NULL);
	/*
	 * The addresses as the probe has them, copied under the engine's
	 * lock: ip6gre rewrites its own in place, under RTNL alone.
	 */
	fl6.saddr = m->local6;
	fl6.daddr = m->remote6;
	fl6.flowi6_proto = IPPROTO_GRE;
	gka_ip6_tnl_flags_copy(o_flags, t->parms.o_flags);
	__assign_bit(IP_TUNNEL_CSUM_BIT, gre_flags,
		     test_bit(IP_TUNNEL_CSUM_BIT, o_flags));
	__assign_bit(IP_TUNNEL_KEY_BIT, gre_flags,
		     test_bit(IP_TUNNEL_KEY_BIT, o_flags));
	fl6.fl6_gre_key = test_bit(IP_TUNNEL_KEY_BIT, o_flags) ?
			  READ_ONCE(t->parms.o_key) : 0;

	/* ip6_tnl_xmit(): the route, then IPsec; never into the tunnel. */
	fl6.flowlabel = ip6_make_flowinfo(dsfield, fl6.flowlabel);
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		goto drop;
	}
	/* As ip6gre: no SA yet is an error now, not a probe queued for it. */
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		goto drop;
	if (dst->dev == dev) {
		dst_release(dst);
		goto drop;
	}
	skb_dst_set(skb, dst);
	hop_limit = READ_ONCE(t->parms.hop_limit) ?: GKA_INNER_TTL;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) +
			      sizeof(struct ipv6hdr) + GKA_GRE_MAX_HLEN))
		goto drop;
	gka_gre_build_header(skb, gre_flags, htons(ETH_P_IPV6),
			     READ_ONCE(t->parms.o_key));
	gka_push_ip6(net, skb, &fl6, dsfield, hop_limit);
	skb->dev = dst->dev;
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	/* Consumed once handed on; a later drop in the underlay is not ours. */
	ip6_local_out(net, NULL, skb);
	return true;

drop:
	kfree_skb(skb);
	return false;
}

/*
 * The next probe, one interval after this one was due. hrtimer_forward()
 * counts from the hard expiry, which a timer with slack has not reached
 * when it runs early, together with another: it would not move at all,
 * and the probe would go again at once. Counted from the soft expiry
 * instead, the slack is kept and never adds up.
 */
static void gka_forward(struct hrtimer *timer, u32 interval_ms)
{
	ktime_t slack = ktime_sub(hrtimer_get_expires(timer),
				  hrtimer_get_softexpires(timer));

	hrtimer_forward(timer, ktime_add(ktime_get(), slack),
			ms_to_ktime(interval_ms));
}

static enum hrtimer_restart gka_timer_fire(struct hrtimer *timer)
{
	struct gka_keepalive *ka = container_of(timer, struct gka_keepalive,
						timer);
	struct gka_tunnel *kt = container_of(ka, struct gka_tunnel, ka);
	struct gka_probe_marks marks;
	enum gka_transition tr;
	struct gka_match m;
	u32 interval, unanswered;
	bool sent;

	spin_lock(&ka->lock);
	if (!ka->active) {
		spin_unlock(&ka->lock);
		return HRTIMER_NORESTART;
	}
	unanswered = ka->state.counter;
	tr = gka_state_on_send(&ka->state, ka->retries);
	if (tr == GKA_LINE_DOWN) {
		netif_carrier_off(kt->dev);
		ka->last_change_ns = ktime_get_real_ns();
	}
	m = ka->match;
	interval = ka->interval_ms;
	marks.counter = ka->state.counter;
	marks.dscp = ka->dscp;
	marks.id = ka->probe_id++;
	spin_unlock(&ka->lock);

	/* Announced before the probe whose reply would bring it back up. */
	if (tr == GKA_LINE_DOWN) {
		gka_log(kt, "%s: line protocol down (%u keepalives unanswered, %u ms interval)\n",
			kt->dev->name, unanswered, interval);
		gka_notify(kt, GRE_KEEPALIVE_REASON_TIMEOUT);
	}

	rcu_read_lock_bh();
	sent = m.v6 ? gka_send_probe6(kt, &m, &marks) :
		      gka_send_probe(kt, &m, &marks);
	rcu_read_unlock_bh();

	spin_lock(&ka->lock);
	if (sent)
		ka->probes_sent++;
	else
		ka->probe_errors++;
	spin_unlock(&ka->lock);

	gka_forward(timer, interval);
	return HRTIMER_RESTART;
}

void gka_keepalive_init(struct gka_tunnel *kt, u32 interval_ms, u32 retries,
			u8 dscp)
{
	struct gka_keepalive *ka = &kt->ka;

	spin_lock_init(&ka->lock);
	ka->interval_ms = interval_ms;
	ka->retries = retries;
	ka->dscp = dscp;
	/* Not 0 for every tunnel's first probe: IDs count from anywhere. */
	ka->probe_id = get_random_u32();
	ka->state.line_up = true;
	hrtimer_setup(&ka->timer, gka_timer_fire, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
}

/* The outer addresses of a reply, of either family. */
struct gka_reply_from {
	__be32 saddr, daddr;
	const struct in6_addr *saddr6, *daddr6;	/* NULL over IPv4 */
};

static bool gka_take_reply(struct gka_tunnel *kt,
			   const struct gka_reply_from *from,
			   const struct gka_reply *reply)
{
	struct gka_keepalive *ka = &kt->ka;
	enum gka_transition tr = GKA_STAY;
	enum gka_reply_verdict v;
	bool taken = false;

	/* Hooks may run in process context: a queued packet's verdict. */
	spin_lock_bh(&ka->lock);
	/* Stopped or changed since it was chosen: no longer its reply. */
	if (from->saddr6)
		v = gka_reply_match6(&ka->match, reply, from->saddr6,
				     from->daddr6);
	else
		v = gka_reply_match(&ka->match, reply, from->saddr,
				    from->daddr);
	if (ka->active && v == GKA_REPLY_OK) {
		taken = true;
		ka->last_reply_ns = ktime_get_real_ns();
		tr = gka_state_on_reply(&ka->state);
		if (tr == GKA_LINE_UP) {
			netif_carrier_on(kt->dev);
			ka->last_change_ns = ka->last_reply_ns;
		}
	}
	spin_unlock_bh(&ka->lock);
	if (!taken)
		return false;

	if (from->saddr6)
		pr_debug("%s: keepalive reply from %pI6c\n", kt->dev->name,
			 from->saddr6);
	else
		pr_debug("%s: keepalive reply from %pI4\n", kt->dev->name,
			 &from->saddr);
	if (tr == GKA_LINE_UP) {
		gka_log(kt, "%s: line protocol up (keepalive reply received)\n",
			kt->dev->name);
		gka_notify(kt, GRE_KEEPALIVE_REASON_REPLY);
	}
	return true;
}

bool gka_keepalive_take_reply(struct gka_tunnel *kt, __be32 saddr,
			      __be32 daddr, const struct gka_reply *reply)
{
	const struct gka_reply_from from = { .saddr = saddr, .daddr = daddr };

	return gka_take_reply(kt, &from, reply);
}

bool gka_keepalive_take_reply6(struct gka_tunnel *kt,
			       const struct in6_addr *saddr,
			       const struct in6_addr *daddr,
			       const struct gka_reply *reply)
{
	const struct gka_reply_from from = { .saddr6 = saddr, .daddr6 = daddr };

	return gka_take_reply(kt, &from, reply);
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

/*
 * How late a probe may be, so that the timers of many tunnels expire
 * together, one wakeup for several probes: 1% of the interval, at most
 * 4 ms (one tick at Debian's HZ=250). More would send a hub's probes in
 * bursts: 10,000 tunnels at 10 s are 10 probes every 10 ms, and 10 ms of
 * slack made that 34. Slack never adds up
 * (each expiry is the last one plus the interval, not the moment it ran:
 * gka_forward()), so the detection window, interval times retries, grows
 * by one slack at most.
 */
#define GKA_SLACK_MAX_NS	(4 * NSEC_PER_MSEC)

static u64 gka_slack_ns(u32 interval_ms)
{
	return min_t(u64, (u64)interval_ms * (NSEC_PER_MSEC / 100),
		     GKA_SLACK_MAX_NS);
}

static void gka_arm(struct gka_keepalive *ka, u32 interval_ms)
{
	hrtimer_start_range_ns(&ka->timer, gka_first_delay(interval_ms),
			       gka_slack_ns(interval_ms), HRTIMER_MODE_REL_SOFT);
}

static void gka_start(struct gka_tunnel *kt)
{
	struct gka_keepalive *ka = &kt->ka;

	spin_lock_bh(&ka->lock);
	WRITE_ONCE(ka->active, true);
	gka_state_restart(&ka->state);
	/* Line protocol up until proven otherwise, as after "no shutdown". */
	if (!netif_carrier_ok(kt->dev)) {
		netif_carrier_on(kt->dev);
		ka->last_change_ns = ktime_get_real_ns();
	}
	spin_unlock_bh(&ka->lock);
	gka_arm(ka, ka->interval_ms);
}

static void gka_stop(struct gka_tunnel *kt)
{
	spin_lock_bh(&kt->ka.lock);
	WRITE_ONCE(kt->ka.active, false);
	spin_unlock_bh(&kt->ka.lock);
	/* Waits for a running probe; a re-armed timer is cancelled too. */
	hrtimer_cancel(&kt->ka.timer);
}

void gka_keepalive_run(struct gka_tunnel *kt, bool run)
{
	ASSERT_RTNL();
	if (kt->ka.active && !run)
		gka_stop(kt);
	if (run && !kt->ka.active)
		gka_start(kt);
}

void gka_keepalive_set_enabled(struct gka_tunnel *kt, bool on)
{
	spin_lock_bh(&kt->ka.lock);
	kt->ka.enabled = on;
	spin_unlock_bh(&kt->ka.lock);
}

void gka_keepalive_set_timing(struct gka_tunnel *kt, u32 interval_ms,
			      u32 retries)
{
	struct gka_keepalive *ka = &kt->ka;
	bool rearm = ka->active && interval_ms != ka->interval_ms;

	ASSERT_RTNL();
	if (rearm)
		hrtimer_cancel(&ka->timer);
	spin_lock_bh(&ka->lock);
	ka->interval_ms = interval_ms;
	ka->retries = retries;
	spin_unlock_bh(&ka->lock);
	if (rearm)
		gka_arm(ka, interval_ms);
}

void gka_keepalive_set_match(struct gka_tunnel *kt, const struct gka_match *m)
{
	spin_lock_bh(&kt->ka.lock);
	kt->ka.match = *m;
	spin_unlock_bh(&kt->ka.lock);
}

void gka_keepalive_set_dscp(struct gka_tunnel *kt, u8 dscp)
{
	spin_lock_bh(&kt->ka.lock);
	kt->ka.dscp = dscp;
	spin_unlock_bh(&kt->ka.lock);
}

void gka_keepalive_restore_carrier(struct gka_tunnel *kt)
{
	struct gka_keepalive *ka = &kt->ka;

	spin_lock_bh(&ka->lock);
	if (!netif_carrier_ok(kt->dev)) {
		netif_carrier_on(kt->dev);
		ka->last_change_ns = ktime_get_real_ns();
		ka->state.line_up = true;
	}
	spin_unlock_bh(&ka->lock);
}
