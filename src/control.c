// SPDX-License-Identifier: GPL-2.0
/*
 * A tunnel's lifecycle and its one configuration path. Everything here
 * runs under RTNL, which orders configuration against the tunnel's own
 * changes; the engine and the hooks see the result through their locks.
 */
#include <linux/rtnetlink.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <linux/gre_keepalive.h>

#include "config.h"
#include "control.h"
#include "notify.h"
#include "reply.h"
#include "tunnel.h"

int gka_check_device(const struct net_device *dev, const char **why)
{
	struct gka_match m;

	return gka_tunnel_read(dev, &m, NULL, why);
}

static void gka_sync(struct gka_tunnel *kt)
{
	gka_keepalive_run(kt, kt->ka.enabled && kt->usable &&
			  netif_running(kt->dev));
}

static void gka_disable(struct gka_tunnel *kt)
{
	gka_keepalive_set_enabled(kt, false);
	gka_sync(kt);
	gka_reply_hook_release(kt);
	gka_keepalive_restore_carrier(kt);
}

static void gka_warn_reflect(struct gka_tunnel *kt, int err)
{
	if (err)
		net_warn_ratelimited("%s: cannot register the reflection hook, peer's keepalives go unanswered (%d)\n",
				     kt->dev->name, err);
}

/*
 * Re-read the tunnel's parameters (created, or changed with "ip tunnel
 * change"). A tunnel whose probes or replies look different now restarts
 * its counter; one that can no longer run keepalive is suspended, keeping
 * its configuration. A change that leaves them as they were (TTL, TOS)
 * changes nothing here.
 */
static void gka_reread(struct gka_tunnel *kt)
{
	const char *why = NULL;
	struct gka_match m = {};
	bool usable, changed;

	gka_warn_reflect(kt, gka_reflect_update(kt));
	usable = gka_tunnel_read(kt->dev, &m, NULL, &why) == 0;
	changed = usable != kt->usable || !gka_match_equal(&m, &kt->ka.match);
	if (!changed)
		return;

	if (kt->ka.enabled && kt->usable && !usable)
		gka_log(kt, "%s: keepalive suspended: %s\n", kt->dev->name, why);
	else if (kt->ka.enabled && !kt->usable && usable)
		gka_log(kt, "%s: keepalive resumed\n", kt->dev->name);

	gka_keepalive_run(kt, false);
	gka_keepalive_set_match(kt, &m);
	kt->usable = usable;
	WRITE_ONCE(kt->unusable_why, usable ? NULL : why);

	if (!kt->ka.enabled || !usable) {
		gka_reply_hook_release(kt);
	} else if (gka_reply_hook_hold(kt)) {
		net_warn_ratelimited("%s: keepalive suspended: cannot register receive hook\n",
				     kt->dev->name);
		kt->usable = false;
		WRITE_ONCE(kt->unusable_why, "cannot register receive hook");
	}
	if (kt->ka.enabled && !kt->usable)
		gka_keepalive_restore_carrier(kt);
	gka_sync(kt);
	if (kt->ka.enabled)
		gka_notify(kt, GRE_KEEPALIVE_REASON_TUNNEL_CHANGED);
}

/* Enabling: take the reply hook. Undone by gka_reply_hook_release(). */
static int gka_prepare_enable(struct gka_tunnel *kt, const char **why)
{
	int err;

	/* Read afresh: a change may still be waiting for its re-read. */
	gka_reread(kt);
	if (!kt->usable) {
		*why = kt->unusable_why;
		return -EOPNOTSUPP;
	}
	err = gka_reply_hook_hold(kt);
	if (err)
		*why = "cannot register the receive hook in the tunnel's underlay netns";
	return err;
}

static int gka_permit(const struct gka_caller *who, struct gka_tunnel *kt,
		      const struct gka_privilege *need, const char **why)
{
	bool admin_underlay = true, admin_init = true;

	if (!who)
		return 0;
	if (need->underlay)
		admin_underlay = who->net_admin(who, kt->underlay->user_ns);
	if (need->interval_ms &&
	    need->interval_ms < GKA_UNPRIVILEGED_INTERVAL_MS_MIN)
		admin_init = who->net_admin(who, &init_user_ns);
	return gka_check_privilege(need, admin_underlay, admin_init, why);
}

/*
 * One log line and one event per change, once all of it is applied: the
 * event carries the whole new state, its reason the weightiest part.
 */
/* What a reflection that is on answers besides the standard probes. */
static const char *gka_variants_name(const struct gka_reflector *rf)
{
	if (!rf->on)
		return "";
	if (rf->nat && rf->overlay)
		return " (NAT'd and overlay-addressed peers too)";
	if (rf->nat)
		return " (NAT'd peers too)";
	if (rf->overlay)
		return " (overlay-addressed peers too)";
	return " (standard probes only)";
}

static void gka_announce(struct gka_tunnel *kt, bool enabled, bool disabled,
			 bool timing, bool reflecting)
{
	const char *reflection = "", *variants = "";
	enum gre_keepalive_reason reason;

	if (reflecting) {
		reflection = kt->rf.on ? ", reflection on" : ", reflection off";
		variants = gka_variants_name(&kt->rf);
	}
	if (enabled) {
		gka_log(kt, "%s: keepalive %u ms, retries %u, DSCP %u%s%s\n",
			kt->dev->name, kt->ka.interval_ms, kt->ka.retries,
			kt->ka.dscp, reflection, variants);
		reason = GRE_KEEPALIVE_REASON_ENABLED;
	} else if (disabled) {
		gka_log(kt, "%s: keepalive disabled%s%s\n", kt->dev->name,
			reflection, variants);
		reason = GRE_KEEPALIVE_REASON_DISABLED;
	} else if (timing) {
		gka_log(kt, "%s: keepalive%s changed to %u ms, retries %u, DSCP %u%s%s\n",
			kt->dev->name, kt->ka.enabled ? "" : " (off)",
			kt->ka.interval_ms, kt->ka.retries, kt->ka.dscp,
			reflection, variants);
		reason = GRE_KEEPALIVE_REASON_CHANGED;
	} else if (reflecting) {
		gka_log(kt, "%s: keepalive reflection %s%s\n", kt->dev->name,
			kt->rf.on ? "on" : "off", variants);
		reason = GRE_KEEPALIVE_REASON_REFLECT_CHANGED;
	} else {
		return;
	}
	gka_notify(kt, reason);
}

/*
 * The peer variants answer probes the standard reflection refuses; they
 * are defined for IPv4 gre, whose single peer they send to.
 */
static int gka_check_variants(struct gka_tunnel *kt, bool nat, bool overlay,
			      const char **why)
{
	if ((nat || overlay) && strcmp(kt->dev->rtnl_link_ops->kind, "gre")) {
		*why = nat ? "reflect-nat applies to point-to-point gre tunnels only" :
			     "reflect-overlay applies to point-to-point gre tunnels only";
		return -EOPNOTSUPP;
	}
	return 0;
}

int gka_apply(struct gka_tunnel *kt, const struct gka_change *c,
	      const struct gka_caller *who, const char **why)
{
	struct gka_keepalive *ka = &kt->ka;
	u32 interval = c->set & GKA_SET_INTERVAL ? c->interval_ms :
						  ka->interval_ms;
	u32 retries = c->set & GKA_SET_RETRIES ? c->retries : ka->retries;
	bool enable = c->set & GKA_SET_ENABLED ? c->enabled : ka->enabled;
	bool reflect = c->set & GKA_SET_REFLECT ? c->reflect : kt->rf.on;
	u8 dscp = c->set & GKA_SET_DSCP ? c->dscp : ka->dscp;
	bool nat = c->set & GKA_SET_REFLECT_NAT ? c->reflect_nat : kt->rf.nat;
	bool overlay = c->set & GKA_SET_REFLECT_OVERLAY ? c->reflect_overlay :
							 kt->rf.overlay;
	bool enabling = enable && !ka->enabled;
	bool disabling = !enable && ka->enabled;
	bool variants = nat != kt->rf.nat || overlay != kt->rf.overlay;
	bool reflecting;
	bool timing = interval != ka->interval_ms || retries != ka->retries ||
		      dscp != ka->dscp;
	struct gka_privilege need = {
		.underlay = (reflect && !kt->rf.on) ||
			    (nat && !kt->rf.nat) ||
			    (overlay && !kt->rf.overlay) ||
			    (enable && (enabling || timing)),
	};
	int err;

	ASSERT_RTNL();
	err = gka_check_interval(interval, why);
	if (!err)
		err = gka_check_retries(retries, why);
	if (!err)
		err = gka_check_dscp(dscp, why);
	if (!err)
		err = gka_check_variants(kt, nat, overlay, why);
	if (err)
		return err;
	if (enable && (enabling || interval != ka->interval_ms))
		need.interval_ms = interval;
	err = gka_permit(who, kt, &need, why);
	if (err)
		return err;

	/* What can fail comes first, and is undone if what follows fails. */
	if (enabling) {
		err = gka_prepare_enable(kt, why);
		if (err)
			return err;
	}
	reflecting = reflect != kt->rf.on;
	if (reflecting) {
		err = gka_reflect_set(kt, reflect);
		if (err) {
			if (enabling)
				gka_reply_hook_release(kt);
			*why = "cannot register the reflection hook in the tunnel's netns";
			return err;
		}
	}
	if (variants)
		gka_reflect_set_variants(kt, nat, overlay);
	reflecting |= variants;
	if (timing) {
		gka_keepalive_set_timing(kt, interval, retries);
		gka_keepalive_set_dscp(kt, dscp);
	}
	if (enabling) {
		gka_keepalive_set_enabled(kt, true);
		gka_sync(kt);
	} else if (disabling) {
		gka_disable(kt);
	}
	gka_announce(kt, enabling, disabling, timing, reflecting);
	return 0;
}

const struct gka_stat_desc gka_stat_desc[GKA_STAT_COUNT] = {
	[GKA_STAT_PROBES_SENT] = { "probes_sent", GRE_KEEPALIVE_A_TUNNEL_PROBES_SENT },
	[GKA_STAT_PROBE_ERRORS] = { "probe_errors", GRE_KEEPALIVE_A_TUNNEL_PROBE_ERRORS },
	[GKA_STAT_REPLIES] = { "replies", GRE_KEEPALIVE_A_TUNNEL_REPLIES },
	[GKA_STAT_TRANSITIONS] = { "transitions", GRE_KEEPALIVE_A_TUNNEL_TRANSITIONS },
	[GKA_STAT_LAST_CHANGE_NS] = { "last_change_ns", GRE_KEEPALIVE_A_TUNNEL_LAST_CHANGE_NS },
	[GKA_STAT_LAST_REPLY_NS] = { "last_reply_ns", GRE_KEEPALIVE_A_TUNNEL_LAST_REPLY_NS },
	[GKA_STAT_REFLECTED] = { "reflected", GRE_KEEPALIVE_A_TUNNEL_REFLECTED },
	[GKA_STAT_PASSED] = { "passed", GRE_KEEPALIVE_A_TUNNEL_PASSED },
};

void gka_info(struct gka_tunnel *kt, struct gka_info *info)
{
	struct gka_keepalive *ka = &kt->ka;
	struct gka_reflector *rf = &kt->rf;

	spin_lock_bh(&ka->lock);
	info->enabled = ka->enabled;
	info->active = ka->active;
	info->line_up = ka->state.line_up;
	info->interval_ms = ka->interval_ms;
	info->retries = ka->retries;
	info->dscp = ka->dscp;
	info->counter = ka->state.counter;
	info->stat[GKA_STAT_PROBES_SENT] = ka->probes_sent;
	info->stat[GKA_STAT_PROBE_ERRORS] = ka->probe_errors;
	info->stat[GKA_STAT_REPLIES] = ka->state.replies;
	info->stat[GKA_STAT_TRANSITIONS] = ka->state.transitions;
	info->stat[GKA_STAT_LAST_CHANGE_NS] = ka->last_change_ns;
	info->stat[GKA_STAT_LAST_REPLY_NS] = ka->last_reply_ns;
	spin_unlock_bh(&ka->lock);

	spin_lock_bh(&rf->lock);
	info->reflect = rf->on;
	info->reflect_nat = rf->nat;
	info->reflect_overlay = rf->overlay;
	info->stat[GKA_STAT_REFLECTED] = rf->reflected;
	info->stat[GKA_STAT_PASSED] = rf->passed;
	spin_unlock_bh(&rf->lock);

	info->admin_up = READ_ONCE(kt->dev->flags) & IFF_UP;
	info->suspended = info->enabled ? READ_ONCE(kt->unusable_why) : NULL;
}

/*
 * ipgre_changelink() announces NETDEV_CHANGE before it stores the new GRE
 * flags, so a changed tunnel is read again once RTNL is free. The list
 * and the tunnels on it are RTNL's: a tunnel leaves the list before it is
 * freed, so the work never holds a tunnel of its own.
 */
static LIST_HEAD(gka_reread_list);

/*
 * Every line-protocol transition is a NETDEV_CHANGE too (linkwatch's), so
 * an underlay failure queues every tunnel over it: a few at a time, as
 * linkwatch does, so that RTNL is let go between them.
 */
#define GKA_REREAD_BATCH 100

static void gka_reread_pending(struct work_struct *work);
static DECLARE_WORK(gka_reread_work, gka_reread_pending);

static void gka_reread_pending(struct work_struct *work)
{
	struct gka_tunnel *kt;
	int budget = GKA_REREAD_BATCH;

	rtnl_lock();
	while (budget-- &&
	       (kt = list_first_entry_or_null(&gka_reread_list,
					      struct gka_tunnel, reread_node))) {
		list_del_init(&kt->reread_node);
		gka_reread(kt);
	}
	if (!list_empty(&gka_reread_list))
		schedule_work(&gka_reread_work);
	rtnl_unlock();
}

int gka_dev_event(struct gka_tunnel *kt, unsigned long event)
{
	int err = 0;

	ASSERT_RTNL();
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
		err = gka_reflect_update(kt);
		/* Admin up restarts from scratch, as "no shutdown" does. */
		gka_sync(kt);
		if (kt->ka.enabled)
			gka_notify(kt, event == NETDEV_UP ?
				   GRE_KEEPALIVE_REASON_ADMIN_UP :
				   GRE_KEEPALIVE_REASON_ADMIN_DOWN);
		break;
	case NETDEV_CHANGE:
		/*
		 * Inside ipgre_changelink() the addresses are new, the GRE
		 * flags not yet: the rest is read once it is done.
		 */
		gka_warn_reflect(kt, gka_reflect_update(kt));
		if (list_empty(&kt->reread_node))
			list_add_tail(&kt->reread_node, &gka_reread_list);
		schedule_work(&gka_reread_work);
		break;
	}
	return err;
}

struct gka_tunnel *gka_attach(struct net_device *dev, u32 interval_ms,
			      u32 retries, u8 dscp, bool reflect, int *err)
{
	struct gka_tunnel *kt;
	struct gka_ends ends;
	struct gka_match m;

	ASSERT_RTNL();
	kt = gka_tunnel_alloc(dev);
	if (!kt) {
		*err = -ENOMEM;
		return NULL;
	}
	kt->usable = !gka_tunnel_read(dev, &m, &ends, &kt->unusable_why);
	gka_keepalive_init(kt, interval_ms, retries, dscp);
	if (kt->usable)
		kt->ka.match = m;
	gka_reflect_init(kt, reflect, &ends);
	gka_tunnel_add(kt);
	return kt;
}

void gka_detach(struct gka_tunnel *kt)
{
	ASSERT_RTNL();
	list_del_init(&kt->reread_node);
	if (kt->ka.enabled) {
		gka_notify(kt, GRE_KEEPALIVE_REASON_TUNNEL_GONE);
		gka_disable(kt);
	}
	gka_reflect_set(kt, false);
	gka_tunnel_remove(kt);
}

void gka_control_flush(void)
{
	cancel_work_sync(&gka_reread_work);
	gka_log_flush();
}
