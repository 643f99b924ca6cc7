/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the engine accepts: interval and retry ranges, and which tunnels
 * can run keepalive at all. Pure, and shared by netlink, sysfs and module
 * parameters so that all three refuse the same things with the same words.
 */
#ifndef _GKA_CONFIG_H
#define _GKA_CONFIG_H

#include <linux/in6.h>
#include <linux/types.h>

#include "compat.h"

struct gka_match;
struct gka_ends;
struct in6_addr;

/* Returns 0, or -EINVAL with *@why naming the problem. */
int gka_check_interval(u32 interval_ms, const char **why);
int gka_check_retries(u32 retries, const char **why);
int gka_check_dscp(u32 dscp, const char **why);

/*
 * Who may make the module work for a tunnel. Probes leave, hooks sit and
 * reflections are sent in the tunnel's underlay network namespace, which
 * may belong to someone else than the tunnel's own (a tunnel moved into a
 * container): that takes CAP_NET_ADMIN over the underlay, as changing the
 * tunnel itself does. Every sub-second interval is a softirq timer that
 * fires more than once a second; an unprivileged user namespace could
 * create them by the thousand, so they are for the host's administrator.
 */
#define GKA_UNPRIVILEGED_INTERVAL_MS_MIN	1000U

struct gka_privilege {
	bool underlay;		/* the change makes us send or hook there */
	u32 interval_ms;	/* the interval that will run, 0 for none */
};

/* Returns 0, or -EPERM with *@why naming what is missing. */
int gka_check_privilege(const struct gka_privilege *need, bool admin_underlay,
			bool admin_init, const char **why);

/* An ip6gre tunnel's parameters that keepalive looks at, flags as of 6.10. */
struct gka_ip6_parms {
	struct in6_addr laddr;
	struct in6_addr raddr;
	IP_TUNNEL_DECLARE_FLAGS(i_flags);
	IP_TUNNEL_DECLARE_FLAGS(o_flags);
	__be32 i_key;
	int link;
};

/* The facts about a tunnel device that decide whether keepalive applies. */
struct gka_tunnel_facts {
	const char *kind;	/* rtnl_link_ops kind, NULL if none */
	const struct ip_tunnel_parm_kern *parms;	/* kinds "gre" and "gretap" */
	const struct gka_ip6_parms *parms6;		/* kind "ip6gre" */
	bool collect_md;
	bool has_encap;		/* FOU/GUE on top of GRE */
};

/*
 * Can this tunnel run keepalive? On success fills @m with what its probes
 * must carry and returns 0; otherwise returns a negative errno and sets
 * *@why.
 */
int gka_check_tunnel(const struct gka_tunnel_facts *f, struct gka_match *m,
		     const char **why);

/*
 * Which addresses a reflected probe must have. Only a point-to-point gre
 * tunnel has a single peer to send it back to; for any other @ends->remote
 * is 0 and every probe is refused. Needs none of what keepalive needs
 * (keys, checksums, sequence numbers are the outer header's business).
 */
void gka_reflect_ends(const struct gka_tunnel_facts *f, struct gka_ends *ends);

/* The same for an ip6gre tunnel with these addresses. */
void gka_reflect_ends6(bool collect_md, const struct in6_addr *laddr,
		       const struct in6_addr *raddr, struct gka_ends *ends);

#endif /* _GKA_CONFIG_H */
