// SPDX-License-Identifier: GPL-2.0
/*
 * The gre_keepalive generic netlink family, as
 * Documentation/netlink/specs/gre_keepalive.yaml describes it: get or dump
 * a tunnel's keepalive, set any part of its configuration in one request,
 * and an "events" multicast group that announces every line-protocol
 * transition and configuration change.
 *
 * The policies reject malformed input before a handler runs; handlers
 * then decide about the tunnel itself and say why in extack.
 */
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "config.h"
#include "control.h"
#include "netlink.h"
#include "notify.h"
#include "tunnel.h"

/* Each command its own policy: what it does not use, it refuses. */
static const struct nla_policy gka_get_policy[GRE_KEEPALIVE_A_TUNNEL_IFNAME + 1] = {
	[GRE_KEEPALIVE_A_TUNNEL_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GRE_KEEPALIVE_A_TUNNEL_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

/*
 * Ranges with words of their own (interval, retries) are gka_apply()'s:
 * one checker, one set of messages. Switches and the DSCP, whose range
 * says it all, are the policy's.
 */
static const struct nla_policy gka_set_policy[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY + 1] = {
	[GRE_KEEPALIVE_A_TUNNEL_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GRE_KEEPALIVE_A_TUNNEL_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[GRE_KEEPALIVE_A_TUNNEL_ENABLED] = NLA_POLICY_MAX(NLA_U32, 1),
	[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS] = { .type = NLA_U32 },
	[GRE_KEEPALIVE_A_TUNNEL_RETRIES] = { .type = NLA_U32 },
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT] = NLA_POLICY_MAX(NLA_U32, 1),
	[GRE_KEEPALIVE_A_TUNNEL_DSCP] = NLA_POLICY_MAX(NLA_U32, 63),
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT] = NLA_POLICY_MAX(NLA_U32, 1),
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY] = NLA_POLICY_MAX(NLA_U32, 1),
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

static int gka_put_stats(struct sk_buff *skb, const struct gka_info *info)
{
	int i;

	for (i = 0; i < GKA_STAT_COUNT; i++)
		if (nla_put_u64_64bit(skb, gka_stat_desc[i].nlattr,
				      info->stat[i], GRE_KEEPALIVE_A_TUNNEL_PAD))
			return -EMSGSIZE;
	return 0;
}

/* @cb: the dump the message is part of, else NULL. */
static int gka_fill(struct sk_buff *skb, struct gka_tunnel *kt, u8 cmd,
		    u32 portid, u32 seq, int flags, enum gre_keepalive_reason reason,
		    struct netlink_callback *cb)
{
	struct net_device *dev = kt->dev;
	char name[IFNAMSIZ];
	struct gka_info info;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &gka_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	gka_info(kt, &info);
	/*
	 * Dumps and events run without RTNL, while a rename may be writing
	 * the name in place: a copy, terminated whatever it reads.
	 */
	strscpy(name, dev->name, sizeof(name));
	if (nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, GRE_KEEPALIVE_A_TUNNEL_IFNAME, name) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_ENABLED, info.enabled) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_ADMIN_UP, info.admin_up) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS, info.interval_ms) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_RETRIES, info.retries) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_REFLECT, info.reflect) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_LINE, info.line_up ?
			GRE_KEEPALIVE_LINE_UP : GRE_KEEPALIVE_LINE_DOWN) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_COUNTER, info.counter) ||
	    gka_put_stats(skb, &info) ||
	    (info.suspended &&
	     nla_put_string(skb, GRE_KEEPALIVE_A_TUNNEL_SUSPENDED, info.suspended)) ||
	    (reason && nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_REASON, reason)) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_DSCP, info.dscp) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT, info.reflect_nat) ||
	    nla_put_u32(skb, GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY,
			info.reflect_overlay)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * What gka_fill() puts in one message: a burst of 10,000 events is 10,000
 * of these, not of NLMSG_GOODSIZE. The SUSPENDED reasons are literals
 * well under GKA_WHY_MAX (a longer one would fail the message: events
 * and GET, with a warning).
 */
#define GKA_WHY_MAX 128

static size_t gka_msg_size(void)
{
	return nla_total_size(sizeof(u32)) * 12 +	/* IFINDEX ... REFLECT_OVERLAY */
	       nla_total_size(IFNAMSIZ) +
	       nla_total_size_64bit(sizeof(u64)) * GKA_STAT_COUNT +
	       nla_total_size(GKA_WHY_MAX);
}

void gka_notify(struct gka_tunnel *kt, enum gre_keepalive_reason reason)
{
	struct net *net = dev_net(kt->dev);
	struct sk_buff *skb;

	rcu_read_lock();
	if (!READ_ONCE(gka_nl_registered) ||
	    !genl_has_listeners(&gka_family, net, GKA_MCGRP_EVENTS))
		goto out;
	/* Transitions are announced from softirq context. */
	skb = genlmsg_new(gka_msg_size(), GFP_ATOMIC);
	if (!skb)
		goto out;
	/* Too small would be a bug in gka_msg_size(), and lose events. */
	if (WARN_ON_ONCE(gka_fill(skb, kt, GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF,
				  0, 0, 0, reason, NULL))) {
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
	struct nlattr *idx_attr = info->attrs[GRE_KEEPALIVE_A_TUNNEL_IFINDEX];
	struct nlattr *name_attr = info->attrs[GRE_KEEPALIVE_A_TUNNEL_IFNAME];
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
		gka_check_device(dev, &why);
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
			const struct gka_change *c)
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
	err = gka_apply(kt, c, &who, &why);
	if (err)
		gka_set_err(info->extack, NULL, why);
out:
	rtnl_unlock();
	return err;
}

/*
 * The attributes a SET request gives, as one change. gka_apply() checks
 * the ranges again; checked here too, the error names the attribute.
 */
static int gka_nl_change(struct genl_info *info, struct gka_change *c)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;
	const char *why;
	int err;

	if (attrs[GRE_KEEPALIVE_A_TUNNEL_ENABLED]) {
		c->set |= GKA_SET_ENABLED;
		c->enabled = nla_get_u32(attrs[GRE_KEEPALIVE_A_TUNNEL_ENABLED]);
	}
	attr = attrs[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS];
	if (attr) {
		c->set |= GKA_SET_INTERVAL;
		c->interval_ms = nla_get_u32(attr);
		err = gka_check_interval(c->interval_ms, &why);
		if (err)
			goto bad;
	}
	attr = attrs[GRE_KEEPALIVE_A_TUNNEL_RETRIES];
	if (attr) {
		c->set |= GKA_SET_RETRIES;
		c->retries = nla_get_u32(attr);
		err = gka_check_retries(c->retries, &why);
		if (err)
			goto bad;
	}
	if (attrs[GRE_KEEPALIVE_A_TUNNEL_REFLECT]) {
		c->set |= GKA_SET_REFLECT;
		c->reflect = nla_get_u32(attrs[GRE_KEEPALIVE_A_TUNNEL_REFLECT]);
	}
	if (attrs[GRE_KEEPALIVE_A_TUNNEL_DSCP]) {
		c->set |= GKA_SET_DSCP;
		c->dscp = nla_get_u32(attrs[GRE_KEEPALIVE_A_TUNNEL_DSCP]);
	}
	if (attrs[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT]) {
		c->set |= GKA_SET_REFLECT_NAT;
		c->reflect_nat =
			nla_get_u32(attrs[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT]);
	}
	if (attrs[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY]) {
		c->set |= GKA_SET_REFLECT_OVERLAY;
		c->reflect_overlay =
			nla_get_u32(attrs[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY]);
	}
	if (!c->set) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give ENABLED, INTERVAL_MS, RETRIES, REFLECT, DSCP, REFLECT_NAT or REFLECT_OVERLAY");
		return -EINVAL;
	}
	return 0;

bad:
	gka_set_err(info->extack, attr, why);
	return err;
}

/* Absent attributes keep what is set: the defaults, at first. */
static int gka_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct gka_change c = {};
	int err = gka_nl_change(info, &c);

	if (err)
		return err;
	return gka_nl_apply(skb, info, &c);
}

static int gka_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct gka_tunnel *kt;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(gka_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	kt = gka_nl_tunnel(info);
	if (IS_ERR(kt))
		err = PTR_ERR(kt);
	else
		err = gka_fill(msg, kt, GRE_KEEPALIVE_CMD_TUNNEL_GET, info->snd_portid,
			       info->snd_seq, 0, 0, NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * A dump resumes after the last device it walked past, so that a whole
 * dump walks the namespace's devices once, however many rounds it takes:
 *   cb->args[0]: that device's ifindex (0: none yet);
 *   cb->args[1]: the request was looked at;
 *   cb->args[2]: how many devices were walked past, to resume by position
 *                should that device be gone.
 * Devices that come or go between rounds change dev_base_seq: the
 * messages after that are flagged NLM_F_DUMP_INTR, and the reader knows
 * to ask again. It runs under RCU, not RTNL: a hub's long dump holds up
 * no configuration.
 *
 * The spec gives a dump no attributes: it refuses what it would ignore,
 * here rather than in a start callback, which has no extack to say why
 * on 6.1.
 */
static int gka_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev, *last = NULL;
	long walked = cb->args[2], skip = 0;
	struct gka_tunnel *kt;

	if (!cb->args[1]) {
		if (nlmsg_attrlen(cb->nlh, GENL_HDRLEN)) {
			NL_SET_ERR_MSG(cb->extack, "a dump takes no attributes");
			return -EINVAL;
		}
		cb->args[1] = 1;
	}
	rcu_read_lock();
	cb->seq = READ_ONCE(net->dev_base_seq);
	if (cb->args[0]) {
		last = dev_get_by_index_rcu(net, cb->args[0]);
		if (!last)
			skip = walked;
	}
	dev = list_prepare_entry(last, &net->dev_base_head, dev_list);
	list_for_each_entry_continue_rcu(dev, &net->dev_base_head, dev_list) {
		if (skip) {
			skip--;
			continue;
		}
		kt = gka_tunnel_find(dev);
		if (kt && gka_fill(skb, kt, GRE_KEEPALIVE_CMD_TUNNEL_GET,
				   NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI, 0, cb))
			break;	/* skb full: the next round resumes here */
		cb->args[0] = dev->ifindex;
		walked++;
	}
	rcu_read_unlock();
	cb->args[2] = walked;
	return skb->len;
}

static const struct genl_ops gka_ops[] = {
	{
		.cmd = GRE_KEEPALIVE_CMD_TUNNEL_GET,
		.doit = gka_nl_get,
		.dumpit = gka_nl_dump,
		.policy = gka_get_policy,
		.maxattr = ARRAY_SIZE(gka_get_policy) - 1,
	},
	{
		.cmd = GRE_KEEPALIVE_CMD_TUNNEL_SET,
		.doit = gka_nl_set,
		.policy = gka_set_policy,
		.maxattr = ARRAY_SIZE(gka_set_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family gka_family __ro_after_init = {
	.name = GRE_KEEPALIVE_FAMILY_NAME,
	.version = GRE_KEEPALIVE_FAMILY_VERSION,
	.maxattr = GRE_KEEPALIVE_A_TUNNEL_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = gka_ops,
	.n_ops = ARRAY_SIZE(gka_ops),
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
