// SPDX-License-Identifier: GPL-2.0
/*
 * Catching keepalive replies, and the peer's probes.
 *
 * A reply is a GRE packet from the peer with protocol type 0 and nothing
 * after its header: 4 bytes, 8 with a key. The GRE demultiplexer drops
 * anything shorter than 12 bytes before ip_gre sees it, so we look at GRE
 * at NF_INET_LOCAL_IN instead, after reassembly and after the filter
 * table: an operator's firewall still decides what reaches us, and so
 * does the IPsec policy, which the stack would apply only after this hook.
 *
 * The hook exists only in network namespaces that carry the underlay of a
 * tunnel with keepalive enabled, and ordinary traffic leaves it after one
 * protocol compare (or, for GRE, one 4-byte header read).
 *
 * The peer's probes come out of our tunnel as packets from our own
 * address, which the stack drops as martians. They are
 * caught at NF_INET_PRE_ROUTING (IPv4, and IPv6 for ip6gre) of the
 * tunnel's netns, before routing calls them martians and before
 * conntrack: after the raw table, so an operator's raw rules still
 * decide. Same costs: one protocol compare for other traffic, one header
 * read for GRE inside a tunnel.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>

#include "gre_keepalive.h"

struct gka_net {
	unsigned int hook_users;	/* under RTNL */
	unsigned int reflect_users;	/* under RTNL */
};

static unsigned int gka_net_id __read_mostly;

static unsigned int gka_local_in(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	u8 buf[GKA_REPLY_MAX_LEN];
	struct gka_reply reply;
	unsigned int off, len;
	struct gka_tunnel *kt;
	const __be16 *proto;
	__be32 saddr, daddr;
	__be16 _proto;
	const u8 *gre;

	if (iph->protocol != IPPROTO_GRE)
		return NF_ACCEPT;
	saddr = iph->saddr;
	daddr = iph->daddr;

	off = skb_network_offset(skb) + ip_hdrlen(skb);
	if (skb->len < off + GKA_GRE_BASE_LEN)
		return NF_ACCEPT;
	proto = skb_header_pointer(skb, off + 2, sizeof(_proto), &_proto);
	if (likely(!proto || *proto))
		return NF_ACCEPT;

	len = skb->len - off;
	if (len > sizeof(buf))
		return NF_ACCEPT;
	gre = skb_header_pointer(skb, off, len, buf);
	if (!gre || gka_reply_parse(gre, len, &reply) != GKA_REPLY_OK)
		return NF_ACCEPT;	/* ip_gre drops it as before */

	kt = gka_tunnel_reply_owner(state->net, saddr, daddr,
				    state->in->ifindex, &reply);
	if (!kt)
		return NF_ACCEPT;
	/*
	 * A reply counts only if the stack would let it in: a clear-text
	 * forgery must not hold up a tunnel that IPsec protects. Refused, it
	 * goes on to the stack's own check (counted there a second time),
	 * which drops it as it would without us. (The check may pull the
	 * header: nothing read before it is looked at again.)
	 */
	if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		return NF_ACCEPT;
	if (!gka_tunnel_take_reply(kt, saddr, daddr, &reply))
		return NF_ACCEPT;

	consume_skb(skb);
	return NF_STOLEN;
}

static const struct nf_hook_ops gka_nf_ops = {
	.hook = gka_local_in,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_IN,
	.priority = NF_IP_PRI_FILTER + 1,
};

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
	return gka_tunnel_reflect(kt, skb, NFPROTO_IPV4);
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
	return gka_tunnel_reflect(kt, skb, NFPROTO_IPV6);
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

/* Hooks are registered in a netns while they have users there. RTNL held. */
static int gka_hooks_get(struct net *net, unsigned int *users,
			 const struct nf_hook_ops *ops, unsigned int n)
{
	int err;

	ASSERT_RTNL();
	if ((*users)++)
		return 0;
	err = nf_register_net_hooks(net, ops, n);
	if (err)
		(*users)--;
	return err;
}

static void gka_hooks_put(struct net *net, unsigned int *users,
			  const struct nf_hook_ops *ops, unsigned int n)
{
	ASSERT_RTNL();
	if (!WARN_ON_ONCE(!*users) && !--*users)
		nf_unregister_net_hooks(net, ops, n);
}

int gka_rx_hook_get(struct net *net)
{
	struct gka_net *gn = net_generic(net, gka_net_id);

	return gka_hooks_get(net, &gn->hook_users, &gka_nf_ops, 1);
}

void gka_rx_hook_put(struct net *net)
{
	struct gka_net *gn = net_generic(net, gka_net_id);

	gka_hooks_put(net, &gn->hook_users, &gka_nf_ops, 1);
}

int gka_reflect_hook_get(struct net *net)
{
	struct gka_net *gn = net_generic(net, gka_net_id);

	return gka_hooks_get(net, &gn->reflect_users, gka_reflect_ops,
			     ARRAY_SIZE(gka_reflect_ops));
}

void gka_reflect_hook_put(struct net *net)
{
	struct gka_net *gn = net_generic(net, gka_net_id);

	gka_hooks_put(net, &gn->reflect_users, gka_reflect_ops,
		      ARRAY_SIZE(gka_reflect_ops));
}

static void __net_exit gka_net_exit(struct net *net)
{
	struct gka_net *gn = net_generic(net, gka_net_id);

	/*
	 * We are a subsystem, so every device of this namespace, and every
	 * tunnel elsewhere whose underlay this was, is gone already.
	 */
	WARN_ON_ONCE(gn->hook_users);
	WARN_ON_ONCE(gn->reflect_users);
}

static struct pernet_operations gka_net_ops = {
	.exit = gka_net_exit,
	.id = &gka_net_id,
	.size = sizeof(struct gka_net),
};

int gka_rx_init(void)
{
	return register_pernet_subsys(&gka_net_ops);
}

void gka_rx_exit(void)
{
	unregister_pernet_subsys(&gka_net_ops);
}
