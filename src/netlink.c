// SPDX-License-Identifier: GPL-2.0
/*
 * The gre_keepalive generic netlink family: set, delete, get and dump a
 * tunnel's keepalive, and an "events" multicast group that announces every
 * line-protocol transition and configuration change.
 *
 * The policy rejects malformed input before a handler runs; handlers then
 * decide about the tunnel itself and say why in extack.
 */
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "config.h"
#include "gre_keepalive.h"

static struct netlink_range_validation gka_interval_range = {
	.min = GRE_KEEPALIVE_INTERVAL_MS_MIN,
	.max = GRE_KEEPALIVE_INTERVAL_MS_MAX,
};

static const struct nla_policy gka_policy[GRE_KEEPALIVE_A_MAX + 1] = {
	[GRE_KEEPALIVE_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GRE_KEEPALIVE_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[GRE_KEEPALIVE_A_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gka_interval_range),
	[GRE_KEEPALIVE_A_RETRIES] =
		NLA_POLICY_RANGE(NLA_U32, GRE_KEEPALIVE_RETRIES_MIN,
				 GRE_KEEPALIVE_RETRIES_MAX),
	[GRE_KEEPALIVE_A_REFLECT] = NLA_POLICY_MAX(NLA_U8, 1),
};

enum gka_mcgrp { GKA_MCGRP_EVENTS };

static const struct genl_multicast_group gka_mcgrps[] = {
	[GKA_MCGRP_EVENTS] = { .name = GRE_KEEPALIVE_MCGRP_EVENTS },
};

static struct genl_family gka_family;

/*
 * Set once the family is registered, cleared (and a grace period waited
 * for) before it is unregistered: an event sent after that would go to
 * whichever family got our multicast group next.
 */
static bool gka_nl_registered;

/* extack keeps a pointer: every reason we hand out is a string literal. */
static void gka_set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
			const char *why)
{
	if (!extack)
		return;
	extack->_msg = why;
	extack->bad_attr = attr;
}

static int gka_fill(struct sk_buff *skb, struct gka_tunnel *kt, u8 cmd,
		    u32 portid, u32 seq, int flags, enum gre_keepalive_reason reason)
{
	struct net_device *dev = kt->dev;
	const char *suspended;
	struct gka_info info;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &gka_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	gka_tunnel_info(kt, &info);
	suspended = READ_ONCE(kt->unusable_why);
	if (nla_put_u32(skb, GRE_KEEPALIVE_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, GRE_KEEPALIVE_A_IFNAME, dev->name) ||
	    nla_put_u8(skb, GRE_KEEPALIVE_A_ENABLED, info.enabled) ||
	    nla_put_u8(skb, GRE_KEEPALIVE_A_ADMIN_UP,
		       !!(READ_ONCE(dev->flags) & IFF_UP)) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_INTERVAL_MS, info.interval_ms) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_RETRIES, info.retries) ||
	    nla_put_u8(skb, GRE_KEEPALIVE_A_LINE, info.line_up ?
		       GRE_KEEPALIVE_LINE_UP : GRE_KEEPALIVE_LINE_DOWN) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_COUNTER, info.counter) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_PROBES_SENT,
			      info.probes_sent, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_PROBE_ERRORS,
			      info.probe_errors, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_REPLIES,
			      info.replies, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_TRANSITIONS,
			      info.transitions, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_LAST_CHANGE_NS,
			      info.last_change_ns, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_LAST_REPLY_NS,
			      info.last_reply_ns, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u8(skb, GRE_KEEPALIVE_A_REFLECT, info.reflect) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_REFLECTED,
			      info.reflected, GRE_KEEPALIVE_A_PAD) ||
	    nla_put_u64_64bit(skb, GRE_KEEPALIVE_A_PASSED,
			      info.passed, GRE_KEEPALIVE_A_PAD) ||
	    (info.enabled && suspended &&
	     nla_put_string(skb, GRE_KEEPALIVE_A_SUSPENDED, suspended)) ||
	    (reason && nla_put_u8(skb, GRE_KEEPALIVE_A_REASON, reason))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

void gka_nl_notify(struct gka_tunnel *kt, enum gre_keepalive_reason reason)
{
	struct net *net = dev_net(kt->dev);
	struct sk_buff *skb;

	rcu_read_lock();
	if (!READ_ONCE(gka_nl_registered) ||
	    !genl_has_listeners(&gka_family, net, GKA_MCGRP_EVENTS))
		goto out;
	/* Transitions are announced from softirq context. */
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		goto out;
	if (gka_fill(skb, kt, GRE_KEEPALIVE_CMD_EVENT, 0, 0, 0, reason)) {
		nlmsg_free(skb);
		goto out;
	}
	genlmsg_multicast_netns(&gka_family, net, skb, 0, GKA_MCGRP_EVENTS,
				GFP_ATOMIC);
out:
	rcu_read_unlock();
}

/*
 * The tunnel named by IFINDEX or IFNAME in the caller's namespace, which
 * must be a gre device. RTNL held.
 */
static struct gka_tunnel *gka_nl_tunnel(struct genl_info *info)
{
	struct nlattr *idx_attr = info->attrs[GRE_KEEPALIVE_A_IFINDEX];
	struct nlattr *name_attr = info->attrs[GRE_KEEPALIVE_A_IFNAME];
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct net_device *dev = NULL;
	struct gka_tunnel *kt;
	const char *why;

	if (!idx_attr && !name_attr) {
		NL_SET_ERR_MSG(extack, "missing tunnel: give IFINDEX or IFNAME");
		return ERR_PTR(-EINVAL);
	}
	if (idx_attr) {
		dev = __dev_get_by_index(net, nla_get_u32(idx_attr));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, idx_attr,
					    "no device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
	}
	if (name_attr) {
		struct net_device *by_name =
			__dev_get_by_name(net, nla_data(name_attr));

		if (!by_name) {
			NL_SET_ERR_MSG_ATTR(extack, name_attr,
					    "no device with this name");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != by_name) {
			NL_SET_ERR_MSG_ATTR(extack, name_attr,
					    "IFNAME and IFINDEX name different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = by_name;
	}

	kt = gka_tunnel_find(dev);
	if (!kt) {
		/* Not a gre device: say what it is instead. */
		if (gka_is_tunnel_device(dev)) {
			/* Its next event (link up or down) tries again. */
			NL_SET_ERR_MSG_ATTR(extack, name_attr ?: idx_attr,
					    "tunnel not tracked: out of memory when it appeared");
			return ERR_PTR(-ENOMEM);
		}
		gka_tunnel_check(dev, &why);
		gka_set_err(extack, name_attr ?: idx_attr, why);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return kt;
}

static bool gka_nl_net_admin(const struct gka_caller *caller,
			     struct user_namespace *ns)
{
	return netlink_ns_capable(caller->request, ns, CAP_NET_ADMIN);
}

/* Apply @c to the tunnel the request names. */
static int gka_nl_apply(struct sk_buff *skb, struct genl_info *info,
			const struct gka_change *c, struct nlattr *bad_attr)
{
	const struct gka_caller who = {
		.net_admin = gka_nl_net_admin,
		.request = skb,
	};
	struct gka_tunnel *kt;
	const char *why;
	int err;

	rtnl_lock();
	kt = gka_nl_tunnel(info);
	if (IS_ERR(kt)) {
		err = PTR_ERR(kt);
		goto out;
	}
	err = gka_tunnel_apply(kt, c, &who, &why);
	if (err)
		gka_set_err(info->extack, err == -EPERM ? NULL : bad_attr,
			    why);
out:
	rtnl_unlock();
	return err;
}

/* Absent attributes keep what is set: the defaults, at first. */
static int gka_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *interval_attr = info->attrs[GRE_KEEPALIVE_A_INTERVAL_MS];
	struct nlattr *retries_attr = info->attrs[GRE_KEEPALIVE_A_RETRIES];
	struct gka_change c = {
		.set = GKA_SET_ENABLED,
		.enabled = true,
	};

	if (interval_attr) {
		c.set |= GKA_SET_INTERVAL;
		c.interval_ms = nla_get_u32(interval_attr);
	}
	if (retries_attr) {
		c.set |= GKA_SET_RETRIES;
		c.retries = nla_get_u32(retries_attr);
	}
	return gka_nl_apply(skb, info, &c, NULL);
}

static int gka_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	const struct gka_change off = {
		.set = GKA_SET_ENABLED,
		.enabled = false,
	};

	return gka_nl_apply(skb, info, &off, NULL);
}

static int gka_nl_reflect(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *reflect_attr = info->attrs[GRE_KEEPALIVE_A_REFLECT];
	struct gka_change c = { .set = GKA_SET_REFLECT };

	if (!reflect_attr) {
		NL_SET_ERR_MSG(info->extack, "missing REFLECT: give 0 or 1");
		return -EINVAL;
	}
	c.reflect = nla_get_u8(reflect_attr);
	return gka_nl_apply(skb, info, &c, reflect_attr);
}

static int gka_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct gka_tunnel *kt;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	kt = gka_nl_tunnel(info);
	if (IS_ERR(kt))
		err = PTR_ERR(kt);
	else
		err = gka_fill(msg, kt, GRE_KEEPALIVE_CMD_GET, info->snd_portid,
			       info->snd_seq, 0, 0);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many of the namespace's gre tunnels are already sent. */
static int gka_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long skip = cb->args[0], idx = 0;
	struct net_device *dev;
	struct gka_tunnel *kt;

	rtnl_lock();
	for_each_netdev(net, dev) {
		kt = gka_tunnel_find(dev);
		if (!kt)
			continue;
		if (idx >= skip &&
		    gka_fill(skb, kt, GRE_KEEPALIVE_CMD_GET,
			     NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			     NLM_F_MULTI, 0))
			break;	/* skb full: the next round resumes here */
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static const struct genl_small_ops gka_ops[] = {
	{
		.cmd = GRE_KEEPALIVE_CMD_SET,
		.doit = gka_nl_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = GRE_KEEPALIVE_CMD_DEL,
		.doit = gka_nl_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = GRE_KEEPALIVE_CMD_REFLECT,
		.doit = gka_nl_reflect,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = GRE_KEEPALIVE_CMD_GET,
		.doit = gka_nl_get,
		.dumpit = gka_nl_dump,
	},
};

static struct genl_family gka_family __ro_after_init = {
	.name = GRE_KEEPALIVE_GENL_NAME,
	.version = GRE_KEEPALIVE_GENL_VERSION,
	.maxattr = GRE_KEEPALIVE_A_MAX,
	.policy = gka_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = gka_ops,
	.n_small_ops = ARRAY_SIZE(gka_ops),
#ifdef GKA_HAVE_GENL_RESV_START_OP
	.resv_start_op = __GRE_KEEPALIVE_CMD_MAX,
#endif
	.mcgrps = gka_mcgrps,
	.n_mcgrps = ARRAY_SIZE(gka_mcgrps),
};

int __init gka_nl_init(void)
{
	int err = genl_register_family(&gka_family);

	if (!err)
		WRITE_ONCE(gka_nl_registered, true);
	return err;
}

/* Before the engine stops: no request reaches a tunnel being torn down. */
void gka_nl_exit(void)
{
	WRITE_ONCE(gka_nl_registered, false);
	synchronize_rcu();
	genl_unregister_family(&gka_family);
}
