// SPDX-License-Identifier: GPL-2.0
/*
 * gre_keepalive: Cisco-compatible keepalive for Linux GRE tunnels.
 *
 * Module parameters, netdevice notifier and the order in which the pieces
 * come up and go down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "config.h"
#include "gre_keepalive.h"

static unsigned int default_interval_ms = GRE_KEEPALIVE_INTERVAL_MS_DEFAULT;
module_param(default_interval_ms, uint, 0444);
MODULE_PARM_DESC(default_interval_ms,
		 "Keepalive interval in ms for tunnels enabled without one (10..32767000, default 10000)");

static unsigned int default_retries = GRE_KEEPALIVE_RETRIES_DEFAULT;
module_param(default_retries, uint, 0444);
MODULE_PARM_DESC(default_retries,
		 "Unanswered keepalives before the line protocol goes down (1..255, default 3)");

static bool auto_enable;
module_param(auto_enable, bool, 0444);
MODULE_PARM_DESC(auto_enable,
		 "Enable keepalive with the defaults on every point-to-point gre tunnel that appears (default off)");

static bool reflect = true;
module_param(reflect, bool, 0444);
MODULE_PARM_DESC(reflect,
		 "Answer the peer's keepalives on every point-to-point gre tunnel, as a router does (default on; per tunnel with the reflect switch)");

/* Set under RTNL at unload, so replayed DOWN/UNREGISTER events are ignored. */
static bool gka_stopping;

static void gka_auto_enable(struct net_device *dev)
{
	struct gka_tunnel *kt = gka_tunnel_find(dev);
	const char *why;

	if (!auto_enable || !kt || kt->enabled)
		return;
	/* Tunnels that cannot run keepalive (gre0, NBMA, gretap) are skipped. */
	if (gka_tunnel_set(kt, kt->interval_ms, kt->retries, &why))
		pr_debug("%s: not auto-enabled: %s\n", dev->name, why);
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
		err = gka_tunnel_attach(dev, default_interval_ms,
					default_retries, reflect);
		if (err)
			return notifier_from_errno(err);
		gka_auto_enable(dev);
		break;
	case NETDEV_UNREGISTER:
		/* A move to another netns keeps device, underlay and peer. */
		if (dev->reg_state == NETREG_UNREGISTERING)
			gka_tunnel_detach(dev);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		kt = gka_tunnel_find(dev);
		if (kt)
			gka_tunnel_dev_event(kt, event);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block gka_netdev_notifier = {
	.notifier_call = gka_netdev_event,
};

static int __init gka_init(void)
{
	const char *why;
	int err;

	if (gka_check_interval(default_interval_ms, &why) ||
	    gka_check_retries(default_retries, &why)) {
		pr_err("bad module parameter: %s\n", why);
		return -EINVAL;
	}

	err = gka_rx_init();
	if (err)
		return err;
	err = gka_nl_init();
	if (err)
		goto err_rx;
	/* Replays REGISTER and UP for tunnels that exist already. */
	err = register_netdevice_notifier(&gka_netdev_notifier);
	if (err)
		goto err_nl;
	pr_info("loaded\n");
	return 0;

err_nl:
	gka_nl_exit();
err_rx:
	gka_rx_exit();
	return err;
}

static void __exit gka_exit(void)
{
	/*
	 * Restore every carrier first: unregistering the notifier replays
	 * DOWN for every running tunnel, which is not news to announce.
	 */
	rtnl_lock();
	gka_stopping = true;
	gka_tunnel_detach_all();
	rtnl_unlock();
	unregister_netdevice_notifier(&gka_netdev_notifier);
	gka_nl_exit();
	gka_rx_exit();
	/* kfree_rcu() callbacks must not outlive the module's text. */
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(gka_init);
module_exit(gka_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("gre-keepalive developers");
MODULE_DESCRIPTION("Cisco-compatible keepalive for GRE tunnels");
MODULE_VERSION("0.1.0");
