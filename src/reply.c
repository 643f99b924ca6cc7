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
 *
 * ip6gre tunnels have a hook of their own, at the IPv6 LOCAL_IN, held
 * alike. ip6gre's lookup is not exported, so they are found in a table of
 * our own, one per underlay netns, that holds the ip6gre tunnels whose
 * keepalive runs, hashed with a secret by remote, local address and key.
 */
#include <linux/hash.h>
#include <linux/ip.h>
#include <linux/mm.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>

#include "keepalive.h"
#include "reply.h"
#include "tunnel.h"

/* How many tunnels with this underlay hold the hooks. Under RTNL. */
struct gka_reply_net {
	unsigned int users;
	/* ip_gre's pernet id for "gre" devices, set before the hook exists. */
	unsigned int gre_net_id;
	unsigned int users6;	/* ip6gre tunnels, for the IPv6 hook */
	/*
	 * Their entries, while users6: each netns a table of its own, so
	 * that whoever makes tunnels in one cannot lengthen the lookups of
	 * another. RCU readers (the hook), RTNL writers.
	 */
	struct hlist_head __rcu *table6;
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

/*
 * An ip6gre tunnel whose keepalive runs, with what ip6gre's lookup tells
 * tunnels apart by. Written once: a tunnel whose parameters change gets a
 * new entry, and readers under RCU see the old one or the new one whole.
 */
struct gka_reply6 {
	struct hlist_node node;
	struct rcu_head rcu;
	struct gka_tunnel *kt;
	struct in6_addr local;
	struct in6_addr remote;
	__be32 key;			/* 0 without one, as ip6gre has it */
	int link;
};

/* A hub's ip6gre tunnels in one underlay, ten a bucket for 10,000. */
#define GKA_REPLY6_BITS	10

/*
 * Over the remote, the local address and the key, with a secret: a
 * sender cannot aim its packets at one bucket. ("local any" cannot run
 * keepalive over ip6gre, so every entry has a local address.)
 */
static u32 gka_reply6_hash(const struct in6_addr *remote,
			   const struct in6_addr *local, __be32 key)
{
	static siphash_key_t gka_reply6_secret __read_mostly;
	struct {
		struct in6_addr remote;
		struct in6_addr local;
		__be32 key;
	} __aligned(SIPHASH_ALIGNMENT) in;

	/*
	 * The padding is hashed too: zeroed, or an initializer may leave it
	 * as the stack had it (gcc 10 did, and replies found no tunnel).
	 */
	memset(&in, 0, sizeof(in));
	in.remote = *remote;
	in.local = *local;
	in.key = key;
	net_get_random_once(&gka_reply6_secret, sizeof(gka_reply6_secret));
	return hash_64(siphash(&in, sizeof(in), &gka_reply6_secret),
		       GKA_REPLY6_BITS);
}

/*
 * Under RCU: our tunnel that ip6gre would give this reply to, if any.
 * ip6gre_tunnel_lookup() takes, among the tunnels that are up, whose
 * remote is the source and whose input key is the packet's (0 without
 * one): first one whose local address is the destination and whose link
 * is the input device; then a "local any" one on that link; then one with
 * that local address on another link; then "local any" on another link.
 * Ours all have a local address, so the first and the third are ours to
 * rank. What we cannot see are ip6gre tunnels without keepalive: one to
 * the same remote with the same key, bound to the input device while
 * ours is not (with our local address or "local any"), would have taken
 * a reply that now counts for ours. Among equals ip6gre takes the first
 * in its bucket, we the first in ours.
 */
static struct gka_tunnel *gka_reply6_tunnel(const struct net *net,
					    const struct in6_addr *saddr,
					    const struct in6_addr *daddr,
					    int iif,
					    const struct gka_reply *reply)
{
	const struct gka_reply_net *rn = net_generic(net, gka_reply_net_id);
	struct hlist_head *table = rcu_dereference(rn->table6);
	struct gka_reply6 *r, *cand = NULL;

	if (!table)
		return NULL;
	hlist_for_each_entry_rcu(r, &table[gka_reply6_hash(saddr, daddr,
							   reply->key)],
				 node) {
		if (r->key != reply->key ||
		    !ipv6_addr_equal(&r->remote, saddr) ||
		    !ipv6_addr_equal(&r->local, daddr) ||
		    !(READ_ONCE(r->kt->dev->flags) & IFF_UP))
			continue;
		if (r->link == iif)
			return r->kt;
		if (!cand)
			cand = r;
	}
	return cand ? cand->kt : NULL;
}

/*
 * The same for IPv6: a reply is GRE right behind the fixed header (no
 * extension headers; at LOCAL_IN they are not yet processed, and no
 * reply carries any), protocol type 0 or 0x86DD.
 */
static unsigned int gka_local_in6(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct in6_addr saddr, daddr;
	u8 buf[GKA_REPLY_MAX_LEN];
	struct gka_reply reply;
	unsigned int off, len;
	struct gka_tunnel *kt;
	const __be16 *hdr;
	__be16 _hdr[2];
	const u8 *gre;

	if (ip6->nexthdr != IPPROTO_GRE)
		return NF_ACCEPT;
	saddr = ip6->saddr;
	daddr = ip6->daddr;

	off = skb_network_offset(skb) + sizeof(*ip6);
	if (skb->len < off + GKA_GRE_BASE_LEN)
		return NF_ACCEPT;
	hdr = skb_header_pointer(skb, off, sizeof(_hdr), _hdr);
	if (likely(!hdr || (hdr[1] && hdr[1] != htons(ETH_P_IPV6))))
		return NF_ACCEPT;

	len = skb->len - off;
	/* IPv6 in GRE with anything behind the header is traffic. */
	if (len > sizeof(buf) ||
	    (hdr[1] && len != gka_gre_hlen(be16_to_cpu(hdr[0]))))
		return NF_ACCEPT;
	gre = skb_header_pointer(skb, off, len, buf);
	if (!gre || gka_reply_parse6(gre, len, &reply) != GKA_REPLY_OK)
		return NF_ACCEPT;	/* ip6gre's as before */

	kt = gka_reply6_tunnel(state->net, &saddr, &daddr, state->in->ifindex,
			       &reply);
	if (!kt || !gka_keepalive_active(&kt->ka))
		return NF_ACCEPT;
	/* As over IPv4: the stack would check the policy after this hook. */
	if (!xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb))
		return NF_ACCEPT;
	if (!gka_keepalive_take_reply6(kt, &saddr, &daddr, &reply))
		return NF_ACCEPT;

	consume_skb(skb);
	return NF_STOLEN;
}

static const struct nf_hook_ops gka_reply6_ops = {
	.hook = gka_local_in6,
	.pf = NFPROTO_IPV6,
	.hooknum = NF_INET_LOCAL_IN,
	.priority = NF_IP6_PRI_FILTER + 1,
};

static bool gka_reply6_current(const struct gka_reply6 *r,
			       const struct gka_match *m)
{
	return ipv6_addr_equal(&r->local, &m->local6) &&
	       ipv6_addr_equal(&r->remote, &m->remote6) &&
	       r->key == m->key && r->link == m->link;
}

/* The netns's last ip6gre tunnel is gone: its hook, then its table. */
static void gka_reply6_put(struct net *net, struct gka_reply_net *rn)
{
	struct hlist_head *table = rtnl_dereference(rn->table6);

	if (WARN_ON_ONCE(!rn->users6) || --rn->users6)
		return;
	nf_unregister_net_hook(net, &gka_reply6_ops);
	RCU_INIT_POINTER(rn->table6, NULL);
	/* A hook still running (unregistering does not wait) may look. */
	synchronize_net();
	kvfree(table);
}

static void gka_reply6_unlink(struct gka_reply6 *r)
{
	hlist_del_rcu(&r->node);
	kfree_rcu(r, rcu);
}

static void gka_reply6_release(struct gka_tunnel *kt)
{
	struct gka_reply_net *rn = net_generic(kt->underlay, gka_reply_net_id);

	gka_reply6_unlink(kt->reply6);
	kt->reply6 = NULL;
	kt->reply_hooked = false;
	gka_reply6_put(kt->underlay, rn);
}

/*
 * An ip6gre tunnel: the IPv6 hook, and an entry in its netns's table that
 * says what its replies look like now. A changed tunnel's entry is
 * replaced, the new one in before the old one out, so that no reply finds
 * neither; one that cannot be replaced is released, so that no stale
 * entry outranks a sibling's.
 */
static int gka_reply6_hold(struct gka_tunnel *kt)
{
	struct gka_reply_net *rn = net_generic(kt->underlay, gka_reply_net_id);
	const struct gka_match *m = &kt->ka.match;
	struct gka_reply6 *r, *old = kt->reply6;
	struct hlist_head *table;
	int err = -ENOMEM;

	if (old && gka_reply6_current(old, m))
		return 0;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		goto fail;
	r->kt = kt;
	r->local = m->local6;
	r->remote = m->remote6;
	r->key = m->key;
	r->link = m->link;

	if (!old && !rn->users6) {
		table = kvcalloc(1 << GKA_REPLY6_BITS, sizeof(*table),
				 GFP_KERNEL_ACCOUNT);
		if (!table)
			goto fail;
		rcu_assign_pointer(rn->table6, table);
		err = nf_register_net_hook(kt->underlay, &gka_reply6_ops);
		if (err) {
			RCU_INIT_POINTER(rn->table6, NULL);
			kvfree(table);	/* no hook ever saw it */
			goto fail;
		}
	}
	if (!old)
		rn->users6++;
	table = rtnl_dereference(rn->table6);
	hlist_add_head_rcu(&r->node,
			   &table[gka_reply6_hash(&r->remote, &r->local, r->key)]);
	if (old)
		gka_reply6_unlink(old);
	kt->reply6 = r;
	kt->reply_hooked = true;
	return 0;

fail:
	kfree(r);
	if (old)
		gka_reply6_release(kt);
	return err;
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
	if (kt->ka.match.v6)
		return gka_reply6_hold(kt);
	if (kt->reply_hooked)
		return 0;
	if (!rn->users) {
		/* Every gre device has it (ip6gre's hold the other hook). */
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
	if (kt->reply6) {
		gka_reply6_release(kt);
		return;
	}
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
	WARN_ON_ONCE(rn->users || rn->users6);
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
