// SPDX-License-Identifier: GPL-2.0
/* KUnit: range validation and which tunnels can run keepalive. */
#include <kunit/test.h>
#include <linux/if_tunnel.h>

#include "../../src/config.c"

static void config_interval_range(struct kunit *test)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, gka_check_interval(0, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, gka_check_interval(9, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "interval below the minimum of 10 ms");
	KUNIT_EXPECT_EQ(test, gka_check_interval(10, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_interval(10000, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_interval(32767000, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_interval(32767001, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "interval above the maximum of 32767 s");
	KUNIT_EXPECT_EQ(test, gka_check_interval(U32_MAX, &why), -EINVAL);
}

static void config_retries_range(struct kunit *test)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, gka_check_retries(0, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "retries out of range 1..255");
	KUNIT_EXPECT_EQ(test, gka_check_retries(1, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_retries(255, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_retries(256, &why), -EINVAL);
}

/* Any DSCP, 0 (unmarked) included; the default is CS6. */
static void config_dscp_range(struct kunit *test)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, gka_check_dscp(0, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_dscp(GKA_DSCP_DEFAULT, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_dscp(63, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, why, NULL);
	KUNIT_EXPECT_EQ(test, gka_check_dscp(64, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "DSCP out of range 0..63");
	KUNIT_EXPECT_EQ(test, gka_check_dscp(U32_MAX, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, GKA_DSCP_DEFAULT, GRE_KEEPALIVE_DSCP_DEFAULT);
}

static struct ip_tunnel_parm_kern p2p_parms(void)
{
	struct ip_tunnel_parm_kern p = {};

	p.iph.saddr = htonl(0xc0000201);
	p.iph.daddr = htonl(0xc6336402);
	return p;
}

static void config_tunnel_p2p(struct kunit *test)
{
	struct ip_tunnel_parm_kern p = p2p_parms();
	struct gka_tunnel_facts f = { .kind = "gre", .parms = &p };
	struct gka_match m;
	const char *why = NULL;

	__set_bit(IP_TUNNEL_KEY_BIT, p.i_flags);
	__set_bit(IP_TUNNEL_CSUM_BIT, p.i_flags);
	p.i_key = htonl(42);
	p.o_key = htonl(43);
	KUNIT_ASSERT_EQ(test, gka_check_tunnel(&f, &m, &why), 0);
	KUNIT_EXPECT_EQ(test, m.local, p.iph.saddr);
	KUNIT_EXPECT_EQ(test, m.remote, p.iph.daddr);
	KUNIT_EXPECT_TRUE(test, m.with_key);
	/* Probes carry the *input* key: the reply enters through our input. */
	KUNIT_EXPECT_EQ(test, m.key, htonl(42));
	KUNIT_EXPECT_TRUE(test, m.with_csum);

	/* Output-only options do not concern the reply. */
	p = p2p_parms();
	__set_bit(IP_TUNNEL_KEY_BIT, p.o_flags);
	__set_bit(IP_TUNNEL_CSUM_BIT, p.o_flags);
	__set_bit(IP_TUNNEL_SEQ_BIT, p.o_flags);
	KUNIT_ASSERT_EQ(test, gka_check_tunnel(&f, &m, &why), 0);
	KUNIT_EXPECT_FALSE(test, m.with_key);
	KUNIT_EXPECT_FALSE(test, m.with_csum);

	p.iph.saddr = 0;	/* local any */
	KUNIT_ASSERT_EQ(test, gka_check_tunnel(&f, &m, &why), 0);
	KUNIT_EXPECT_EQ(test, m.local, 0);
}

struct refuse_case {
	const char *name;
	const char *kind;
	bool collect_md;
	bool has_encap;
	__be32 daddr;
	bool iseq;
	const char *why;
};

static const struct refuse_case refuse_cases[] = {
	{ "gretap", "gretap", false, false, htonl(0xc6336402), 0,
	  "gretap is an Ethernet tunnel, not a point-to-point gre tunnel" },
	{ "ip6gretap", "ip6gretap", false, false, htonl(0xc6336402), 0,
	  "ip6gretap is an Ethernet tunnel, not a point-to-point ip6gre tunnel" },
	{ "veth", "veth", false, false, 0, 0, "not a GRE tunnel" },
	{ "no link ops", NULL, false, false, 0, 0, "not a GRE tunnel" },
	{ "external", "gre", true, false, 0, 0,
	  "flow-based (external) tunnel has no fixed remote" },
	{ "nbma", "gre", false, false, 0, 0,
	  "tunnel is not point-to-point (no fixed unicast remote)" },
	{ "multicast remote", "gre", false, false, htonl(0xe0000001), 0,
	  "tunnel is not point-to-point (no fixed unicast remote)" },
	{ "iseq", "gre", false, false, htonl(0xc6336402), true,
	  "tunnel checks input sequence numbers (iseq); replies would be dropped" },
	{ "fou", "gre", false, true, htonl(0xc6336402), 0,
	  "tunnel uses FOU/GUE encapsulation, which keepalive does not support" },
};

static void refuse_case_desc(const struct refuse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refuse, refuse_cases, refuse_case_desc);

static void config_tunnel_refused(struct kunit *test)
{
	const struct refuse_case *c = test->param_value;
	struct ip_tunnel_parm_kern p = p2p_parms();
	struct gka_tunnel_facts f = {
		.kind = c->kind,
		.parms = &p,
		.collect_md = c->collect_md,
		.has_encap = c->has_encap,
	};
	struct gka_match m;
	const char *why = NULL;

	p.iph.daddr = c->daddr;
	if (c->iseq)
		__set_bit(IP_TUNNEL_SEQ_BIT, p.i_flags);
	KUNIT_EXPECT_EQ(test, gka_check_tunnel(&f, &m, &why), -EOPNOTSUPP);
	KUNIT_EXPECT_STREQ(test, why, c->why);
}

/* ip6gre 2001:db8:1::1 -> 2001:db8:2::2. */
static struct gka_ip6_parms p2p_parms6(void)
{
	struct gka_ip6_parms p = {
		.laddr.in6_u.u6_addr8 = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
					  0, 0, 0, 0, 0, 0, 0, 1 },
		.raddr.in6_u.u6_addr8 = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0,
					  0, 0, 0, 0, 0, 0, 0, 2 },
	};

	return p;
}

static void config_tunnel6_p2p(struct kunit *test)
{
	struct gka_ip6_parms p = p2p_parms6();
	struct gka_tunnel_facts f = { .kind = "ip6gre", .parms6 = &p };
	struct gka_match m;
	const char *why = NULL;

	__set_bit(IP_TUNNEL_KEY_BIT, p.i_flags);
	__set_bit(IP_TUNNEL_CSUM_BIT, p.i_flags);
	p.i_key = htonl(42);
	p.link = 3;
	KUNIT_ASSERT_EQ(test, gka_check_tunnel(&f, &m, &why), 0);
	KUNIT_EXPECT_TRUE(test, m.v6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&m.local6, &p.laddr));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&m.remote6, &p.raddr));
	KUNIT_EXPECT_EQ(test, m.local, 0);
	KUNIT_EXPECT_EQ(test, m.remote, 0);
	KUNIT_EXPECT_TRUE(test, m.with_key);
	KUNIT_EXPECT_EQ(test, m.key, htonl(42));
	KUNIT_EXPECT_TRUE(test, m.with_csum);
	KUNIT_EXPECT_EQ(test, m.link, 3);

	/* Output keys and checksums are the outer header's business. */
	p = p2p_parms6();
	__set_bit(IP_TUNNEL_KEY_BIT, p.o_flags);
	__set_bit(IP_TUNNEL_CSUM_BIT, p.o_flags);
	KUNIT_ASSERT_EQ(test, gka_check_tunnel(&f, &m, &why), 0);
	KUNIT_EXPECT_FALSE(test, m.with_key);
	KUNIT_EXPECT_FALSE(test, m.with_csum);
}

struct refuse6_case {
	const char *name;
	bool collect_md;
	bool has_encap;
	int raddr;		/* 0: unicast, 1: ::, 2: multicast */
	bool local_any;
	bool iseq;
	bool oseq;
	const char *why;
};

static const struct refuse6_case refuse6_cases[] = {
	{ "external", true, false, 1, false, false, false,
	  "flow-based (external) tunnel has no fixed remote" },
	{ "nbma", false, false, 1, false, false, false,
	  "tunnel is not point-to-point (no fixed unicast remote)" },
	{ "multicast remote", false, false, 2, false, false, false,
	  "tunnel is not point-to-point (no fixed unicast remote)" },
	{ "local any", false, false, 0, true, false, false,
	  "ip6gre sends nothing without a local address (local any)" },
	{ "iseq", false, false, 0, false, true, false,
	  "tunnel checks input sequence numbers (iseq); replies would be dropped" },
	{ "oseq", false, false, 0, false, false, true,
	  "tunnel sends sequence numbers (oseq), which keepalive over ip6gre does not" },
	{ "fou", false, true, 0, false, false, false,
	  "tunnel uses FOU/GUE encapsulation, which keepalive does not support" },
};

static void refuse6_case_desc(const struct refuse6_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refuse6, refuse6_cases, refuse6_case_desc);

static void config_tunnel6_refused(struct kunit *test)
{
	const struct refuse6_case *c = test->param_value;
	struct gka_ip6_parms p = p2p_parms6();
	struct gka_tunnel_facts f = {
		.kind = "ip6gre",
		.parms6 = &p,
		.collect_md = c->collect_md,
		.has_encap = c->has_encap,
	};
	struct gka_match m;
	const char *why = NULL;

	if (c->raddr == 1)
		p.raddr = in6addr_any;
	else if (c->raddr == 2)
		p.raddr.in6_u.u6_addr8[0] = 0xff;
	if (c->local_any)
		p.laddr = in6addr_any;
	if (c->iseq)
		__set_bit(IP_TUNNEL_SEQ_BIT, p.i_flags);
	if (c->oseq)
		__set_bit(IP_TUNNEL_SEQ_BIT, p.o_flags);
	KUNIT_EXPECT_EQ(test, gka_check_tunnel(&f, &m, &why), -EOPNOTSUPP);
	KUNIT_EXPECT_STREQ(test, why, c->why);
}

static void config_reflect_ends(struct kunit *test)
{
	struct ip_tunnel_parm_kern p = p2p_parms();
	struct gka_tunnel_facts f = { .kind = "gre", .parms = &p };
	struct gka_ends e;

	/* Keepalive cannot run with iseq; reflection does not care. */
	__set_bit(IP_TUNNEL_SEQ_BIT, p.i_flags);
	__set_bit(IP_TUNNEL_KEY_BIT, p.i_flags);
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.local, p.iph.saddr);
	KUNIT_EXPECT_EQ(test, e.remote, p.iph.daddr);

	p.iph.saddr = 0;
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.local, 0);
	KUNIT_EXPECT_EQ(test, e.remote, p.iph.daddr);

	/* No single peer: nothing will be reflected. */
	f.kind = "gretap";
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.remote, 0);
	f.kind = "gre";
	f.collect_md = true;
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.remote, 0);
	f.collect_md = false;
	p.iph.daddr = htonl(0xe0000001);
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.remote, 0);
	p.iph.daddr = 0;
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.remote, 0);
	f.kind = NULL;
	gka_reflect_ends(&f, &e);
	KUNIT_EXPECT_EQ(test, e.remote, 0);
}

static void config_privilege(struct kunit *test)
{
	const struct gka_privilege none = {};
	const struct gka_privilege underlay = { .underlay = true };
	const struct gka_privilege fast = { .interval_ms = 999 };
	const struct gka_privilege one_s = { .underlay = true,
					     .interval_ms = 1000 };
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, gka_check_privilege(&none, false, false, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_privilege(&underlay, false, true, &why),
			-EPERM);
	KUNIT_EXPECT_STREQ(test, why,
			   "needs CAP_NET_ADMIN in the tunnel's underlay network namespace");
	KUNIT_EXPECT_EQ(test, gka_check_privilege(&underlay, true, false, &why),
			0);
	KUNIT_EXPECT_EQ(test, gka_check_privilege(&fast, true, false, &why),
			-EPERM);
	KUNIT_EXPECT_STREQ(test, why,
			   "intervals below 1 s need CAP_NET_ADMIN in the initial user namespace");
	KUNIT_EXPECT_EQ(test, gka_check_privilege(&fast, false, true, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_privilege(&one_s, true, false, &why), 0);
	KUNIT_EXPECT_EQ(test, gka_check_privilege(&one_s, false, true, &why),
			-EPERM);
}

static void config_link_in_match(struct kunit *test)
{
	struct ip_tunnel_parm_kern p = p2p_parms();
	struct gka_tunnel_facts f = { .kind = "gre", .parms = &p };
	struct gka_match m;
	const char *why = NULL;

	p.link = 7;
	KUNIT_ASSERT_EQ(test, gka_check_tunnel(&f, &m, &why), 0);
	KUNIT_EXPECT_EQ(test, m.link, 7);
}

static struct kunit_case config_cases[] = {
	KUNIT_CASE(config_privilege),
	KUNIT_CASE(config_link_in_match),
	KUNIT_CASE(config_interval_range),
	KUNIT_CASE(config_retries_range),
	KUNIT_CASE(config_dscp_range),
	KUNIT_CASE(config_tunnel_p2p),
	KUNIT_CASE_PARAM(config_tunnel_refused, refuse_gen_params),
	KUNIT_CASE(config_tunnel6_p2p),
	KUNIT_CASE_PARAM(config_tunnel6_refused, refuse6_gen_params),
	KUNIT_CASE(config_reflect_ends),
	{}
};

static struct kunit_suite config_suite = {
	.name = "gre_keepalive_config",
	.test_cases = config_cases,
};

kunit_test_suite(config_suite);
