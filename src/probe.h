/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keepalive probe on the wire: building the inner packet and
 * recognising it when the peer reflects it back. No side effects, so that
 * KUnit can check every byte.
 */
#ifndef _GKA_PROBE_H
#define _GKA_PROBE_H

#include <linux/in6.h>
#include <linux/types.h>

/* GRE header bits (RFC 2784/2890) as they sit in the first 16 bits. */
#define GKA_GRE_CSUM		0x8000
#define GKA_GRE_ROUTING		0x4000
#define GKA_GRE_KEY		0x2000
#define GKA_GRE_SEQ		0x1000
#define GKA_GRE_RESERVED0	0x0ff8
#define GKA_GRE_VERSION		0x0007

/* No keepalive, probe or reply, carries any of these. */
#define GKA_GRE_NOT_KEEPALIVE	(GKA_GRE_ROUTING | GKA_GRE_SEQ | \
				 GKA_GRE_RESERVED0 | GKA_GRE_VERSION)

#define GKA_GRE_BASE_LEN	4
#define GKA_INNER_TTL		255

/* 20 bytes IPv4 + 4 GRE + 4 checksum + 4 key. */
#define GKA_PROBE_MAX_LEN	32

/*
 * Longest GRE part (header and payload) of a keepalive, probe or reply,
 * that we look at. Cisco's and MikroTik's are 4 to 12 bytes, OpenBSD's
 * carry 16 more (its uptime, a random number and a digest that only it
 * checks); a little slack admits peers that pad. Anything longer is not
 * a keepalive and is left to the stack.
 */
#define GKA_REPLY_MAX_LEN	64

/*
 * What a tunnel's receive side demands of a packet, and therefore what its
 * probes must carry so that the reflected probe is accepted as a reply.
 */
struct gka_match {
	__be32 local;		/* 0 for "local any" */
	__be32 remote;
	__be32 key;		/* input key, valid when with_key */
	bool with_key;
	bool with_csum;
	int link;		/* underlay device ifindex, 0 for any */
	/* ip6gre: the addresses are these, and the two above stay 0. */
	bool v6;
	struct in6_addr local6;	/* :: for "local any" */
	struct in6_addr remote6;
};

/* Field by field: the struct has padding, so memcmp() would not do. */
bool gka_match_equal(const struct gka_match *a, const struct gka_match *b);

size_t gka_probe_len(const struct gka_match *m);

/*
 * CS6, network control: what routers mark their keepalives with, as they
 * do routing protocols, so that QoS policies protect them under load.
 */
#define GKA_DSCP_DEFAULT	48

/*
 * Build the inner probe (IPv4 src=remote dst=local, GRE protocol type 0)
 * into @buf. @local is the address the reply must come back to: m->local,
 * or for a "local any" tunnel the source the route to the peer picks.
 * The probe carries @dscp (ECN not-ECT) and IP ID @id: it is no atomic
 * datagram (DF clear), so each needs an ID of its own (RFC 6864).
 * Returns the probe's length, or 0 when @buf is too small or @local is 0.
 */
size_t gka_probe_build(void *buf, size_t buflen, const struct gka_match *m,
		       __be32 local, u8 dscp, u16 id);

enum gka_reply_verdict {
	GKA_REPLY_OK,		/* a well-formed keepalive reply */
	GKA_REPLY_OTHER,	/* not protocol type 0: ordinary traffic */
	GKA_REPLY_TRUNCATED,	/* shorter than its own header says */
	GKA_REPLY_MALFORMED,	/* version, routing, sequence or reserved bits */
	GKA_REPLY_BAD_CSUM,	/* C bit set and the checksum is wrong */
	GKA_REPLY_MISMATCH,	/* well formed, but not for this tunnel */
};

struct gka_reply {
	__be32 key;
	bool with_key;
	bool with_csum;
};

/*
 * Parse the GRE part of a received packet: @gre points at the GRE header,
 * @len bytes of header and payload follow. Cheap on ordinary traffic: the
 * protocol type is looked at first.
 */
enum gka_reply_verdict gka_reply_parse(const void *gre, size_t len,
				       struct gka_reply *reply);

/*
 * Is a parsed reply, received with outer addresses @saddr -> @daddr, the
 * reply to a probe of the tunnel described by @m? It must carry exactly
 * the GRE options the probe did.
 */
enum gka_reply_verdict gka_reply_match(const struct gka_match *m,
				       const struct gka_reply *reply,
				       __be32 saddr, __be32 daddr);

/*
 * The peer's probes, as our tunnel decapsulates them: an IPv4 packet from
 * our own address to the peer carrying GRE with protocol type 0. A router
 * forwards it back to the peer; we do the same, but only for packets that
 * cannot be sent anywhere else.
 */

/*
 * The tunnel's own addresses, as far as reflection is concerned: IPv4 for
 * gre, IPv6 for ip6gre; the other family's stay zero.
 */
struct gka_ends {
	__be32 local;		/* 0 for "local any" */
	__be32 remote;		/* 0 when the tunnel has no single peer */
	struct in6_addr local6;	/* :: for "local any" */
	struct in6_addr remote6; /* :: when the tunnel has no single peer */
};

/*
 * Enough of the inner packet to decide: an IPv4 header with options, or
 * an IPv6 header, and a GRE header with all its options.
 */
#define GKA_CLASSIFY_LEN	(60 + 16)

enum gka_reflect_verdict {
	GKA_REFLECT_PASS,	/* not a keepalive: none of our business */
	GKA_REFLECT_OK,		/* a probe for this tunnel: send it back */
	/*
	 * It says it is a keepalive, but not one we may answer for this
	 * tunnel: it goes on through the stack, as without the module.
	 */
	GKA_PASS_TRUNCATED,	/* shorter than its GRE header */
	GKA_PASS_MALFORMED,	/* bad checksum or GRE bits, fragment, payload */
	GKA_PASS_NO_PEER,	/* tunnel has no single peer (NBMA, gretap) */
	GKA_PASS_WRONG_DST,	/* would go somewhere other than the peer */
	GKA_PASS_WRONG_SRC,	/* not from the tunnel's local address */
	GKA_PASS_TTL,		/* a router would let it expire here */
	GKA_PASS_NO_ROUTE,	/* the underlay has no unicast route back */
	/*
	 * Peer variants (gka_reflect_classify_variants()): candidates that
	 * the sender confirms with its address and route checks.
	 */
	GKA_REFLECT_NAT,	/* re-addressed to the tunnel's remote */
	GKA_REFLECT_OVERLAY,	/* forwarded back into the tunnel */
	GKA_PASS_OVERLAY_SRC,	/* not from an address of the tunnel device */
	GKA_PASS_OVERLAY_DST,	/* not routed back into the tunnel */
};

const char *gka_reflect_verdict_name(enum gka_reflect_verdict v);

/* Header length of a GRE header with these flags (host order). */
size_t gka_gre_hlen(u16 flags);

/*
 * The key of the GRE header at @gre (0 if none), as the IPsec flow of a
 * forwarded packet carries it. The header must be complete.
 */
__be32 gka_gre_key(const void *gre);

/*
 * Decide about a packet that came out of a tunnel with addresses @ends.
 * @pkt holds its first @len bytes (at least min(@pkt_len,
 * GKA_CLASSIFY_LEN)), starting at the IPv4 header; @pkt_len is its full
 * length. Ordinary traffic is told apart after two compares.
 */
enum gka_reflect_verdict gka_reflect_classify(const void *pkt, size_t len,
					      size_t pkt_len,
					      const struct gka_ends *ends);

/* The peer variants a tunnel answers, for gka_reflect_classify_variants(). */
#define GKA_VARIANT_NAT		0x1
#define GKA_VARIANT_OVERLAY	0x2

/*
 * gka_reflect_classify(), and with @variants also the probes of peers
 * that address them otherwise; only a well-formed probe whose destination
 * alone the standard rule refuses can be one. GKA_VARIANT_NAT: from our
 * local address (for "local any", a good unicast source) to any unicast
 * destination, a NAT'd peer's private address: GKA_REFLECT_NAT.
 * GKA_VARIANT_OVERLAY: from a good unicast source to a unicast
 * destination: GKA_REFLECT_OVERLAY, which the sender answers only if the
 * source is an address of the tunnel device and the destination is
 * routed back into it. NAT is asked first: a "local any" tunnel's NAT
 * candidate may be an overlay probe, which the sender tells apart.
 */
enum gka_reflect_verdict
gka_reflect_classify_variants(const void *pkt, size_t len, size_t pkt_len,
			      const struct gka_ends *ends,
			      unsigned int variants);

/*
 * The same for IPv6 out of an ip6gre tunnel: the inner GRE header carries
 * protocol type 0, or 0x86DD with nothing behind it (MikroTik's probes
 * over IPv6). Extension headers are not looked through: such a packet is
 * no probe.
 */
enum gka_reflect_verdict gka_reflect_classify6(const void *pkt, size_t len,
					       size_t pkt_len,
					       const struct gka_ends *ends);

/*
 * Keepalive over an ip6gre tunnel, in MikroTik's format (see
 * Documentation/keepalive.md): the inner packet is IPv6 from the peer back
 * to us, with traffic class @dscp << 2, flow label 0, hop limit 255 and
 * next header 47, carrying a GRE header with the options the tunnel's
 * input demands and protocol type 0x86DD, and nothing behind it.
 */

/* 40 bytes IPv6 + 4 GRE + 4 checksum + 4 key. */
#define GKA_PROBE6_MAX_LEN	52

size_t gka_probe6_len(const struct gka_match *m);

/*
 * Build it into @buf (@m->v6). @local is where the reply must come back
 * to, as for IPv4. Returns the probe's length, or 0 when @buf is too small
 * or an address is ::.
 */
size_t gka_probe6_build(void *buf, size_t buflen, const struct gka_match *m,
			const struct in6_addr *local, u8 dscp);

/*
 * The GRE part of a packet received over IPv6: protocol type 0 as over
 * IPv4, or 0x86DD with nothing behind the header (MikroTik's reply; with
 * a payload it is IPv6 in GRE, GKA_REPLY_OTHER).
 */
enum gka_reply_verdict gka_reply_parse6(const void *gre, size_t len,
					struct gka_reply *reply);

/* gka_reply_match() for an ip6gre tunnel's reply, outer @saddr -> @daddr. */
enum gka_reply_verdict gka_reply_match6(const struct gka_match *m,
					const struct gka_reply *reply,
					const struct in6_addr *saddr,
					const struct in6_addr *daddr);

#endif /* _GKA_PROBE_H */
