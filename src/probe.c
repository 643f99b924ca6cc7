// SPDX-License-Identifier: GPL-2.0
/*
 * The keepalive probe on the wire (Cisco's format; see
 * Documentation/keepalive.md).
 *
 * We send, through our own tunnel, an IPv4 packet addressed from the peer
 * back to us that carries an empty GRE header with protocol type 0. The
 * peer's ordinary decapsulation routes it back to us; what arrives is a GRE
 * packet from the peer whose protocol type is 0.
 *
 * Over ip6gre the same in MikroTik's form: an IPv6 packet from the peer
 * back to us carrying an empty GRE header with protocol type 0x86DD.
 */
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/checksum.h>
#include "compat.h"
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "probe.h"

bool gka_match_equal(const struct gka_match *a, const struct gka_match *b)
{
	return a->local == b->local && a->remote == b->remote &&
	       a->with_key == b->with_key && a->key == b->key &&
	       a->with_csum == b->with_csum && a->link == b->link &&
	       a->v6 == b->v6 && ipv6_addr_equal(&a->local6, &b->local6) &&
	       ipv6_addr_equal(&a->remote6, &b->remote6);
}

size_t gka_probe_len(const struct gka_match *m)
{
	return sizeof(struct iphdr) + GKA_GRE_BASE_LEN +
	       (m->with_csum ? 4 : 0) + (m->with_key ? 4 : 0);
}

/*
 * A probe's GRE header, on zeroed memory: the options the tunnel's receive
 * side demands, in RFC 2890 order (checksum, then key), then the checksum
 * over the @gre_len bytes of the header and what follows.
 */
static void gka_gre_put(u8 *gre, size_t gre_len, const struct gka_match *m,
			u16 proto)
{
	u8 *opt = gre + GKA_GRE_BASE_LEN;
	u16 flags = 0;

	if (m->with_csum) {
		flags |= GKA_GRE_CSUM;
		opt += 4;
	}
	if (m->with_key) {
		flags |= GKA_GRE_KEY;
		put_unaligned(m->key, (__be32 *)opt);
	}
	put_unaligned_be16(flags, gre);
	put_unaligned_be16(proto, gre + 2);
	if (m->with_csum)
		put_unaligned(ip_compute_csum(gre, gre_len),
			      (__sum16 *)(gre + GKA_GRE_BASE_LEN));
}

size_t gka_probe_build(void *buf, size_t buflen, const struct gka_match *m,
		       __be32 local, u8 dscp, u16 id)
{
	size_t len = gka_probe_len(m);
	struct iphdr *iph = buf;

	if (buflen < len || !local || !m->remote)
		return 0;

	memset(buf, 0, len);

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = dscp << 2;
	iph->tot_len = htons(len);
	iph->id = htons(id);
	iph->ttl = GKA_INNER_TTL;
	iph->protocol = IPPROTO_GRE;
	iph->saddr = m->remote;
	iph->daddr = local;

	/* Protocol type 0: that is what marks a keepalive. */
	gka_gre_put((u8 *)(iph + 1), len - sizeof(*iph), m, 0);

	iph->check = ip_fast_csum(iph, iph->ihl);
	return len;
}

/* The flags and options of a reply whose protocol type has been judged. */
static enum gka_reply_verdict gka_reply_parse_opts(const void *gre, size_t len,
						   struct gka_reply *reply)
{
	const u8 *p = gre;
	size_t hlen = GKA_GRE_BASE_LEN;
	u16 flags;

	flags = get_unaligned_be16(p);
	/*
	 * Our probes carry a checksum and a key at most. Sequence numbers,
	 * source routes, the reserved bits or a version (1 is PPTP's
	 * enhanced GRE) make it someone else's packet.
	 */
	if (flags & GKA_GRE_NOT_KEEPALIVE)
		return GKA_REPLY_MALFORMED;

	reply->with_csum = flags & GKA_GRE_CSUM;
	reply->with_key = flags & GKA_GRE_KEY;
	hlen += (reply->with_csum ? 4 : 0) + (reply->with_key ? 4 : 0);
	if (len < hlen)
		return GKA_REPLY_TRUNCATED;

	reply->key = reply->with_key ?
		get_unaligned((const __be32 *)(p + hlen - 4)) : 0;

	/* The checksum covers the GRE header and everything after it. */
	if (reply->with_csum && ip_compute_csum(gre, len) != 0)
		return GKA_REPLY_BAD_CSUM;

	return GKA_REPLY_OK;
}

enum gka_reply_verdict gka_reply_parse(const void *gre, size_t len,
				       struct gka_reply *reply)
{
	if (len < GKA_GRE_BASE_LEN)
		return GKA_REPLY_TRUNCATED;
	if (get_unaligned_be16((const u8 *)gre + 2) != 0)
		return GKA_REPLY_OTHER;
	return gka_reply_parse_opts(gre, len, reply);
}

enum gka_reply_verdict gka_reply_match(const struct gka_match *m,
				       const struct gka_reply *reply,
				       __be32 saddr, __be32 daddr)
{
	if (m->v6 || saddr != m->remote)
		return GKA_REPLY_MISMATCH;
	/* A "local any" tunnel accepts whatever local address it was sent to. */
	if (m->local && daddr != m->local)
		return GKA_REPLY_MISMATCH;
	if (reply->with_key != m->with_key ||
	    (m->with_key && reply->key != m->key))
		return GKA_REPLY_MISMATCH;
	if (reply->with_csum != m->with_csum)
		return GKA_REPLY_MISMATCH;
	return GKA_REPLY_OK;
}

const char *gka_reflect_verdict_name(enum gka_reflect_verdict v)
{
	static const char *const names[] = {
		[GKA_REFLECT_PASS] = "not a keepalive",
		[GKA_REFLECT_OK] = "reflected",
		[GKA_PASS_TRUNCATED] = "truncated",
		[GKA_PASS_MALFORMED] = "malformed",
		[GKA_PASS_NO_PEER] = "tunnel has no single peer",
		[GKA_PASS_WRONG_DST] = "inner destination is not the tunnel's remote",
		[GKA_PASS_WRONG_SRC] = "inner source is not the tunnel's local address",
		[GKA_PASS_TTL] = "TTL expired",
		[GKA_PASS_NO_ROUTE] = "no unicast route back to the peer",
		[GKA_REFLECT_NAT] = "candidate of a NAT'd peer",
		[GKA_REFLECT_OVERLAY] = "candidate addressed in the overlay",
		[GKA_PASS_OVERLAY_SRC] = "inner source is not an address of the tunnel device",
		[GKA_PASS_OVERLAY_DST] = "inner destination is not routed into the tunnel",
	};

	return (unsigned int)v < ARRAY_SIZE(names) ? names[v] : "unknown";
}

__be32 gka_gre_key(const void *gre)
{
	const u8 *p = gre;
	u16 flags = get_unaligned_be16(p);

	if (!(flags & GKA_GRE_KEY))
		return 0;
	return get_unaligned((const __be32 *)(p + GKA_GRE_BASE_LEN +
					      (flags & GKA_GRE_CSUM ? 4 : 0)));
}

size_t gka_gre_hlen(u16 flags)
{
	return GKA_GRE_BASE_LEN + (flags & GKA_GRE_CSUM ? 4 : 0) +
	       (flags & GKA_GRE_KEY ? 4 : 0) + (flags & GKA_GRE_SEQ ? 4 : 0);
}

static bool gka_bad_source(__be32 addr)
{
	return ipv4_is_zeronet(addr) || ipv4_is_loopback(addr) ||
	       ipv4_is_multicast(addr) || ipv4_is_lbcast(addr);
}

enum gka_reflect_verdict gka_reflect_classify(const void *pkt, size_t len,
					      size_t pkt_len,
					      const struct gka_ends *ends)
{
	const struct iphdr *iph = pkt;
	size_t ihl, tot, gre_len, hlen;
	const u8 *gre;
	u16 frag, flags;

	if (len < sizeof(*iph) || iph->protocol != IPPROTO_GRE ||
	    iph->version != 4)
		return GKA_REFLECT_PASS;
	frag = ntohs(iph->frag_off);
	/* A later fragment shows no GRE header: it is the stack's to judge. */
	if (frag & IP_OFFSET)
		return GKA_REFLECT_PASS;
	ihl = iph->ihl * 4;
	tot = ntohs(iph->tot_len);
	if (ihl < sizeof(*iph) || tot < ihl || tot > pkt_len)
		return GKA_REFLECT_PASS;	/* not IPv4 the stack accepts */
	/*
	 * No keepalive carries IPv4 options. With options it is no probe of
	 * ours, and the stack's to judge: it drops malformed ones, and
	 * forwarding would process record-route and timestamps.
	 */
	if (ihl > sizeof(*iph))
		return GKA_REFLECT_PASS;

	/* Too short to say what it carries: a cut-off probe, or garbage. */
	gre_len = tot - ihl;
	if (gre_len < GKA_GRE_BASE_LEN || len < ihl + GKA_GRE_BASE_LEN)
		return GKA_PASS_TRUNCATED;
	gre = (const u8 *)pkt + ihl;
	if (get_unaligned_be16(gre + 2) != 0)
		return GKA_REFLECT_PASS;

	/* From here on the packet claims to be a keepalive. */
	flags = get_unaligned_be16(gre);
	hlen = gka_gre_hlen(flags);
	if (gre_len < hlen)
		return GKA_PASS_TRUNCATED;
	/*
	 * A keepalive is a GRE header with at most a checksum and a key, and
	 * a few bytes behind it at most (OpenBSD's stamp). Version 1 is
	 * PPTP's; a source route, sequence number, reserved bit, fragment or
	 * a longer payload means someone built something else. The IP header
	 * checksum was verified by the stack, but this function trusts
	 * nobody.
	 */
	if (flags & GKA_GRE_NOT_KEEPALIVE || frag & IP_MF ||
	    gre_len > GKA_REPLY_MAX_LEN || ip_fast_csum(iph, iph->ihl))
		return GKA_PASS_MALFORMED;

	if (!ends->remote)
		return GKA_PASS_NO_PEER;
	if (iph->daddr != ends->remote)
		return GKA_PASS_WRONG_DST;
	/* "local any": the route lookup insists that it is one of ours. */
	if (ends->local ? iph->saddr != ends->local : gka_bad_source(iph->saddr))
		return GKA_PASS_WRONG_SRC;
	if (iph->ttl <= 1)
		return GKA_PASS_TTL;
	return GKA_REFLECT_OK;
}

enum gka_reflect_verdict
gka_reflect_classify_variants(const void *pkt, size_t len, size_t pkt_len,
			      const struct gka_ends *ends,
			      unsigned int variants)
{
	enum gka_reflect_verdict v;
	const struct iphdr *iph = pkt;

	v = gka_reflect_classify(pkt, len, pkt_len, ends);
	/*
	 * A well-formed probe of a tunnel with a peer, refused for its
	 * destination, before its source and TTL were looked at; anything
	 * else keeps the standard verdict.
	 */
	if (v != GKA_PASS_WRONG_DST || !variants)
		return v;
	/*
	 * No peer's probe is addressed to a group, a broadcast or a
	 * loopback address. The NAT variant would send even those only to
	 * the peer, but they are someone else's: the stack decides.
	 */
	if (gka_bad_source(iph->daddr))
		return v;
	if (variants & GKA_VARIANT_NAT &&
	    (ends->local ? iph->saddr == ends->local :
			   !gka_bad_source(iph->saddr)))
		v = GKA_REFLECT_NAT;
	else if (variants & GKA_VARIANT_OVERLAY && !gka_bad_source(iph->saddr))
		v = GKA_REFLECT_OVERLAY;
	else
		return GKA_PASS_WRONG_SRC;
	return iph->ttl <= 1 ? GKA_PASS_TTL : v;
}

static bool gka_bad_source6(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	return type == IPV6_ADDR_ANY ||
	       type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MULTICAST |
		       IPV6_ADDR_MAPPED);
}

enum gka_reflect_verdict gka_reflect_classify6(const void *pkt, size_t len,
					       size_t pkt_len,
					       const struct gka_ends *ends)
{
	const struct ipv6hdr *ip6 = pkt;
	size_t tot, gre_len, hlen;
	const u8 *gre;
	u16 flags, proto;

	if (len < sizeof(*ip6) || ip6->version != 6 ||
	    ip6->nexthdr != IPPROTO_GRE)
		return GKA_REFLECT_PASS;
	tot = sizeof(*ip6) + ntohs(ip6->payload_len);
	if (tot > pkt_len)
		return GKA_REFLECT_PASS;	/* not IPv6 the stack accepts */
	gre_len = tot - sizeof(*ip6);
	if (gre_len < GKA_GRE_BASE_LEN || len < sizeof(*ip6) + GKA_GRE_BASE_LEN)
		return GKA_PASS_TRUNCATED;
	gre = (const u8 *)pkt + sizeof(*ip6);
	flags = get_unaligned_be16(gre);
	proto = get_unaligned_be16(gre + 2);
	hlen = gka_gre_hlen(flags);
	/*
	 * IPv6 in GRE with a payload is traffic; an empty one MikroTik's
	 * probe. Type 0 may carry a stamp, as OpenBSD's probes over IPv6 do.
	 */
	if (proto != 0 && (proto != ETH_P_IPV6 || gre_len != hlen))
		return GKA_REFLECT_PASS;

	/* From here on the packet claims to be a keepalive. */
	if (gre_len < hlen)
		return GKA_PASS_TRUNCATED;
	if (flags & GKA_GRE_NOT_KEEPALIVE || gre_len > GKA_REPLY_MAX_LEN)
		return GKA_PASS_MALFORMED;
	if (ipv6_addr_any(&ends->remote6))
		return GKA_PASS_NO_PEER;
	if (!ipv6_addr_equal(&ip6->daddr, &ends->remote6))
		return GKA_PASS_WRONG_DST;
	if (ipv6_addr_any(&ends->local6) ? gka_bad_source6(&ip6->saddr) :
	    !ipv6_addr_equal(&ip6->saddr, &ends->local6))
		return GKA_PASS_WRONG_SRC;
	if (ip6->hop_limit <= 1)
		return GKA_PASS_TTL;
	return GKA_REFLECT_OK;
}

size_t gka_probe6_len(const struct gka_match *m)
{
	return sizeof(struct ipv6hdr) + GKA_GRE_BASE_LEN +
	       (m->with_csum ? 4 : 0) + (m->with_key ? 4 : 0);
}

size_t gka_probe6_build(void *buf, size_t buflen, const struct gka_match *m,
			const struct in6_addr *local, u8 dscp)
{
	size_t len = gka_probe6_len(m);
	struct ipv6hdr *ip6 = buf;

	if (buflen < len || ipv6_addr_any(local) || ipv6_addr_any(&m->remote6))
		return 0;

	memset(buf, 0, len);

	/* Traffic class dscp << 2 (ECN not-ECT), flow label 0. */
	ip6_flow_hdr(ip6, dscp << 2, 0);
	ip6->payload_len = htons(len - sizeof(*ip6));
	ip6->nexthdr = IPPROTO_GRE;
	ip6->hop_limit = GKA_INNER_TTL;
	ip6->saddr = m->remote6;
	ip6->daddr = *local;

	/* MikroTik's mark: IPv6 in GRE, with no IPv6 packet behind it. */
	gka_gre_put((u8 *)(ip6 + 1), len - sizeof(*ip6), m, ETH_P_IPV6);
	return len;
}

enum gka_reply_verdict gka_reply_parse6(const void *gre, size_t len,
					struct gka_reply *reply)
{
	const u8 *p = gre;
	u16 proto;

	if (len < GKA_GRE_BASE_LEN)
		return GKA_REPLY_TRUNCATED;
	proto = get_unaligned_be16(p + 2);
	if (proto == 0)
		return gka_reply_parse_opts(gre, len, reply);
	/* With anything behind the header it is IPv6 in GRE: traffic. */
	if (proto != ETH_P_IPV6 || len > gka_gre_hlen(get_unaligned_be16(p)))
		return GKA_REPLY_OTHER;
	return gka_reply_parse_opts(gre, len, reply);
}

enum gka_reply_verdict gka_reply_match6(const struct gka_match *m,
					const struct gka_reply *reply,
					const struct in6_addr *saddr,
					const struct in6_addr *daddr)
{
	if (!m->v6 || !ipv6_addr_equal(saddr, &m->remote6))
		return GKA_REPLY_MISMATCH;
	if (!ipv6_addr_any(&m->local6) && !ipv6_addr_equal(daddr, &m->local6))
		return GKA_REPLY_MISMATCH;
	if (reply->with_key != m->with_key ||
	    (m->with_key && reply->key != m->key))
		return GKA_REPLY_MISMATCH;
	if (reply->with_csum != m->with_csum)
		return GKA_REPLY_MISMATCH;
	return GKA_REPLY_OK;
}
