/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tunnel's lifecycle and its one configuration path: netlink, sysfs and
 * the module's own defaults all change a tunnel through gka_apply(), and
 * all read it through gka_info().
 */
#ifndef _GKA_CONTROL_H
#define _GKA_CONTROL_H

#include <linux/bits.h>
#include <linux/types.h>

struct gka_tunnel;
struct net_device;
struct sk_buff;
struct user_namespace;

/* What a change sets (GKA_SET_*); the rest stays as it is. */
#define GKA_SET_INTERVAL	BIT(0)
#define GKA_SET_RETRIES		BIT(1)
#define GKA_SET_ENABLED		BIT(2)
#define GKA_SET_REFLECT		BIT(3)
#define GKA_SET_DSCP		BIT(4)
#define GKA_SET_REFLECT_NAT	BIT(5)
#define GKA_SET_REFLECT_OVERLAY	BIT(6)

struct gka_change {
	unsigned int set;
	u32 interval_ms;
	u32 retries;
	bool enabled;
	bool reflect;
	u8 dscp;
	bool reflect_nat;
	bool reflect_overlay;
};

/* Who asks, as each front end can tell; NULL for the module itself. */
struct gka_caller {
	/* Does the caller hold CAP_NET_ADMIN over @ns? */
	bool (*net_admin)(const struct gka_caller *caller,
			  struct user_namespace *ns);
	const struct sk_buff *request;	/* netlink: the request */
};

/* Every u64 statistic: gka_stat_desc[] names it in sysfs and netlink. */
enum gka_stat {
	GKA_STAT_PROBES_SENT,
	GKA_STAT_PROBE_ERRORS,
	GKA_STAT_REPLIES,
	GKA_STAT_TRANSITIONS,
	GKA_STAT_LAST_CHANGE_NS,
	GKA_STAT_LAST_REPLY_NS,
	GKA_STAT_REFLECTED,
	GKA_STAT_PASSED,
	GKA_STAT_COUNT
};

struct gka_stat_desc {
	const char *name;	/* sysfs file */
	int nlattr;		/* GRE_KEEPALIVE_A_TUNNEL_* */
};

extern const struct gka_stat_desc gka_stat_desc[GKA_STAT_COUNT];

/*
 * A tunnel's keepalive and reflection, for reporting: each of the two a
 * consistent copy, taken one after the other.
 */
struct gka_info {
	bool enabled;
	bool active;
	bool line_up;
	bool admin_up;
	bool reflect;
	bool reflect_nat;
	bool reflect_overlay;
	u8 dscp;
	u32 interval_ms;
	u32 retries;
	u32 counter;
	const char *suspended;	/* why an enabled tunnel cannot probe */
	u64 stat[GKA_STAT_COUNT];
};

/* All under RTNL. */

/*
 * Apply @c whole or not at all: ranges, the tunnel's fitness and the
 * caller's privilege are checked first; on failure nothing has changed
 * and *@why names the problem.
 */
int gka_apply(struct gka_tunnel *kt, const struct gka_change *c,
	      const struct gka_caller *who, const char **why);

/* Any context. */
void gka_info(struct gka_tunnel *kt, struct gka_info *info);

/* A new tunnel device, with what it gets when first enabled. */
struct gka_tunnel *gka_attach(struct net_device *dev, u32 interval_ms,
			      u32 retries, u8 dscp, bool reflect, int *err);
void gka_detach(struct gka_tunnel *kt);
/* NETDEV_UP, _DOWN, _CHANGE: an error for a hook it could not get. */
int gka_dev_event(struct gka_tunnel *kt, unsigned long event);
/*
 * Outside RTNL, after every tunnel is detached: no re-read left running,
 * and the count of a logging burst written.
 */
void gka_control_flush(void);

/* Can @dev run keepalive? Any device: names what is wrong with it. */
int gka_check_device(const struct net_device *dev, const char **why);

#endif /* _GKA_CONTROL_H */
