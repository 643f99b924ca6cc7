// SPDX-License-Identifier: GPL-2.0
/*
 * Catching keepalive replies.
 *
 * A reply is a GRE packet from the peer with protocol type 0 and nothing
 * after its header: 4 bytes, 8 with a key. The GRE demultiplexer drops
 * anything shorter than 12 bytes before ip_gre sees it, so we look at GRE
 * at NF_INET_LOCAL_IN instead, after reassembly and after the filter
 * table: an operator's firewall still decides what reaches us, and so
 * does the IPsec policy, which the stack would apply only after this hook.
 *
 * A reply belongs to the tunnel ip_gre would hand it to, found with
 * ip_gre's own table and lookup (ip_tunnel_lookup(), lock-free, hashed by
 * remote and key): the same choice among tunnels to one peer that differ
 * in key, local address or underlay device, at the same cost as one
 * packet of data. It may be a tunnel without keepalive; then the reply is
 * not ours.
 *
 * The hook exists only in network namespaces that carry the underlay of a
 * tunnel with keepalive enabled, and ordinary traffic leaves it after one
 * protocol compare (or, for GRE, one 4-byte header read).
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>

#include "keepalive.h"
#include "reply.h"
#include "tunnel.h"

/* How many tunnels with this underlay hold the hook. Under RTNL. */
struct gka_reply_net {
	unsigned int users;
	/* ip_gre's pernet id for "gre" devices, set before the hook exists. */
	unsigned int gre_net_id;
};

static unsigned int gka_reply_net_id __read_mostly;

/* Under RCU: our tunnel that ip_gre would give this reply to, if any. */
static struct gka_tunnel *gka_reply_tunnel(struct net *net, __be32 saddr,
					   __be32 daddr, int iif,
					   const struct gka_reply *reply)
{
	const struct gka_reply_net *rn = net_generic(net, gka_reply_net_id);
	struct ip_tunnel_net *itn = net_generic(net, rn->gre_net_id);
	struct ip_tunnel *t;

	t = gka_ip_tunnel_lookup(itn, iif, reply->with_key, saddr, daddr,
				 reply->key);
	return t ? gka_tunnel_find(t->dev) : NULL;
}

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

	kt = gka_reply_tunnel(state->net, saddr, daddr, state->in->ifindex,
			      &reply);
	if (!kt || !gka_keepalive_active(&kt->ka))
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
	if (!gka_keepalive_take_reply(kt, saddr, daddr, &reply))
		return NF_ACCEPT;

	consume_skb(skb);
	return NF_STOLEN;
}

static const struct nf_hook_ops gka_reply_ops = {
	.hook = gka_local_in,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_IN,
	.priority = NF_IP_PRI_FILTER + 1,
};

int gka_reply_hook_hold(struct gka_tunnel *kt)
{
	struct gka_reply_net *rn = net_generic(kt->underlay, gka_reply_net_id);
	int err;

	ASSERT_RTNL();
	if (kt->reply_hooked)
		return 0;
	if (!rn->users) {
		/* Every gre device has it: keepalive runs on gre alone. */
		rn->gre_net_id = ((const struct ip_tunnel *)
				  netdev_priv(kt->dev))->ip_tnl_net_id;
		err = nf_register_net_hook(kt->underlay, &gka_reply_ops);
		if (err)
			return err;
	}
	rn->users++;
	kt->reply_hooked = true;
	return 0;
}

void gka_reply_hook_release(struct gka_tunnel *kt)
{
	struct gka_reply_net *rn = net_generic(kt->underlay, gka_reply_net_id);

	ASSERT_RTNL();
	if (!kt->reply_hooked)
		return;
	kt->reply_hooked = false;
	if (!WARN_ON_ONCE(!rn->users) && !--rn->users)
		nf_unregister_net_hook(kt->underlay, &gka_reply_ops);
}

static void __net_exit gka_reply_net_exit(struct net *net)
{
	struct gka_reply_net *rn = net_generic(net, gka_reply_net_id);

	/*
	 * We are a subsystem, so every tunnel whose underlay this was, in
	 * whatever netns, is gone already.
	 */
	WARN_ON_ONCE(rn->users);
}

static struct pernet_operations gka_reply_net_ops = {
	.exit = gka_reply_net_exit,
	.id = &gka_reply_net_id,
	.size = sizeof(struct gka_reply_net),
};

int gka_reply_module_init(void)
{
	return register_pernet_subsys(&gka_reply_net_ops);
}

void gka_reply_module_exit(void)
{
	unregister_pernet_subsys(&gka_reply_net_ops);
}
