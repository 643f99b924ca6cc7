// SPDX-License-Identifier: GPL-2.0
/*
 * Answering the peer's keepalives, as every router does by forwarding.
 *
 * The peer's probe comes out of our tunnel addressed from our own address
 * to the peer. A Linux host drops it as a martian unless accept_local,
 * forwarding and rp_filter are all loosened host-wide. We forward it
 * ourselves instead, and only when it can go nowhere but back to the
 * tunnel's peer: the same packet, TTL decremented, routed in the tunnel's
 * underlay netns the way the tunnel's own packets are (link device, VRF,
 * fwmark, IPsec policy), then through the underlay's OUTPUT and
 * POSTROUTING hooks. One packet out per packet in, never larger.
 *
 * Anything else that claims to be a keepalive is not ours to judge: it
 * goes on through the stack untouched, as if the module were not loaded
 * (a tunnel inside this one carries its own keepalives, for one).
 *
 * Two kinds of peers address their probes otherwise; per tunnel, and only
 * when switched on, we answer them too (Documentation/keepalive.md, "Peer
 * variants", says why that is safe): a NAT'd peer's, whose destination
 * is its private address, by sending it to the tunnel's remote instead;
 * an overlay-addressed one, from an address of the tunnel device to one
 * routed back into it, by forwarding it there as a router would. Either
 * way it comes from an address of ours and goes to the tunnel's peer.
 *
 * The probes are caught at NF_INET_PRE_ROUTING (IPv4, and IPv6 for
 * ip6gre) of the tunnel's netns, before routing calls them martians and
 * before conntrack, after the raw table: an operator's raw rules still
 * decide. The hooks exist only in a netns with a tunnel that is up, has
 * reflection on and a single peer; other traffic leaves them after one
 * protocol compare, GRE inside a tunnel after one header read.
 */
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "reflect.h"
#include "tunnel.h"

/* What a router does to a packet it forwards, besides routing it. */
static void gka_reflect_prepare(struct gka_tunnel *kt, struct sk_buff *skb,
				struct net *net, struct dst_entry *dst)
{
	skb_scrub_packet(skb, !net_eq(net, dev_net(kt->dev)));
	/*
	 * A receive timestamp is CLOCK_REALTIME: fq on the underlay would
	 * take it for a departure time decades ahead and drop the packet.
	 */
	skb_clear_tstamp(skb);
	skb_dst_set(skb, dst);
	/*
	 * It leaves from the underlay, maybe in another netns: the tunnel
	 * device must not follow it into the output hooks.
	 */
	skb->dev = dst->dev;
	skb_forward_csum(skb);
}

/*
 * Returns GKA_REFLECT_OK once the packet is on its way (consumed), else
 * why it is not for us to answer; the packet is then as it came. It goes
 * to @daddr, the tunnel's remote: the probe's own destination, or for a
 * NAT'd peer the one its private address stands for.
 */
static enum gka_reflect_verdict gka_reflect_send(struct gka_tunnel *kt,
						 struct sk_buff *skb,
						 __be32 gre_key, __be32 daddr)
{
	const struct ip_tunnel *t = netdev_priv(kt->dev);
	struct iphdr *iph = ip_hdr(skb);
	struct net *net = kt->underlay;
	struct flowi4 fl4 = {};
	struct rtable *rt;

	flowi4_init_output(&fl4, READ_ONCE(t->parms.link), READ_ONCE(t->fwmark),
			   iph->tos & INET_DSCP_MASK, RT_SCOPE_UNIVERSE,
			   IPPROTO_GRE, 0, daddr, iph->saddr, 0, 0,
			   GLOBAL_ROOT_UID);
	fl4.fl4_gre_key = gre_key;
	/*
	 * With a source set, this fails unless the source is one of ours;
	 * with the protocol set, it applies the IPsec output policy.
	 */
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt) == -EINVAL ? GKA_PASS_WRONG_SRC :
						GKA_PASS_NO_ROUTE;
	/* Not to ourselves, not to a broadcast, not back into the tunnel. */
	if (rt->rt_type != RTN_UNICAST || rt->dst.dev == kt->dev ||
	    skb_ensure_writable(skb, ip_hdrlen(skb))) {
		ip_rt_put(rt);
		return GKA_PASS_NO_ROUTE;
	}

	gka_reflect_prepare(kt, skb, net, &rt->dst);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	iph = ip_hdr(skb);	/* skb_ensure_writable() may have moved it */
	if (iph->daddr != daddr) {
		csum_replace4(&iph->check, iph->daddr, daddr);
		iph->daddr = daddr;
	}
	ip_decrease_ttl(iph);

	/* Handed on, like a forwarded packet: later drops are not ours. */
	ip_local_out(net, NULL, skb);
	return GKA_REFLECT_OK;
}

/* Under RCU, as netfilter hooks run. */
static bool gka_dev_has_addr(const struct net_device *dev, __be32 addr)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_local == addr)
			return true;
	return false;
}

/*
 * A probe addressed in the overlay (some SD-WAN appliances): from an
 * address of the tunnel device to one routed through it. A router's
 * forwarding sends it back into the tunnel, to the one peer there is; so
 * do we, in the tunnel device's netns, with the route a locally sent
 * packet from that address would take (the VRF the device is in, the
 * IPsec output policy), through that netns's OUTPUT and POSTROUTING hooks.
 * Same return as gka_reflect_send().
 */
static enum gka_reflect_verdict gka_reflect_overlay(struct gka_tunnel *kt,
						    struct sk_buff *skb,
						    __be32 gre_key)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct net_device *dev = kt->dev;
	struct net *net = dev_net(dev);
	struct flowi4 fl4 = {};
	struct rtable *rt;

	/* Which also makes it a martian to the stack: none of its traffic. */
	if (!gka_dev_has_addr(dev, iph->saddr))
		return GKA_PASS_OVERLAY_SRC;
	flowi4_init_output(&fl4, l3mdev_master_ifindex_rcu(dev), skb->mark,
			   iph->tos & INET_DSCP_MASK, RT_SCOPE_UNIVERSE,
			   IPPROTO_GRE, 0, iph->daddr, iph->saddr, 0, 0,
			   GLOBAL_ROOT_UID);
	fl4.fl4_gre_key = gre_key;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return GKA_PASS_OVERLAY_DST;
	/*
	 * Into this tunnel, to a unicast address, and by a plain route: a
	 * lightweight tunnel encapsulation (MPLS, SRv6, BPF) would take it
	 * somewhere other than the tunnel's peer.
	 */
	if (rt->rt_type != RTN_UNICAST || rt->dst.dev != dev ||
	    rt->dst.lwtstate || skb_ensure_writable(skb, ip_hdrlen(skb))) {
		ip_rt_put(rt);
		return GKA_PASS_OVERLAY_DST;
	}

	gka_reflect_prepare(kt, skb, net, &rt->dst);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	ip_decrease_ttl(ip_hdr(skb));
	ip_local_out(net, NULL, skb);
	return GKA_REFLECT_OK;
}

/* The same for IPv6, out of an ip6gre tunnel. */
static enum gka_reflect_verdict gka_reflect_send6(struct gka_tunnel *kt,
						  struct sk_buff *skb,
						  __be32 gre_key)
{
	const struct ip6_tnl *t = netdev_priv(kt->dev);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct net *net = kt->underlay;
	struct flowi6 fl6 = {};
	struct dst_entry *dst;

	/* IPv6 routing takes any source: insist that it is one of ours. */
	if (!ipv6_chk_addr(net, &ip6->saddr, NULL, 0))
		return GKA_PASS_WRONG_SRC;

	fl6.daddr = ip6->daddr;
	fl6.saddr = ip6->saddr;
	fl6.flowi6_oif = READ_ONCE(t->parms.link);
	fl6.flowi6_proto = IPPROTO_GRE;
	fl6.flowi6_mark = READ_ONCE(t->parms.fwmark);
	fl6.fl6_gre_key = gre_key;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error || dst->dev == kt->dev ||
	    dst->dev->flags & IFF_LOOPBACK) {
		dst_release(dst);
		return GKA_PASS_NO_ROUTE;
	}
	/* ip6_route_output() alone would skip the IPsec output policy. */
	dst = xfrm_lookup_route(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		return GKA_PASS_NO_ROUTE;
	if (skb_ensure_writable(skb, sizeof(*ip6))) {
		dst_release(dst);
		return GKA_PASS_NO_ROUTE;
	}

	gka_reflect_prepare(kt, skb, net, dst);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	ipv6_hdr(skb)->hop_limit--;

	ip6_local_out(net, NULL, skb);
	return GKA_REFLECT_OK;
}

static bool gka_has_peer(const struct gka_ends *ends)
{
	return ends->remote || !ipv6_addr_any(&ends->remote6);
}

static unsigned int gka_reflect(struct gka_tunnel *kt, struct sk_buff *skb,
				u8 pf)
{
	struct gka_reflector *rf = &kt->rf;
	unsigned int len, variants = 0;
	u8 buf[GKA_CLASSIFY_LEN];
	enum gka_reflect_verdict v;
	struct gka_ends ends;
	const void *pkt;
	__be32 key;
	bool on;

	/* Hooks may run in process context: a queued packet's verdict. */
	spin_lock_bh(&rf->lock);
	on = rf->on;
	ends = rf->ends;
	if (rf->nat)
		variants |= GKA_VARIANT_NAT;
	if (rf->overlay)
		variants |= GKA_VARIANT_OVERLAY;
	spin_unlock_bh(&rf->lock);
	/* No single peer (gretap, NBMA): what comes out is transit. */
	if (!on || !gka_has_peer(&ends))
		return NF_ACCEPT;

	len = min_t(unsigned int, skb->len, sizeof(buf));
	pkt = skb_header_pointer(skb, skb_network_offset(skb), len, buf);
	if (!pkt)
		return NF_ACCEPT;
	/* The variants are for gre alone: ip6gre never has them on. */
	if (pf == NFPROTO_IPV6)
		v = gka_reflect_classify6(pkt, len, skb->len, &ends);
	else
		v = gka_reflect_classify_variants(pkt, len, skb->len, &ends,
						  variants);
	if (v == GKA_REFLECT_PASS)
		return NF_ACCEPT;
	/*
	 * An IPv6 probe comes out of ip6gre alone: ends.remote6 says so.
	 * The classifier saw the whole GRE header within @pkt.
	 */
	if (v == GKA_REFLECT_OK && pf == NFPROTO_IPV6) {
		v = gka_reflect_send6(kt, skb, gka_gre_key((const u8 *)pkt +
							   sizeof(struct ipv6hdr)));
	} else if (v == GKA_REFLECT_OK || v == GKA_REFLECT_NAT ||
		   v == GKA_REFLECT_OVERLAY) {
		key = gka_gre_key((const u8 *)pkt +
				  ((const struct iphdr *)pkt)->ihl * 4);
		/*
		 * To a "local any" tunnel every address of ours is a local
		 * one, its own overlay addresses too: a probe from one of
		 * those is overlay-addressed, never a NAT'd peer's.
		 */
		if (v == GKA_REFLECT_NAT && !ends.local &&
		    gka_dev_has_addr(kt->dev, ip_hdr(skb)->saddr))
			v = variants & GKA_VARIANT_OVERLAY ?
				GKA_REFLECT_OVERLAY : GKA_PASS_WRONG_SRC;
		if (v == GKA_REFLECT_OVERLAY)
			v = gka_reflect_overlay(kt, skb, key);
		else if (v != GKA_PASS_WRONG_SRC)
			v = gka_reflect_send(kt, skb, key, ends.remote);
	}

	spin_lock_bh(&rf->lock);
	if (v == GKA_REFLECT_OK)
		rf->reflected++;
	else
		rf->passed++;
	spin_unlock_bh(&rf->lock);

	if (v == GKA_REFLECT_OK)
		return NF_STOLEN;	/* ip_local_out() has it now */
	net_dbg_ratelimited("%s: not reflected, passed on: %s\n",
			    kt->dev->name, gka_reflect_verdict_name(v));
	return NF_ACCEPT;
}

static unsigned int gka_pre_routing(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	const __be16 *proto;
	struct gka_tunnel *kt;
	__be16 _proto;

	if (iph->protocol != IPPROTO_GRE)
		return NF_ACCEPT;
	if (iph->frag_off & htons(IP_OFFSET))
		return NF_ACCEPT;
	/* Too short for a protocol type: the classifier calls it truncated. */
	proto = skb_header_pointer(skb, skb_network_offset(skb) +
				   ip_hdrlen(skb) + 2, sizeof(_proto), &_proto);
	if (likely(proto && *proto))
		return NF_ACCEPT;

	kt = gka_tunnel_find(state->in);
	if (!kt)
		return NF_ACCEPT;	/* not out of a tunnel */
	return gka_reflect(kt, skb, NFPROTO_IPV4);
}

/* MikroTik's probes over IPv6 carry protocol type 0x86DD, and no payload. */
static unsigned int gka_pre_routing6(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const __be16 *proto;
	struct gka_tunnel *kt;
	__be16 _proto;

	if (ip6->nexthdr != IPPROTO_GRE)
		return NF_ACCEPT;
	proto = skb_header_pointer(skb, skb_network_offset(skb) +
				   sizeof(*ip6) + 2, sizeof(_proto), &_proto);
	if (likely(proto && *proto && *proto != htons(ETH_P_IPV6)))
		return NF_ACCEPT;

	kt = gka_tunnel_find(state->in);
	if (!kt)
		return NF_ACCEPT;
	return gka_reflect(kt, skb, NFPROTO_IPV6);
}

static const struct nf_hook_ops gka_reflect_ops[] = {
	{
		.hook = gka_pre_routing,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK - 1,
	},
	{
		.hook = gka_pre_routing6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK - 1,
	},
};

/* How many tunnels of a netns hold the hooks there. Under RTNL. */
struct gka_reflect_net {
	unsigned int users;
};

static unsigned int gka_reflect_net_id __read_mostly;

static int gka_hooks_get(struct net *net)
{
	struct gka_reflect_net *rn = net_generic(net, gka_reflect_net_id);
	int err;

	if (rn->users++)
		return 0;
	err = nf_register_net_hooks(net, gka_reflect_ops,
				    ARRAY_SIZE(gka_reflect_ops));
	if (err)
		rn->users--;
	return err;
}

static void gka_hooks_put(struct net *net)
{
	struct gka_reflect_net *rn = net_generic(net, gka_reflect_net_id);

	if (!WARN_ON_ONCE(!rn->users) && !--rn->users)
		nf_unregister_net_hooks(net, gka_reflect_ops,
					ARRAY_SIZE(gka_reflect_ops));
}

/*
 * Hold the hooks in the tunnel's netns while it is up with reflection on
 * and has a single peer to answer: ip_gre delivers nothing on a tunnel
 * that is down, a tunnel moving to another netns goes down first, and
 * what comes out of a gretap, NBMA or flow-based tunnel is other routers'
 * business.
 */
static int gka_reflect_sync(struct gka_tunnel *kt)
{
	struct gka_reflector *rf = &kt->rf;
	struct net *net = dev_net(kt->dev);
	bool want;
	int err;

	ASSERT_RTNL();
	want = rf->on && netif_running(kt->dev) && gka_has_peer(&rf->ends);
	if (rf->hook_net && (!want || rf->hook_net != net)) {
		gka_hooks_put(rf->hook_net);
		rf->hook_net = NULL;
	}
	if (!want || rf->hook_net)
		return 0;
	err = gka_hooks_get(net);
	if (err)
		return err;
	rf->hook_net = net;
	return 0;
}

void gka_reflect_init(struct gka_tunnel *kt, bool on,
		      const struct gka_ends *ends)
{
	spin_lock_init(&kt->rf.lock);
	kt->rf.on = on;
	kt->rf.ends = *ends;
}

static void gka_reflect_switch(struct gka_tunnel *kt, bool on)
{
	spin_lock_bh(&kt->rf.lock);
	kt->rf.on = on;
	spin_unlock_bh(&kt->rf.lock);
}

int gka_reflect_set(struct gka_tunnel *kt, bool on)
{
	int err;

	gka_reflect_switch(kt, on);
	err = gka_reflect_sync(kt);
	if (err)
		gka_reflect_switch(kt, !on);
	return err;
}

void gka_reflect_set_variants(struct gka_tunnel *kt, bool nat, bool overlay)
{
	ASSERT_RTNL();
	spin_lock_bh(&kt->rf.lock);
	kt->rf.nat = nat;
	kt->rf.overlay = overlay;
	spin_unlock_bh(&kt->rf.lock);
}

/* The addresses are safe to read while ip_gre's change is half done. */
int gka_reflect_update(struct gka_tunnel *kt)
{
	struct gka_match m = {};
	struct gka_ends ends;
	const char *why;

	gka_tunnel_read(kt->dev, &m, &ends, &why);
	spin_lock_bh(&kt->rf.lock);
	kt->rf.ends = ends;
	spin_unlock_bh(&kt->rf.lock);
	return gka_reflect_sync(kt);
}

static void __net_exit gka_reflect_net_exit(struct net *net)
{
	struct gka_reflect_net *rn = net_generic(net, gka_reflect_net_id);

	/* We are a subsystem: every device of this netns is gone already. */
	WARN_ON_ONCE(rn->users);
}

static struct pernet_operations gka_reflect_net_ops = {
	.exit = gka_reflect_net_exit,
	.id = &gka_reflect_net_id,
	.size = sizeof(struct gka_reflect_net),
};

int gka_reflect_module_init(void)
{
	return register_pernet_subsys(&gka_reflect_net_ops);
}

void gka_reflect_module_exit(void)
{
	unregister_pernet_subsys(&gka_reflect_net_ops);
}
