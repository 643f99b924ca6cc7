// SPDX-License-Identifier: GPL-2.0
/*
 * gre_keepalive: Cisco-compatible keepalive for Linux GRE tunnels.
 *
 * The module's glue: parameters, the netdevice notifier that ties each
 * tunnel device to its state and sysfs files, and the order in which the
 * pieces come up and go down.
 *
 * A module on a router's receive path must never make the router worse:
 * the notifier never refuses a device, a load either succeeds whole or
 * leaves nothing behind, and the netlink family is the last thing to
 * appear and the first to go, so that no request ever meets a half-built
 * or half-torn-down module.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/gre_keepalive.h>

#include "config.h"
#include "control.h"
#include "netlink.h"
#include "reflect.h"
#include "reply.h"
#include "sysfs.h"
#include "tunnel.h"

static unsigned int default_interval_ms = GRE_KEEPALIVE_INTERVAL_MS_DEFAULT;
module_param(default_interval_ms, uint, 0444);
MODULE_PARM_DESC(default_interval_ms,
		 "Keepalive interval in ms for tunnels enabled without one (10..32767000, default 10000)");

static unsigned int default_retries = GRE_KEEPALIVE_RETRIES_DEFAULT;
module_param(default_retries, uint, 0444);
MODULE_PARM_DESC(default_retries,
		 "Unanswered keepalives before the line protocol goes down (1..255, default 3)");

static unsigned int default_dscp = GRE_KEEPALIVE_DSCP_DEFAULT;
module_param(default_dscp, uint, 0444);
MODULE_PARM_DESC(default_dscp,
		 "DSCP of the probes' inner header for tunnels whose DSCP was never set (0..63, default 48: CS6)");

static bool auto_enable;
module_param(auto_enable, bool, 0444);
MODULE_PARM_DESC(auto_enable,
		 "Enable keepalive with the defaults on every point-to-point gre tunnel that appears (default off; ip6gre tunnels are enabled one by one)");

static bool reflect = true;
module_param(reflect, bool, 0444);
MODULE_PARM_DESC(reflect,
		 "Answer the peer's keepalives on every point-to-point gre tunnel, as a router does (default on; per tunnel with the reflect switch)");

/* Under RTNL. While loading, the first failure over existing tunnels. */
static bool gka_loading = true;
static int gka_load_err;
/* Set under RTNL at unload, so replayed DOWN/UNREGISTER events are ignored. */
static bool gka_stopping;

/*
 * After the load, a tunnel keeps working without what it could not get:
 * the failure is logged and retried at its next event. During the load
 * it fails the load, which then undoes everything.
 */
static void gka_failed(struct net_device *dev, const char *what, int err)
{
	if (gka_loading) {
		pr_err("%s: %s (%d)\n", dev->name, what, err);
		if (!gka_load_err)
			gka_load_err = err;
		return;
	}
	net_warn_ratelimited("%s: %s (%d)\n", dev->name, what, err);
}

static bool gka_current_net_admin(const struct gka_caller *caller,
				  struct user_namespace *ns)
{
	return ns_capable_noaudit(ns, CAP_NET_ADMIN);
}

/*
 * auto_enable on a tunnel we have just met, with the privilege of whoever
 * made it (or loads the module): an unprivileged user namespace gets no
 * sub-second timers from a module default either.
 */
static void gka_auto_enable(struct gka_tunnel *kt)
{
	const struct gka_caller creator = {
		.net_admin = gka_current_net_admin,
	};
	const struct gka_change on = {
		.set = GKA_SET_ENABLED | GKA_SET_INTERVAL | GKA_SET_RETRIES,
		.enabled = true,
		.interval_ms = default_interval_ms,
		.retries = default_retries,
	};
	const char *why;
	int err;

	/*
	 * gre only, as before ip6gre could run keepalive: a host upgraded
	 * with auto_enable=1 must not start probing its ip6gre tunnels,
	 * whose peers may never have been asked to answer.
	 */
	if (!auto_enable || strcmp(kt->dev->rtnl_link_ops->kind, "gre"))
		return;
	err = gka_apply(kt, &on, &creator, &why);
	/* Tunnels that cannot run keepalive (gre0, NBMA, gretap) are skipped. */
	if (err == -EOPNOTSUPP || err == -EPERM)
		pr_debug("%s: not auto-enabled: %s\n", kt->dev->name, why);
	else if (err)
		gka_failed(kt->dev, why, err);
}

/*
 * The tunnel's state; met for the first time, it gets the defaults. Only
 * at its registration is current the tunnel's creator (or the module's
 * loader): met later, after a failed attach, it is not auto-enabled.
 */
static struct gka_tunnel *gka_track(struct net_device *dev, bool registering)
{
	struct gka_tunnel *kt = gka_tunnel_find(dev);
	int err;

	/* Moved between namespaces: it keeps what it had. */
	if (kt) {
		/* Retried at each event until it succeeds. */
		err = registering || kt->sysfs_owner_stale ?
		      gka_sysfs_follow_owner(kt) : 0;
		if (err)
			gka_failed(dev, "cannot hand the keepalive files to the new netns's owner",
				   err);
		return kt;
	}
	kt = gka_attach(dev, default_interval_ms, default_retries, default_dscp,
			reflect, &err);
	if (kt) {
		err = gka_sysfs_add(kt);
		if (err) {
			gka_detach(kt);
			kt = NULL;
		}
	}
	if (!kt) {
		gka_failed(dev, "cannot track the tunnel, keepalive unavailable",
			   err);
		return NULL;
	}
	if (registering)
		gka_auto_enable(kt);
	return kt;
}

static void gka_untrack(struct gka_tunnel *kt)
{
	gka_sysfs_del(kt);
	gka_detach(kt);
}

static int gka_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct gka_tunnel *kt;
	int err;

	if (gka_stopping || !gka_is_tunnel_device(dev))
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_REGISTER:
		gka_track(dev, true);
		break;
	case NETDEV_UNREGISTER:
		/* A move to another netns keeps device, underlay and peer. */
		kt = gka_tunnel_find(dev);
		if (kt && dev->reg_state == NETREG_UNREGISTERING)
			gka_untrack(kt);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		kt = gka_track(dev, false);
		if (!kt)
			break;
		err = gka_dev_event(kt, event);
		if (err)
			gka_failed(dev, "cannot register the reflection hook",
				   err);
		break;
	}
	/* Never a veto: without us the tunnel works as plain Linux's. */
	return NOTIFY_DONE;
}

static struct notifier_block gka_netdev_notifier = {
	.notifier_call = gka_netdev_event,
};

/* Everything the notifier built, undone; the notifier itself too. */
static void gka_teardown(void)
{
	rtnl_lock();
	gka_stopping = true;
	gka_tunnel_drain(gka_untrack);
	rtnl_unlock();
	unregister_netdevice_notifier(&gka_netdev_notifier);
	gka_control_flush();
}

static int __init gka_init(void)
{
	const char *why;
	int err;

	if (gka_check_interval(default_interval_ms, &why) ||
	    gka_check_retries(default_retries, &why) ||
	    gka_check_dscp(default_dscp, &why)) {
		pr_err("bad module parameter: %s\n", why);
		return -EINVAL;
	}

	gka_sysfs_init();
	err = gka_tunnel_module_init();
	if (err)
		return err;
	err = gka_reply_module_init();
	if (err)
		goto err_tunnel;
	err = gka_reflect_module_init();
	if (err)
		goto err_reply;
	/* Replays REGISTER and UP for tunnels that exist already. */
	err = register_netdevice_notifier(&gka_netdev_notifier);
	if (err)
		goto err_reflect;
	rtnl_lock();
	gka_loading = false;
	err = gka_load_err;
	rtnl_unlock();
	if (err) {
		pr_err("cannot take over the existing tunnels (%d)\n", err);
		goto err_tunnels;
	}
	err = gka_nl_init();
	if (err)
		goto err_tunnels;
	pr_info("loaded\n");
	return 0;

err_tunnels:
	gka_teardown();
err_reflect:
	gka_reflect_module_exit();
err_reply:
	gka_reply_module_exit();
err_tunnel:
	/* RCU callbacks must not outlive the module's text, nor its cache. */
	rcu_barrier();
	gka_tunnel_module_exit();
	return err;
}

static void __exit gka_exit(void)
{
	gka_nl_exit();
	/*
	 * Restore every carrier first: unregistering the notifier replays
	 * DOWN for every running tunnel, which is not news to announce.
	 */
	gka_teardown();
	gka_reflect_module_exit();
	gka_reply_module_exit();
	rcu_barrier();
	gka_tunnel_module_exit();
	pr_info("unloaded\n");
}

module_init(gka_init);
module_exit(gka_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("gre-keepalive developers");
MODULE_DESCRIPTION("Cisco-compatible keepalive for GRE tunnels");
MODULE_VERSION(GKA_VERSION);
