// SPDX-License-Identifier: GPL-2.0
#include <linux/errno.h>
#include <linux/if_tunnel.h>
#include <linux/in.h>
#include <linux/string.h>
#include <linux/gre_keepalive.h>
#include <net/ipv6.h>

#include "config.h"
#include "probe.h"

int gka_check_interval(u32 interval_ms, const char **why)
{
	if (interval_ms < GRE_KEEPALIVE_INTERVAL_MS_MIN) {
		*why = "interval below the minimum of 10 ms";
		return -EINVAL;
	}
	if (interval_ms > GRE_KEEPALIVE_INTERVAL_MS_MAX) {
		*why = "interval above the maximum of 32767 s";
		return -EINVAL;
	}
	return 0;
}

int gka_check_retries(u32 retries, const char **why)
{
	if (retries < GRE_KEEPALIVE_RETRIES_MIN ||
	    retries > GRE_KEEPALIVE_RETRIES_MAX) {
		*why = "retries out of range 1..255";
		return -EINVAL;
	}
	return 0;
}

int gka_check_dscp(u32 dscp, const char **why)
{
	if (dscp > 63) {
		*why = "DSCP out of range 0..63";
		return -EINVAL;
	}
	return 0;
}

/*
 * ip6gre: the probe is sent with ip6gre's own encapsulation, rebuilt in
 * keepalive.c, for the one case it covers, a point-to-point tunnel without
 * sequence numbers.
 */
static int gka_check_tunnel6(const struct gka_tunnel_facts *f,
			     struct gka_match *m, const char **why)
{
	const struct gka_ip6_parms *p = f->parms6;

	if (f->collect_md) {
		*why = "flow-based (external) tunnel has no fixed remote";
		return -EOPNOTSUPP;
	}
	if (ipv6_addr_any(&p->raddr) || ipv6_addr_is_multicast(&p->raddr)) {
		*why = "tunnel is not point-to-point (no fixed unicast remote)";
		return -EOPNOTSUPP;
	}
	/*
	 * ip6gre transmits only from a fixed local address (ip6_tnl_xmit_ctl()
	 * refuses "local any"): such a tunnel carries nothing, and a probe
	 * that went anyway would report it up.
	 */
	if (ipv6_addr_any(&p->laddr)) {
		*why = "ip6gre sends nothing without a local address (local any)";
		return -EOPNOTSUPP;
	}
	if (test_bit(IP_TUNNEL_SEQ_BIT, p->i_flags)) {
		*why = "tunnel checks input sequence numbers (iseq); replies would be dropped";
		return -EOPNOTSUPP;
	}
	if (test_bit(IP_TUNNEL_SEQ_BIT, p->o_flags)) {
		*why = "tunnel sends sequence numbers (oseq), which keepalive over ip6gre does not";
		return -EOPNOTSUPP;
	}
	if (f->has_encap) {
		*why = "tunnel uses FOU/GUE encapsulation, which keepalive does not support";
		return -EOPNOTSUPP;
	}

	memset(m, 0, sizeof(*m));
	m->v6 = true;
	m->local6 = p->laddr;
	m->remote6 = p->raddr;
	m->with_key = test_bit(IP_TUNNEL_KEY_BIT, p->i_flags);
	m->key = m->with_key ? p->i_key : 0;
	m->with_csum = test_bit(IP_TUNNEL_CSUM_BIT, p->i_flags);
	m->link = p->link;
	return 0;
}

int gka_check_tunnel(const struct gka_tunnel_facts *f, struct gka_match *m,
		     const char **why)
{
	const struct ip_tunnel_parm_kern *p = f->parms;

	if (!f->kind) {
		*why = "not a GRE tunnel";
		return -EOPNOTSUPP;
	}
	if (!strcmp(f->kind, "gretap")) {
		*why = "gretap is an Ethernet tunnel, not a point-to-point gre tunnel";
		return -EOPNOTSUPP;
	}
	if (!strcmp(f->kind, "ip6gretap")) {
		*why = "ip6gretap is an Ethernet tunnel, not a point-to-point ip6gre tunnel";
		return -EOPNOTSUPP;
	}
	if (!strcmp(f->kind, "ip6gre"))
		return gka_check_tunnel6(f, m, why);
	if (strcmp(f->kind, "gre")) {
		*why = "not a GRE tunnel";
		return -EOPNOTSUPP;
	}
	if (f->collect_md) {
		*why = "flow-based (external) tunnel has no fixed remote";
		return -EOPNOTSUPP;
	}
	if (!p->iph.daddr || ipv4_is_multicast(p->iph.daddr)) {
		*why = "tunnel is not point-to-point (no fixed unicast remote)";
		return -EOPNOTSUPP;
	}
	if (test_bit(IP_TUNNEL_SEQ_BIT, p->i_flags)) {
		*why = "tunnel checks input sequence numbers (iseq); replies would be dropped";
		return -EOPNOTSUPP;
	}
	if (f->has_encap) {
		*why = "tunnel uses FOU/GUE encapsulation, which keepalive does not support";
		return -EOPNOTSUPP;
	}

	memset(m, 0, sizeof(*m));
	m->local = p->iph.saddr;
	m->remote = p->iph.daddr;
	m->with_key = test_bit(IP_TUNNEL_KEY_BIT, p->i_flags);
	m->key = m->with_key ? p->i_key : 0;
	m->with_csum = test_bit(IP_TUNNEL_CSUM_BIT, p->i_flags);
	m->link = p->link;
	return 0;
}

int gka_check_privilege(const struct gka_privilege *need, bool admin_underlay,
			bool admin_init, const char **why)
{
	if (need->underlay && !admin_underlay) {
		*why = "needs CAP_NET_ADMIN in the tunnel's underlay network namespace";
		return -EPERM;
	}
	if (need->interval_ms && need->interval_ms < GKA_UNPRIVILEGED_INTERVAL_MS_MIN &&
	    !admin_init) {
		*why = "intervals below 1 s need CAP_NET_ADMIN in the initial user namespace";
		return -EPERM;
	}
	return 0;
}

void gka_reflect_ends(const struct gka_tunnel_facts *f, struct gka_ends *ends)
{
	const struct ip_tunnel_parm_kern *p = f->parms;

	memset(ends, 0, sizeof(*ends));
	if (!f->kind || strcmp(f->kind, "gre") || f->collect_md || !p ||
	    !p->iph.daddr || ipv4_is_multicast(p->iph.daddr))
		return;
	ends->local = p->iph.saddr;
	ends->remote = p->iph.daddr;
}

void gka_reflect_ends6(bool collect_md, const struct in6_addr *laddr,
		       const struct in6_addr *raddr, struct gka_ends *ends)
{
	memset(ends, 0, sizeof(*ends));
	if (collect_md || ipv6_addr_any(raddr) ||
	    ipv6_addr_type(raddr) & IPV6_ADDR_MULTICAST)
		return;
	ends->local6 = *laddr;
	ends->remote6 = *raddr;
}
