// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/<tunnel>/keepalive/: state, statistics, and the same
 * configuration the netlink family offers, with the same checks.
 */
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>

#include "control.h"
#include "sysfs.h"
#include "tunnel.h"

static int gka_sysfs_info(struct device *d, struct gka_info *info)
{
	struct gka_tunnel *kt;

	/* The group is removed before kt is freed, so kt outlives us. */
	rcu_read_lock();
	kt = gka_tunnel_find(to_net_dev(d));
	rcu_read_unlock();
	if (!kt)
		return -ENODEV;
	gka_info(kt, info);
	return 0;
}

#define GKA_SHOW(name, fmt, expr)					\
static ssize_t name##_show(struct device *d,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct gka_info info;						\
	int err = gka_sysfs_info(d, &info);				\
									\
	if (err)							\
		return err;						\
	return sysfs_emit(buf, fmt "\n", expr);				\
}

GKA_SHOW(enabled, "%u", info.enabled)
GKA_SHOW(interval_ms, "%u", info.interval_ms)
GKA_SHOW(retries, "%u", info.retries)
GKA_SHOW(line_protocol, "%s", info.line_up ? "up" : "down")
GKA_SHOW(counter, "%u", info.counter)
GKA_SHOW(reflect, "%u", info.reflect)

/* One read-only file per statistic, named by gka_stat_desc[]. */
struct gka_stat_attr {
	struct device_attribute dattr;
	enum gka_stat stat;
};

static ssize_t gka_stat_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	const struct gka_stat_attr *sa =
		container_of(attr, struct gka_stat_attr, dattr);
	struct gka_info info;
	int err = gka_sysfs_info(d, &info);

	if (err)
		return err;
	return sysfs_emit(buf, "%llu\n", info.stat[sa->stat]);
}

static struct gka_stat_attr gka_stat_attrs[GKA_STAT_COUNT] __ro_after_init;

/* Longer than any number a file takes, with a sign, a 0x and a newline. */
#define GKA_SYSFS_VALUE_MAX	32

enum gka_sysfs_field {
	GKA_FIELD_ENABLED,
	GKA_FIELD_INTERVAL,
	GKA_FIELD_RETRIES,
	GKA_FIELD_REFLECT,
};

static const char *const gka_field_names[] = {
	[GKA_FIELD_ENABLED] = "enabled",
	[GKA_FIELD_INTERVAL] = "interval_ms",
	[GKA_FIELD_RETRIES] = "retries",
	[GKA_FIELD_REFLECT] = "reflect",
};

static bool gka_sysfs_net_admin(const struct gka_caller *caller,
				struct user_namespace *ns)
{
	return ns_capable(ns, CAP_NET_ADMIN);
}

/* One file's value as a configuration change, or why it is none. */
static int gka_sysfs_change(enum gka_sysfs_field field, u32 val,
			    struct gka_change *c, const char **why)
{
	switch (field) {
	case GKA_FIELD_INTERVAL:
		c->set = GKA_SET_INTERVAL;
		c->interval_ms = val;
		return 0;
	case GKA_FIELD_RETRIES:
		c->set = GKA_SET_RETRIES;
		c->retries = val;
		return 0;
	case GKA_FIELD_ENABLED:
		c->set = GKA_SET_ENABLED;
		c->enabled = val;
		*why = "enabled takes 0 or 1";
		break;
	case GKA_FIELD_REFLECT:
		c->set = GKA_SET_REFLECT;
		c->reflect = val;
		*why = "reflect takes 0 or 1";
		break;
	}
	return val > 1 ? -EINVAL : 0;
}

/*
 * Every refusal is logged for the host's administrator; anyone else's, on
 * a budget of their own, so that a loop of bad writes cannot spend the
 * network stack's shared one.
 */
static DEFINE_RATELIMIT_STATE(gka_sysfs_refusals, 5 * HZ, 10);

static void gka_sysfs_refused(const struct net_device *dev,
			      enum gka_sysfs_field field, const char *why)
{
	if (ns_capable_noaudit(&init_user_ns, CAP_NET_ADMIN) ||
	    __ratelimit(&gka_sysfs_refusals))
		pr_info("%s: %s: %s\n", dev->name, gka_field_names[field], why);
}

static ssize_t gka_sysfs_store(struct device *d, const char *buf, size_t len,
			       enum gka_sysfs_field field)
{
	const struct gka_caller who = { .net_admin = gka_sysfs_net_admin };
	struct net_device *dev = to_net_dev(d);
	struct gka_change c = {};
	struct gka_tunnel *kt;
	const char *why, *nul;
	u32 val;
	int err;

	if (!ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN)) {
		err = -EPERM;
		why = "needs CAP_NET_ADMIN in the tunnel's network namespace";
		goto bad;
	}
	/*
	 * One write, one whole value: kernfs cuts a longer write at a page
	 * and hands the rest over as a second value, and kstrtou32() would
	 * stop at a NUL (one at the end, as a C string's, is taken).
	 */
	nul = memchr(buf, '\0', len);
	if (len > GKA_SYSFS_VALUE_MAX || (nul && nul != buf + len - 1)) {
		err = -EINVAL;
		why = "not a single number";
		goto bad;
	}
	err = kstrtou32(buf, 0, &val);
	if (err) {
		why = err == -ERANGE ? "number too large" : "not a number";
		goto bad;
	}
	err = gka_sysfs_change(field, val, &c, &why);
	if (err)
		goto bad;

	/* RTNL is held while this file is removed: never sleep on it. */
	if (!rtnl_trylock())
		return restart_syscall();
	kt = gka_tunnel_find(dev);
	if (kt) {
		err = gka_apply(kt, &c, &who, &why);
	} else {
		err = -ENODEV;
		why = "tunnel is going away";
	}
	rtnl_unlock();
	if (err)
		goto bad;
	return len;

bad:
	gka_sysfs_refused(dev, field, why);
	return err == -ERANGE ? -EINVAL : err;
}

static ssize_t enabled_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	return gka_sysfs_store(d, buf, len, GKA_FIELD_ENABLED);
}

static ssize_t interval_ms_store(struct device *d,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	return gka_sysfs_store(d, buf, len, GKA_FIELD_INTERVAL);
}

static ssize_t retries_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	return gka_sysfs_store(d, buf, len, GKA_FIELD_RETRIES);
}

static ssize_t reflect_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	return gka_sysfs_store(d, buf, len, GKA_FIELD_REFLECT);
}

static DEVICE_ATTR_RW(enabled);
static DEVICE_ATTR_RW(interval_ms);
static DEVICE_ATTR_RW(retries);
static DEVICE_ATTR_RO(line_protocol);
static DEVICE_ATTR_RO(counter);
static DEVICE_ATTR_RW(reflect);

static struct attribute *gka_state_attrs[] __initdata = {
	&dev_attr_enabled.attr,
	&dev_attr_interval_ms.attr,
	&dev_attr_retries.attr,
	&dev_attr_line_protocol.attr,
	&dev_attr_counter.attr,
	&dev_attr_reflect.attr,
};

/* The state files, then the statistics' files: gka_sysfs_init(). */
static struct attribute *gka_attrs[ARRAY_SIZE(gka_state_attrs) +
				   GKA_STAT_COUNT + 1] __ro_after_init;

static const struct attribute_group gka_group = {
	.name = "keepalive",
	.attrs = gka_attrs,
};

void __init gka_sysfs_init(void)
{
	size_t n = ARRAY_SIZE(gka_state_attrs);
	struct gka_stat_attr *sa;
	int i;

	memcpy(gka_attrs, gka_state_attrs, sizeof(gka_state_attrs));
	for (i = 0; i < GKA_STAT_COUNT; i++) {
		sa = &gka_stat_attrs[i];
		sysfs_attr_init(&sa->dattr.attr);
		sa->dattr.attr.name = gka_stat_desc[i].name;
		sa->dattr.attr.mode = 0444;
		sa->dattr.show = gka_stat_show;
		sa->stat = i;
		gka_attrs[n + i] = &sa->dattr.attr;
	}
}

int gka_sysfs_add(struct gka_tunnel *kt)
{
	int err = sysfs_create_group(&kt->dev->dev.kobj, &gka_group);

	kt->sysfs_added = !err;
	return err;
}

/*
 * A device moved to another netns has its own files re-owned by the
 * kernel (netdev_change_owner()), ours not: the new netns's root would
 * find them read-only, while netlink lets it change the tunnel.
 */
int gka_sysfs_follow_owner(struct gka_tunnel *kt)
{
	/* As netdev_change_owner(): root, unless the netns maps its own. */
	kuid_t uid = GLOBAL_ROOT_UID;
	kgid_t gid = GLOBAL_ROOT_GID;
	int err;

	if (!kt->sysfs_added)
		return 0;
	net_ns_get_ownership(dev_net(kt->dev), &uid, &gid);
	err = sysfs_group_change_owner(&kt->dev->dev.kobj, &gka_group, uid,
				       gid);
	kt->sysfs_owner_stale = err;
	return err;
}

void gka_sysfs_del(struct gka_tunnel *kt)
{
	if (kt->sysfs_added)
		sysfs_remove_group(&kt->dev->dev.kobj, &gka_group);
	kt->sysfs_added = false;
}
