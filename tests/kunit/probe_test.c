// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the probe builder byte for byte, the reply recogniser, and the
 * classifier that decides which of the peer's probes we reflect.
 */
#include <kunit/test.h>

#include "../../src/probe.c"

#define A_LOCAL		htonl(0xc0000201)	/* 192.0.2.1 */
#define A_REMOTE	htonl(0xc6336402)	/* 198.51.100.2 */
#define A_OTHER		htonl(0xcb007109)	/* 203.0.113.9 */

static const struct gka_match plain = {
	.local = A_LOCAL, .remote = A_REMOTE,
};

static const u8 probe_plain[] = {
	0x45, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x2f, 0xcf, 0x7f, 0xc6, 0x33, 0x64, 0x02,
	0xc0, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00
};

static const u8 probe_key[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x2f, 0xcf, 0x7b, 0xc6, 0x33, 0x64, 0x02,
	0xc0, 0x00, 0x02, 0x01, 0x20, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x64
};

static const u8 probe_csum[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x2f, 0xcf, 0x7b, 0xc6, 0x33, 0x64, 0x02,
	0xc0, 0x00, 0x02, 0x01, 0x80, 0x00, 0x00, 0x00,
	0x7f, 0xff, 0x00, 0x00
};

static const u8 probe_csum_key[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x2f, 0xcf, 0x77, 0xc6, 0x33, 0x64, 0x02,
	0xc0, 0x00, 0x02, 0x01, 0xa0, 0x00, 0x00, 0x00,
	0x5b, 0xf9, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04
};

/* "local any": the reply must come back to the source the route picked. */
static const u8 probe_local_any[] = {
	0x45, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x2f, 0x55, 0x77, 0xc6, 0x33, 0x64, 0x02,
	0xcb, 0x00, 0x71, 0x09, 0x00, 0x00, 0x00, 0x00
};

/*
 * As Cisco IOS marks it (tcpdump's various_gre capture): CS6, an IP ID
 * from a counter (163 there), the tunnel's key 0x28 in the inner header.
 */
static const u8 probe_cs6_key[] = {
	0x45, 0xc0, 0x00, 0x1c, 0x00, 0xa3, 0x00, 0x00,
	0xff, 0x2f, 0xce, 0x18, 0xc6, 0x33, 0x64, 0x02,
	0xc0, 0x00, 0x02, 0x01, 0x20, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x28
};

struct build_case {
	const char *name;
	struct gka_match m;
	__be32 local;
	const u8 *expect;
	size_t len;
	u8 dscp;
	u16 id;
};

static const struct build_case build_cases[] = {
	{ "plain", { A_LOCAL, A_REMOTE }, A_LOCAL,
	  probe_plain, sizeof(probe_plain) },
	{ "key", { A_LOCAL, A_REMOTE, htonl(100), true, false }, A_LOCAL,
	  probe_key, sizeof(probe_key) },
	{ "csum", { A_LOCAL, A_REMOTE, 0, false, true }, A_LOCAL,
	  probe_csum, sizeof(probe_csum) },
	{ "csum+key", { A_LOCAL, A_REMOTE, htonl(0x01020304), true, true },
	  A_LOCAL, probe_csum_key, sizeof(probe_csum_key) },
	{ "local any", { 0, A_REMOTE }, A_OTHER,
	  probe_local_any, sizeof(probe_local_any) },
	{ "CS6, ID and key, as IOS sends it",
	  { A_LOCAL, A_REMOTE, htonl(0x28), true, false }, A_LOCAL,
	  probe_cs6_key, sizeof(probe_cs6_key), GKA_DSCP_DEFAULT, 163 },
};

static void build_case_desc(const struct build_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(build, build_cases, build_case_desc);

static void probe_build_bytes(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	u8 buf[GKA_PROBE_MAX_LEN + 8];
	size_t i;

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_ASSERT_EQ(test, gka_probe_len(&c->m), c->len);
	KUNIT_ASSERT_EQ(test, gka_probe_build(buf, sizeof(buf), &c->m, c->local,
					      c->dscp, c->id),
			c->len);
	for (i = 0; i < c->len; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], c->expect[i], "byte %zu", i);
	/* Nothing written past the probe. */
	KUNIT_EXPECT_EQ(test, buf[c->len], 0xaa);
}

static void probe_build_refuses(struct kunit *test)
{
	struct gka_match no_remote = { .local = A_LOCAL };
	u8 buf[GKA_PROBE_MAX_LEN];

	KUNIT_EXPECT_EQ(test, gka_probe_build(buf, 23, &plain, A_LOCAL, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, gka_probe_build(buf, sizeof(buf), &plain, 0, 0, 0),
			0);
	KUNIT_EXPECT_EQ(test,
			gka_probe_build(buf, sizeof(buf), &no_remote, A_LOCAL,
					0, 0),
			0);
}

/* What the peer sends back is our probe minus nothing: check its GRE part. */
static void reply_roundtrip(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	struct gka_reply r;

	KUNIT_ASSERT_EQ(test,
			gka_reply_parse(c->expect + 20, c->len - 20, &r),
			GKA_REPLY_OK);
	KUNIT_EXPECT_EQ(test, r.with_key, c->m.with_key);
	KUNIT_EXPECT_EQ(test, r.with_csum, c->m.with_csum);
	KUNIT_EXPECT_EQ(test, r.key, c->m.key);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&c->m, &r, A_REMOTE, c->local),
			GKA_REPLY_OK);
}

struct parse_case {
	const char *name;
	u8 gre[16];
	size_t len;
	enum gka_reply_verdict verdict;
};

static const struct parse_case parse_cases[] = {
	{ "ip payload", { 0x00, 0x00, 0x08, 0x00 }, 4, GKA_REPLY_OTHER },
	{ "ipv6 payload", { 0x00, 0x00, 0x86, 0xdd }, 4, GKA_REPLY_OTHER },
	{ "empty", { 0 }, 0, GKA_REPLY_TRUNCATED },
	{ "3 bytes", { 0 }, 3, GKA_REPLY_TRUNCATED },
	{ "key flag, no key", { 0x20, 0x00, 0x00, 0x00 }, 4,
	  GKA_REPLY_TRUNCATED },
	{ "csum flag, no csum", { 0x80, 0x00, 0x00, 0x00, 0x7f }, 5,
	  GKA_REPLY_TRUNCATED },
	{ "sequence number", { 0x10, 0x00, 0x00, 0x00, 0, 0, 0, 1 }, 8,
	  GKA_REPLY_MALFORMED },
	{ "routing", { 0x40, 0x00, 0x00, 0x00, 0, 0, 0, 0 }, 8,
	  GKA_REPLY_MALFORMED },
	{ "version 1", { 0x00, 0x01, 0x00, 0x00 }, 4, GKA_REPLY_MALFORMED },
	{ "version 7", { 0x00, 0x07, 0x00, 0x00 }, 4, GKA_REPLY_MALFORMED },
	{ "strict source route", { 0x08, 0x00, 0x00, 0x00 }, 4,
	  GKA_REPLY_MALFORMED },
	{ "recursion control", { 0x01, 0x00, 0x00, 0x00 }, 4,
	  GKA_REPLY_MALFORMED },
	{ "reserved bit", { 0x00, 0x08, 0x00, 0x00 }, 4, GKA_REPLY_MALFORMED },
	{ "key and reserved bit", { 0x20, 0x80, 0x00, 0x00, 0, 0, 0, 7 }, 8,
	  GKA_REPLY_MALFORMED },
	{ "bad checksum", { 0x80, 0x00, 0x00, 0x00, 0x7f, 0xfe, 0, 0 }, 8,
	  GKA_REPLY_BAD_CSUM },
	{ "padded", { 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 }, 12,
	  GKA_REPLY_OK },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void reply_parse_verdicts(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct gka_reply r;

	KUNIT_EXPECT_EQ(test, gka_reply_parse(c->gre, c->len, &r), c->verdict);
}

static void reply_match_rejects_others(struct kunit *test)
{
	struct gka_match keyed = { A_LOCAL, A_REMOTE, htonl(7), true, false };
	struct gka_match csum = { A_LOCAL, A_REMOTE, 0, false, true };
	struct gka_match any = { 0, A_REMOTE };
	struct gka_reply none = {}, key7 = { htonl(7), true, false };
	struct gka_reply key8 = { htonl(8), true, false };
	struct gka_reply with_csum = { 0, false, true };

	KUNIT_EXPECT_EQ(test, gka_reply_match(&plain, &none, A_REMOTE, A_LOCAL),
			GKA_REPLY_OK);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&plain, &none, A_OTHER, A_LOCAL),
			GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&plain, &none, A_REMOTE, A_OTHER),
			GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&any, &none, A_REMOTE, A_OTHER),
			GKA_REPLY_OK);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&any, &none, A_OTHER, A_OTHER),
			GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&keyed, &key7, A_REMOTE, A_LOCAL),
			GKA_REPLY_OK);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&keyed, &key8, A_REMOTE, A_LOCAL),
			GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&keyed, &none, A_REMOTE, A_LOCAL),
			GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&plain, &key7, A_REMOTE, A_LOCAL),
			GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&csum, &none, A_REMOTE, A_LOCAL),
			GKA_REPLY_MISMATCH);
	/* Our probe had no checksum: a reply with one is someone else's. */
	KUNIT_EXPECT_EQ(test, gka_reply_match(&plain, &with_csum, A_REMOTE,
					      A_LOCAL), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match(&csum, &with_csum, A_REMOTE,
					      A_LOCAL), GKA_REPLY_OK);
}

/* The key a forwarded packet's IPsec flow would carry. */
static void gre_key_for_flow(struct kunit *test)
{
	static const u8 plain_gre[] = { 0x00, 0x00, 0x00, 0x00 };
	static const u8 key_gre[] = { 0x20, 0x00, 0x00, 0x00, 0, 0, 0, 7 };
	static const u8 csum_key_gre[] = { 0xa0, 0x00, 0x00, 0x00, 0xff, 0xff,
					   0, 0, 0, 0, 0, 9 };

	KUNIT_EXPECT_EQ(test, gka_gre_key(plain_gre), 0);
	KUNIT_EXPECT_EQ(test, gka_gre_key(key_gre), htonl(7));
	KUNIT_EXPECT_EQ(test, gka_gre_key(csum_key_gre), htonl(9));
}

/* ip_tunnel_lookup()'s preferences, for tunnels that send the same probe. */
static void match_equal_fields(struct kunit *test)
{
	struct gka_match a = { A_LOCAL, A_REMOTE, htonl(7), true, true };
	struct gka_match b;

	/* Different padding must not matter. */
	memset(&b, 0xff, sizeof(b));
	b.local = a.local;
	b.remote = a.remote;
	b.key = a.key;
	b.with_key = a.with_key;
	b.with_csum = a.with_csum;
	b.link = a.link;
	b.v6 = a.v6;
	b.local6 = a.local6;
	b.remote6 = a.remote6;
	KUNIT_EXPECT_TRUE(test, gka_match_equal(&a, &b));
	b.key = htonl(8);
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
	b.key = a.key;
	b.with_csum = false;
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
	b.with_csum = true;
	b.remote = A_OTHER;
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
	b.remote = a.remote;
	b.link = a.link;
	KUNIT_EXPECT_TRUE(test, gka_match_equal(&a, &b));
	/* Another underlay device: replies arrive elsewhere. */
	b.link = 5;
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
}

/*
 * The reflector's side. probe_plain, Cisco's exact bytes, was built by a
 * router whose tunnel runs A_LOCAL -> A_REMOTE; it comes out of *our*
 * tunnel, which runs A_REMOTE -> A_LOCAL, as a packet from our local
 * address to our remote: the one thing we send back.
 */
static const struct gka_ends ends_p2p = { .local = A_REMOTE, .remote = A_LOCAL };

#define NO_EDIT		{ -1, 0 }

struct byte_edit {
	int off;	/* -1: none */
	u8 val;
};

struct raw_pkt {
	const u8 *bytes;
	size_t len;
};

static const struct raw_pkt plain_raw = { probe_plain, sizeof(probe_plain) };
static const struct raw_pkt key_raw = { probe_key, sizeof(probe_key) };
static const struct raw_pkt csum_key_raw = {
	probe_csum_key, sizeof(probe_csum_key)
};

struct classify_case {
	const char *name;
	const struct raw_pkt *base;
	struct gka_ends ends;
	struct byte_edit edit[2];
	size_t pkt_len;		/* 0: base->len */
	bool keep_csum;		/* leave the IPv4 checksum wrong */
	enum gka_reflect_verdict want;
};

static const struct classify_case classify_cases[] = {
	{ "cisco probe", &plain_raw, ends_p2p, { NO_EDIT, NO_EDIT }, 0, false,
	  GKA_REFLECT_OK },
	{ "probe with key", &key_raw, ends_p2p,
	  { NO_EDIT, NO_EDIT }, 0, false, GKA_REFLECT_OK },
	{ "probe with csum and key", &csum_key_raw,
	  ends_p2p, { NO_EDIT, NO_EDIT }, 0, false, GKA_REFLECT_OK },
	{ "ttl 2", &plain_raw, ends_p2p, { { 8, 2 }, NO_EDIT }, 0, false,
	  GKA_REFLECT_OK },
	{ "local any, other local source", &plain_raw, { 0, A_LOCAL },
	  { { 12, 0xcb }, NO_EDIT }, 0, false, GKA_REFLECT_OK },
	/* Ordinary traffic is not looked at. */
	{ "gre carrying ip", &plain_raw, ends_p2p, { { 22, 0x08 }, NO_EDIT }, 0,
	  false, GKA_REFLECT_PASS },
	{ "udp", &plain_raw, ends_p2p, { { 9, 17 }, NO_EDIT }, 0, false,
	  GKA_REFLECT_PASS },
	{ "not ipv4", &plain_raw, ends_p2p, { { 0, 0x65 }, NO_EDIT }, 0, false,
	  GKA_REFLECT_PASS },
	{ "shorter than ipv4", &plain_raw, ends_p2p, { NO_EDIT, NO_EDIT }, 19, false,
	  GKA_REFLECT_PASS },
	{ "later fragment", &plain_raw, ends_p2p, { { 7, 0x10 }, NO_EDIT }, 0, false,
	  GKA_REFLECT_PASS },
	{ "longer than packet", &plain_raw, ends_p2p, { { 3, 0x19 }, NO_EDIT }, 0,
	  false, GKA_REFLECT_PASS },
	/* Claims to be a keepalive, goes nowhere. */
	{ "third-party destination", &plain_raw, ends_p2p,
	  { { 19, 0x02 }, NO_EDIT }, 0, false, GKA_PASS_WRONG_DST },
	{ "other destination", &plain_raw, ends_p2p,
	  { { 16, 0xc6 }, { 17, 0x33 } }, 0, false, GKA_PASS_WRONG_DST },
	{ "source not ours", &plain_raw, ends_p2p, { { 15, 0x03 }, NO_EDIT }, 0,
	  false, GKA_PASS_WRONG_SRC },
	{ "local any, loopback source", &plain_raw, { 0, A_LOCAL },
	  { { 12, 127 }, NO_EDIT }, 0, false, GKA_PASS_WRONG_SRC },
	{ "local any, multicast source", &plain_raw, { 0, A_LOCAL },
	  { { 12, 0xe0 }, NO_EDIT }, 0, false, GKA_PASS_WRONG_SRC },
	{ "nbma or gretap", &plain_raw, { A_REMOTE, 0 }, { NO_EDIT, NO_EDIT }, 0,
	  false, GKA_PASS_NO_PEER },
	{ "ttl 1", &plain_raw, ends_p2p, { { 8, 1 }, NO_EDIT }, 0, false,
	  GKA_PASS_TTL },
	{ "ttl 0", &plain_raw, ends_p2p, { { 8, 0 }, NO_EDIT }, 0, false,
	  GKA_PASS_TTL },
	{ "2 bytes of gre", &plain_raw, ends_p2p, { { 3, 22 }, NO_EDIT }, 22, false,
	  GKA_PASS_TRUNCATED },
	{ "key flag, no key", &plain_raw, ends_p2p, { { 20, 0x20 }, NO_EDIT }, 0,
	  false, GKA_PASS_TRUNCATED },
	{ "bad ipv4 checksum", &plain_raw, ends_p2p, { { 10, 0x00 }, NO_EDIT }, 0,
	  true, GKA_PASS_MALFORMED },
	{ "first fragment", &plain_raw, ends_p2p, { { 6, 0x20 }, NO_EDIT }, 0,
	  false, GKA_PASS_MALFORMED },
	{ "gre version 1", &plain_raw, ends_p2p, { { 21, 0x01 }, NO_EDIT }, 0,
	  false, GKA_PASS_MALFORMED },
	{ "gre routing", &key_raw, ends_p2p,
	  { { 20, 0x40 }, NO_EDIT }, 0, false, GKA_PASS_MALFORMED },
	{ "61 bytes of payload", &plain_raw, ends_p2p,
	  { { 3, 24 + 61 }, NO_EDIT }, 24 + 61, false, GKA_PASS_MALFORMED },
	{ "60 bytes of payload", &plain_raw, ends_p2p,
	  { { 3, 24 + 60 }, NO_EDIT }, 24 + 60, false, GKA_REFLECT_OK },
	{ "OpenBSD's 16-byte stamp", &plain_raw, ends_p2p,
	  { { 3, 24 + 16 }, NO_EDIT }, 24 + 16, false, GKA_REFLECT_OK },
	{ "4 bytes of payload", &plain_raw, ends_p2p, { { 3, 28 }, NO_EDIT },
	  28, false, GKA_REFLECT_OK },
	{ "gre sequence number", &plain_raw, ends_p2p,
	  { { 20, 0x10 }, { 3, 28 } }, 28, false, GKA_PASS_MALFORMED },
	{ "gre reserved bit", &plain_raw, ends_p2p, { { 21, 0x08 }, NO_EDIT }, 0,
	  false, GKA_PASS_MALFORMED },
};

static void classify_case_desc(const struct classify_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(classify, classify_cases, classify_case_desc);

static void reflect_classify_verdicts(struct kunit *test)
{
	const struct classify_case *c = test->param_value;
	size_t pkt_len = c->pkt_len ?: c->base->len;
	struct iphdr *iph;
	u8 pkt[128] = {};
	unsigned int i;

	memcpy(pkt, c->base->bytes, c->base->len);
	for (i = 0; i < ARRAY_SIZE(c->edit); i++)
		if (c->edit[i].off >= 0)
			pkt[c->edit[i].off] = c->edit[i].val;
	iph = (struct iphdr *)pkt;
	if (!c->keep_csum) {
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}
	KUNIT_EXPECT_EQ_MSG(test, gka_reflect_classify(pkt, pkt_len, pkt_len,
						       &c->ends),
			    c->want, "want %s",
			    gka_reflect_verdict_name(c->want));
	/*
	 * With no variant on, nothing changes; with any, only a probe refused
	 * for its destination alone may be one (reflect_classify_variants).
	 */
	for (i = 0; i <= GKA_VARIANT_NAT + GKA_VARIANT_OVERLAY; i++)
		if (!i || c->want != GKA_PASS_WRONG_DST)
			KUNIT_EXPECT_EQ_MSG(test,
					    gka_reflect_classify_variants(pkt, pkt_len,
									  pkt_len,
									  &c->ends, i),
					    c->want, "variants %u", i);
}

/*
 * No keepalive has IPv4 options: a probe with them (even four NOPs) is the
 * stack's, untouched and not counted.
 */
static void reflect_classify_options(struct kunit *test)
{
	u8 pkt[sizeof(probe_plain) + 4];
	struct iphdr *iph = (struct iphdr *)pkt;

	memcpy(pkt, probe_plain, 20);
	pkt[20] = 0x01;	/* four NOPs */
	pkt[21] = 0x01;
	pkt[22] = 0x01;
	pkt[23] = 0x01;
	memcpy(pkt + 24, probe_plain + 20, 4);
	iph->ihl = 6;
	iph->tot_len = htons(sizeof(pkt));
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
	KUNIT_EXPECT_EQ(test, gka_reflect_classify(pkt, sizeof(pkt), sizeof(pkt),
						   &ends_p2p),
			GKA_REFLECT_PASS);
	/* Even too short for its GRE header: not counted either. */
	iph->tot_len = htons(sizeof(pkt) - 2);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
	KUNIT_EXPECT_EQ(test, gka_reflect_classify(pkt, sizeof(pkt) - 2,
						   sizeof(pkt) - 2, &ends_p2p),
			GKA_REFLECT_PASS);
}

/* Our own probes, as the peer's module sees them: every one reflected. */
static void reflect_classify_own_probes(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	struct gka_ends peer = { .local = c->m.remote, .remote = c->local };

	KUNIT_EXPECT_EQ(test, gka_reflect_classify(c->expect, c->len, c->len,
						   &peer),
			GKA_REFLECT_OK);
	KUNIT_EXPECT_EQ(test,
			gka_reflect_classify_variants(c->expect, c->len, c->len,
						      &peer, GKA_VARIANT_NAT |
						      GKA_VARIANT_OVERLAY),
			GKA_REFLECT_OK);
}

/*
 * The peer variants. probe_plain comes out of our tunnel A_REMOTE ->
 * A_LOCAL; a NAT'd peer puts its private address where A_LOCAL is, an
 * SD-WAN appliance the tunnel's inner addresses in both places.
 */
#define V_OVL_SRC	htonl(0xcb007101)	/* 203.0.113.1: ours, inside */
#define V_OVL_DST	htonl(0xcb007102)	/* 203.0.113.2: the peer's */
#define V_PRIVATE	htonl(0x0a090909)	/* 10.9.9.9 */

enum { V_P2P, V_LOCAL_ANY, V_NO_PEER };

struct variant_case {
	const char *name;
	int ends;		/* V_P2P, V_LOCAL_ANY or V_NO_PEER */
	__be32 saddr;		/* 0: probe_plain's */
	__be32 daddr;		/* 0: probe_plain's */
	u8 ttl;			/* 0: probe_plain's (255) */
	struct byte_edit edit;
	bool bad_csum;
	/* Indexed by the variants on: none, NAT, overlay, both. */
	enum gka_reflect_verdict want[4];
};

#define V_ALL(v)	{ [0 ... 3] = (v) }

static const struct variant_case variant_cases[] = {
	{ "standard probe", V_P2P, 0, 0, 0, NO_EDIT, false,
	  V_ALL(GKA_REFLECT_OK) },
	{ "nat: private destination", V_P2P, 0, V_PRIVATE, 0, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_REFLECT_NAT, GKA_REFLECT_OVERLAY,
	    GKA_REFLECT_NAT } },
	{ "nat: local any", V_LOCAL_ANY, A_OTHER, V_PRIVATE, 0, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_REFLECT_NAT, GKA_REFLECT_OVERLAY,
	    GKA_REFLECT_NAT } },
	{ "nat: ttl 2", V_P2P, 0, V_PRIVATE, 2, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_REFLECT_NAT, GKA_REFLECT_OVERLAY,
	    GKA_REFLECT_NAT } },
	{ "nat: ttl 1", V_P2P, 0, V_PRIVATE, 1, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_PASS_TTL, GKA_PASS_TTL, GKA_PASS_TTL } },
	{ "nat: source not ours", V_P2P, A_OTHER, V_PRIVATE, 0, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_REFLECT_OVERLAY,
	    GKA_REFLECT_OVERLAY } },
	{ "overlay addresses", V_P2P, V_OVL_SRC, V_OVL_DST, 0, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_REFLECT_OVERLAY,
	    GKA_REFLECT_OVERLAY } },
	{ "overlay, local any", V_LOCAL_ANY, V_OVL_SRC, V_OVL_DST, 0, NO_EDIT,
	  false, { GKA_PASS_WRONG_DST, GKA_REFLECT_NAT, GKA_REFLECT_OVERLAY,
		   GKA_REFLECT_NAT } },
	{ "overlay, ttl 1", V_P2P, V_OVL_SRC, V_OVL_DST, 1, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_PASS_TTL,
	    GKA_PASS_TTL } },
	{ "overlay, ttl 0", V_P2P, V_OVL_SRC, V_OVL_DST, 0, { 8, 0 }, false,
	  { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_PASS_TTL,
	    GKA_PASS_TTL } },
	/* No peer's probe goes to a group, a broadcast or a loopback. */
	{ "multicast destination", V_P2P, 0, htonl(0xe0000005), 0, NO_EDIT,
	  false, V_ALL(GKA_PASS_WRONG_DST) },
	{ "overlay source, multicast destination", V_P2P, V_OVL_SRC,
	  htonl(0xe0000005), 0, NO_EDIT, false, V_ALL(GKA_PASS_WRONG_DST) },
	{ "broadcast destination", V_P2P, V_OVL_SRC, htonl(0xffffffff), 0,
	  NO_EDIT, false, V_ALL(GKA_PASS_WRONG_DST) },
	{ "loopback destination", V_P2P, 0, htonl(0x7f000001), 0, NO_EDIT,
	  false, V_ALL(GKA_PASS_WRONG_DST) },
	{ "destination 0.0.0.0", V_P2P, V_OVL_SRC, htonl(1), 0, { 19, 0 },
	  false, V_ALL(GKA_PASS_WRONG_DST) },
	/* No variant takes a source that cannot be anyone's. */
	{ "multicast source", V_P2P, htonl(0xe0000005), V_PRIVATE, 0, NO_EDIT,
	  false, { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_PASS_WRONG_SRC,
		   GKA_PASS_WRONG_SRC } },
	{ "local any, loopback source", V_LOCAL_ANY, htonl(0x7f000001),
	  V_PRIVATE, 0, NO_EDIT, false,
	  { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_PASS_WRONG_SRC,
	    GKA_PASS_WRONG_SRC } },
	{ "broadcast source", V_P2P, htonl(0xffffffff), V_OVL_DST, 0, NO_EDIT,
	  false, { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_PASS_WRONG_SRC,
		   GKA_PASS_WRONG_SRC } },
	/* What the standard rule refuses otherwise stays refused. */
	{ "to the remote, source not ours", V_P2P, A_OTHER, 0, 0, NO_EDIT,
	  false, V_ALL(GKA_PASS_WRONG_SRC) },
	{ "to the remote, ttl 1", V_P2P, 0, 0, 1, NO_EDIT, false,
	  V_ALL(GKA_PASS_TTL) },
	{ "nat: no peer", V_NO_PEER, 0, V_PRIVATE, 0, NO_EDIT, false,
	  V_ALL(GKA_PASS_NO_PEER) },
	{ "nat: bad ipv4 checksum", V_P2P, 0, V_PRIVATE, 0, NO_EDIT, true,
	  V_ALL(GKA_PASS_MALFORMED) },
	{ "overlay: gre version 1", V_P2P, V_OVL_SRC, V_OVL_DST, 0,
	  { 21, 0x01 }, false, V_ALL(GKA_PASS_MALFORMED) },
	{ "overlay: key flag, no key", V_P2P, V_OVL_SRC, V_OVL_DST, 0,
	  { 20, 0x20 }, false, V_ALL(GKA_PASS_TRUNCATED) },
	/*
	 * A tunnel inside ours: its traffic is not looked at. Its peer's
	 * replies, from the peer's inner address to ours, look the same as
	 * an overlay probe to the classifier; the sender refuses them, their
	 * source being no address of ours.
	 */
	{ "overlay: gre carrying ip", V_P2P, V_OVL_SRC, V_OVL_DST, 0,
	  { 22, 0x08 }, false, V_ALL(GKA_REFLECT_PASS) },
	{ "inner tunnel's reply", V_P2P, V_OVL_DST, V_OVL_SRC, 0, NO_EDIT,
	  false, { GKA_PASS_WRONG_DST, GKA_PASS_WRONG_SRC, GKA_REFLECT_OVERLAY,
		   GKA_REFLECT_OVERLAY } },
};

static void variant_case_desc(const struct variant_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(variant, variant_cases, variant_case_desc);

static void reflect_classify_variants(struct kunit *test)
{
	const struct variant_case *c = test->param_value;
	struct gka_ends ends = ends_p2p;
	u8 pkt[sizeof(probe_plain)];
	struct iphdr *iph = (struct iphdr *)pkt;
	unsigned int variants;

	memcpy(pkt, probe_plain, sizeof(pkt));
	if (c->saddr)
		iph->saddr = c->saddr;
	if (c->daddr)
		iph->daddr = c->daddr;
	if (c->ttl)
		iph->ttl = c->ttl;
	if (c->edit.off >= 0)
		pkt[c->edit.off] = c->edit.val;
	if (c->ends == V_LOCAL_ANY)
		ends.local = 0;
	if (c->ends == V_NO_PEER)
		ends.remote = 0;
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
	if (c->bad_csum)
		iph->tos ^= 4;	/* after the checksum was made */

	for (variants = 0; variants < ARRAY_SIZE(c->want); variants++)
		KUNIT_EXPECT_EQ_MSG(test,
				    gka_reflect_classify_variants(pkt, sizeof(pkt),
								  sizeof(pkt),
								  &ends, variants),
				    c->want[variants], "variants %u: want %s",
				    variants,
				    gka_reflect_verdict_name(c->want[variants]));
}

/* Every verdict has a name for the debug line. */
static void reflect_verdict_names(struct kunit *test)
{
	int v;

	for (v = GKA_REFLECT_PASS; v <= GKA_PASS_OVERLAY_DST; v++)
		KUNIT_EXPECT_STRNEQ(test, gka_reflect_verdict_name(v), "unknown");
	KUNIT_EXPECT_STREQ(test, gka_reflect_verdict_name(GKA_PASS_OVERLAY_DST + 1),
			   "unknown");
}

/*
 * IPv6 out of an ip6gre tunnel 2001:db8:2::2 -> 2001:db8:1::1: MikroTik's
 * probe as our tunnel decapsulates it, from our local to our remote, GRE
 * protocol type 0x86DD and nothing behind it.
 */
static const u8 probe6_mikrotik[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x04, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x86, 0xdd,
};

#define OFF6_HLIM	7
#define OFF6_SRC_LAST	23
#define OFF6_DST_LAST	39
#define OFF6_GRE	40

struct classify6_case {
	const char *name;
	int ends;		/* 0: p2p, 1: local any, 2: no peer */
	u16 proto;		/* the GRE protocol type */
	struct byte_edit edit;
	size_t extra;		/* payload bytes after the GRE header */
	size_t pkt_len;		/* 0: as the header says */
	enum gka_reflect_verdict want;
};

#define PT_V6	ETH_P_IPV6

static const struct classify6_case classify6_cases[] = {
	{ "mikrotik probe", 0, PT_V6, NO_EDIT, 0, 0, GKA_REFLECT_OK },
	{ "protocol type 0", 0, 0, NO_EDIT, 0, 0, GKA_REFLECT_OK },
	{ "local any", 1, PT_V6, NO_EDIT, 0, 0, GKA_REFLECT_OK },
	{ "ipv6 in gre with payload", 0, PT_V6, NO_EDIT, 40, 0,
	  GKA_REFLECT_PASS },
	{ "ipv4 in gre", 0, ETH_P_IP, NO_EDIT, 0, 0, GKA_REFLECT_PASS },
	{ "udp", 0, 0, { 6, 17 }, 0, 0, GKA_REFLECT_PASS },
	{ "longer than packet", 0, PT_V6, NO_EDIT, 0, 43, GKA_REFLECT_PASS },
	{ "third-party destination", 0, PT_V6, { OFF6_DST_LAST, 9 }, 0, 0,
	  GKA_PASS_WRONG_DST },
	{ "source not ours", 0, PT_V6, { OFF6_SRC_LAST, 9 }, 0, 0,
	  GKA_PASS_WRONG_SRC },
	{ "local any, multicast source", 1, PT_V6, { 8, 0xff }, 0, 0,
	  GKA_PASS_WRONG_SRC },
	{ "no peer", 2, PT_V6, NO_EDIT, 0, 0, GKA_PASS_NO_PEER },
	{ "hop limit 1", 0, PT_V6, { OFF6_HLIM, 1 }, 0, 0, GKA_PASS_TTL },
	{ "key flag, no key", 0, 0, { OFF6_GRE, 0x20 }, 0, 0,
	  GKA_PASS_TRUNCATED },
	{ "gre version 1", 0, 0, { OFF6_GRE + 1, 1 }, 0, 0,
	  GKA_PASS_MALFORMED },
	{ "type 0 with 61 bytes", 0, 0, NO_EDIT, 61, 0, GKA_PASS_MALFORMED },
	{ "type 0 with 60 bytes", 0, 0, NO_EDIT, 60, 0, GKA_REFLECT_OK },
	{ "type 0 with OpenBSD's stamp", 0, 0, NO_EDIT, 16, 0, GKA_REFLECT_OK },
	{ "type 0 with 4 bytes", 0, 0, NO_EDIT, 4, 0, GKA_REFLECT_OK },
	{ "gre sequence number", 0, 0, { OFF6_GRE, 0x10 }, 4, 0,
	  GKA_PASS_MALFORMED },
};

static void classify6_case_desc(const struct classify6_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(classify6, classify6_cases, classify6_case_desc);

static void reflect_classify6_verdicts(struct kunit *test)
{
	const struct classify6_case *c = test->param_value;
	size_t len = sizeof(probe6_mikrotik) + c->extra;
	struct gka_ends ends = {};
	struct ipv6hdr *ip6;
	u8 pkt[160] = {};

	memcpy(pkt, probe6_mikrotik, sizeof(probe6_mikrotik));
	ip6 = (struct ipv6hdr *)pkt;
	ip6->payload_len = htons(4 + c->extra);
	put_unaligned_be16(c->proto, pkt + OFF6_GRE + 2);
	if (c->edit.off >= 0)
		pkt[c->edit.off] = c->edit.val;
	if (c->ends != 1)
		memcpy(&ends.local6, probe6_mikrotik + 8, 16);
	if (c->ends != 2)
		memcpy(&ends.remote6, probe6_mikrotik + 24, 16);
	KUNIT_EXPECT_EQ_MSG(test,
			    gka_reflect_classify6(pkt, min(len, sizeof(pkt)),
						  c->pkt_len ?: len, &ends),
			    c->want, "want %s",
			    gka_reflect_verdict_name(c->want));
}

/* An IPv4 tunnel's ends never let an IPv6 probe through, nor vice versa. */
static void reflect_classify_families(struct kunit *test)
{
	struct gka_ends v6_only = {}, v4_only = ends_p2p;

	memcpy(&v6_only.local6, probe6_mikrotik + 8, 16);
	memcpy(&v6_only.remote6, probe6_mikrotik + 24, 16);
	KUNIT_EXPECT_EQ(test, gka_reflect_classify(probe_plain,
						   sizeof(probe_plain),
						   sizeof(probe_plain),
						   &v6_only),
			GKA_PASS_NO_PEER);
	KUNIT_EXPECT_EQ(test, gka_reflect_classify6(probe6_mikrotik,
						    sizeof(probe6_mikrotik),
						    sizeof(probe6_mikrotik),
						    &v4_only),
			GKA_PASS_NO_PEER);
}

/*
 * Keepalive over ip6gre, tunnel 2001:db8:1::1 -> 2001:db8:2::2: the probe
 * in MikroTik's format, from the remote back to us, byte for byte.
 */
#define V6(a, b, l)	{ .in6_u.u6_addr8 = { 0x20, 0x01, 0x0d, 0xb8, a, b, \
			  0, 0, 0, 0, 0, 0, 0, 0, 0, l } }

#define A6_LOCAL	V6(0, 1, 1)
#define A6_REMOTE	V6(0, 2, 2)
#define A6_ANY		{ .in6_u.u6_addr8 = { 0 } }

static const struct in6_addr a6_local = A6_LOCAL;
static const struct in6_addr a6_remote = A6_REMOTE;
static const struct in6_addr a6_other = V6(0, 1, 9);

static const u8 probe6_plain[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x04, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x86, 0xdd,
};

static const u8 probe6_key[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x00, 0x86, 0xdd, 0x00, 0x00, 0x00, 0x64,
};

static const u8 probe6_csum[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x80, 0x00, 0x86, 0xdd, 0xf9, 0x21, 0x00, 0x00,
};

static const u8 probe6_csum_key[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xa0, 0x00, 0x86, 0xdd, 0xd5, 0x1b, 0x00, 0x00,
	0x01, 0x02, 0x03, 0x04,
};

/* The builder sends the reply to the address it is given. */
static const u8 probe6_local_any[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x04, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
	0x00, 0x00, 0x86, 0xdd,
};

/* CS6: traffic class 0xc0, the version nibble's neighbour. */
static const u8 probe6_cs6_key[] = {
	0x6c, 0x00, 0x00, 0x00, 0x00, 0x08, 0x2f, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x00, 0x86, 0xdd, 0x00, 0x00, 0x00, 0x28,
};

#define M6(l, k, wk, wc) \
	{ .v6 = true, .local6 = l, .remote6 = A6_REMOTE, .key = k, \
	  .with_key = wk, .with_csum = wc }

struct build6_case {
	const char *name;
	struct gka_match m;
	const struct in6_addr *local;
	const u8 *expect;
	size_t len;
	u8 dscp;
};

static const struct build6_case build6_cases[] = {
	{ "plain", M6(A6_LOCAL, 0, false, false), &a6_local,
	  probe6_plain, sizeof(probe6_plain) },
	{ "key", M6(A6_LOCAL, htonl(100), true, false), &a6_local,
	  probe6_key, sizeof(probe6_key) },
	{ "csum", M6(A6_LOCAL, 0, false, true), &a6_local,
	  probe6_csum, sizeof(probe6_csum) },
	{ "csum+key", M6(A6_LOCAL, htonl(0x01020304), true, true), &a6_local,
	  probe6_csum_key, sizeof(probe6_csum_key) },
	{ "local any", M6(A6_ANY, 0, false, false), &a6_other,
	  probe6_local_any, sizeof(probe6_local_any) },
	{ "CS6 and key", M6(A6_LOCAL, htonl(0x28), true, false), &a6_local,
	  probe6_cs6_key, sizeof(probe6_cs6_key), GKA_DSCP_DEFAULT },
};

static void build6_case_desc(const struct build6_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(build6, build6_cases, build6_case_desc);

static void probe6_build_bytes(struct kunit *test)
{
	const struct build6_case *c = test->param_value;
	u8 buf[GKA_PROBE6_MAX_LEN + 8];
	size_t i;

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_ASSERT_EQ(test, gka_probe6_len(&c->m), c->len);
	KUNIT_ASSERT_EQ(test, gka_probe6_build(buf, sizeof(buf), &c->m,
					       c->local, c->dscp),
			c->len);
	for (i = 0; i < c->len; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], c->expect[i], "byte %zu", i);
	KUNIT_EXPECT_EQ(test, buf[c->len], 0xaa);
}

static void probe6_build_refuses(struct kunit *test)
{
	struct gka_match plain6 = M6(A6_LOCAL, 0, false, false);
	struct gka_match no_remote = { .v6 = true, .local6 = A6_LOCAL };
	u8 buf[GKA_PROBE6_MAX_LEN];

	KUNIT_EXPECT_EQ(test, gka_probe6_build(buf, 43, &plain6, &a6_local, 0),
			0);
	KUNIT_EXPECT_EQ(test, gka_probe6_build(buf, sizeof(buf), &plain6,
					       &in6addr_any, 0), 0);
	KUNIT_EXPECT_EQ(test, gka_probe6_build(buf, sizeof(buf), &no_remote,
					       &a6_local, 0), 0);
}

/*
 * What comes back is the inner packet, GRE and all: its GRE part parses,
 * and matches from the remote to the address the probe named.
 */
static void reply6_roundtrip(struct kunit *test)
{
	const struct build6_case *c = test->param_value;
	struct gka_reply r;

	KUNIT_ASSERT_EQ(test, gka_reply_parse6(c->expect + 40, c->len - 40, &r),
			GKA_REPLY_OK);
	KUNIT_EXPECT_EQ(test, r.with_key, c->m.with_key);
	KUNIT_EXPECT_EQ(test, r.with_csum, c->m.with_csum);
	KUNIT_EXPECT_EQ(test, r.key, c->m.key);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&c->m, &r, &a6_remote, c->local),
			GKA_REPLY_OK);
	/* Nor does an IPv6 tunnel take an IPv4 reply. */
	KUNIT_EXPECT_EQ(test, gka_reply_match(&c->m, &r, 0, 0),
			GKA_REPLY_MISMATCH);
}

static const struct parse_case parse6_cases[] = {
	{ "0x86dd", { 0x00, 0x00, 0x86, 0xdd }, 4, GKA_REPLY_OK },
	{ "type 0", { 0x00, 0x00, 0x00, 0x00 }, 4, GKA_REPLY_OK },
	{ "0x86dd with key", { 0x20, 0x00, 0x86, 0xdd, 0, 0, 0, 7 }, 8,
	  GKA_REPLY_OK },
	{ "0x86dd with payload", { 0x00, 0x00, 0x86, 0xdd, 0x60 }, 5,
	  GKA_REPLY_OTHER },
	{ "0x86dd key with payload", { 0x20, 0x00, 0x86, 0xdd, 0, 0, 0, 7,
				       0x60 }, 9, GKA_REPLY_OTHER },
	{ "ip payload", { 0x00, 0x00, 0x08, 0x00 }, 4, GKA_REPLY_OTHER },
	{ "3 bytes", { 0x00, 0x00, 0x86 }, 3, GKA_REPLY_TRUNCATED },
	{ "0x86dd key flag, no key", { 0x20, 0x00, 0x86, 0xdd }, 4,
	  GKA_REPLY_TRUNCATED },
	{ "0x86dd sequence number", { 0x10, 0x00, 0x86, 0xdd, 0, 0, 0, 1 }, 8,
	  GKA_REPLY_MALFORMED },
	{ "0x86dd version 1", { 0x00, 0x01, 0x86, 0xdd }, 4,
	  GKA_REPLY_MALFORMED },
	{ "0x86dd bad checksum", { 0x80, 0x00, 0x86, 0xdd, 0xf9, 0x22, 0, 0 },
	  8, GKA_REPLY_BAD_CSUM },
	{ "type 0 padded", { 0, 0, 0, 0, 0, 0, 0, 0 }, 8, GKA_REPLY_OK },
};

KUNIT_ARRAY_PARAM(parse6, parse6_cases, parse_case_desc);

static void reply6_parse_verdicts(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct gka_reply r;

	KUNIT_EXPECT_EQ(test, gka_reply_parse6(c->gre, c->len, &r), c->verdict);
}

static void reply6_match_rejects_others(struct kunit *test)
{
	struct gka_match plain6 = M6(A6_LOCAL, 0, false, false);
	struct gka_match keyed6 = M6(A6_LOCAL, htonl(7), true, false);
	struct gka_match csum6 = M6(A6_LOCAL, 0, false, true);
	struct gka_reply none = {}, key7 = { htonl(7), true, false };
	struct gka_reply key8 = { htonl(8), true, false };
	struct gka_reply with_csum = { 0, false, true };

	KUNIT_EXPECT_EQ(test, gka_reply_match6(&plain6, &none, &a6_remote,
					       &a6_local), GKA_REPLY_OK);
	/* Wrong source, wrong destination. */
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&plain6, &none, &a6_other,
					       &a6_local), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&plain6, &none, &a6_remote,
					       &a6_other), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&keyed6, &key7, &a6_remote,
					       &a6_local), GKA_REPLY_OK);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&keyed6, &key8, &a6_remote,
					       &a6_local), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&keyed6, &none, &a6_remote,
					       &a6_local), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&plain6, &key7, &a6_remote,
					       &a6_local), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&plain6, &with_csum, &a6_remote,
					       &a6_local), GKA_REPLY_MISMATCH);
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&csum6, &with_csum, &a6_remote,
					       &a6_local), GKA_REPLY_OK);
	/* An IPv4 tunnel takes no IPv6 reply. */
	KUNIT_EXPECT_EQ(test, gka_reply_match6(&plain, &none, &a6_remote,
					       &a6_local), GKA_REPLY_MISMATCH);
}

static void match_equal_v6(struct kunit *test)
{
	struct gka_match a = M6(A6_LOCAL, htonl(7), true, false);
	struct gka_match b = a;

	KUNIT_EXPECT_TRUE(test, gka_match_equal(&a, &b));
	b.remote6 = a6_other;
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
	b = a;
	b.local6 = a6_other;
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
	b = a;
	b.v6 = false;
	KUNIT_EXPECT_FALSE(test, gka_match_equal(&a, &b));
}

static struct kunit_case probe_cases[] = {
	KUNIT_CASE_PARAM(probe_build_bytes, build_gen_params),
	KUNIT_CASE(probe_build_refuses),
	KUNIT_CASE_PARAM(reply_roundtrip, build_gen_params),
	KUNIT_CASE_PARAM(reply_parse_verdicts, parse_gen_params),
	KUNIT_CASE(reply_match_rejects_others),
	KUNIT_CASE(gre_key_for_flow),
	KUNIT_CASE(match_equal_fields),
	KUNIT_CASE_PARAM(reflect_classify_verdicts, classify_gen_params),
	KUNIT_CASE(reflect_classify_options),
	KUNIT_CASE_PARAM(reflect_classify_own_probes, build_gen_params),
	KUNIT_CASE_PARAM(reflect_classify6_verdicts, classify6_gen_params),
	KUNIT_CASE(reflect_classify_families),
	KUNIT_CASE_PARAM(reflect_classify_variants, variant_gen_params),
	KUNIT_CASE(reflect_verdict_names),
	KUNIT_CASE_PARAM(probe6_build_bytes, build6_gen_params),
	KUNIT_CASE(probe6_build_refuses),
	KUNIT_CASE_PARAM(reply6_roundtrip, build6_gen_params),
	KUNIT_CASE_PARAM(reply6_parse_verdicts, parse6_gen_params),
	KUNIT_CASE(reply6_match_rejects_others),
	KUNIT_CASE(match_equal_v6),
	{}
};

static struct kunit_suite probe_suite = {
	.name = "gre_keepalive_probe",
	.test_cases = probe_cases,
};

kunit_test_suite(probe_suite);
