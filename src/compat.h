/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences between the kernels gre_keepalive builds for,
 * Debian's 5.10 (bullseye) to 7.3 (experimental), in one place.
 *
 * The sources are written against today's kernel API; on older kernels
 * this header provides the upstream names (netdev_hold(), hrtimer_setup(),
 * skb_clear_tstamp(), struct ip_tunnel_parm_kern, ...) with the upstream
 * meaning, the way WireGuard's out-of-tree compat layer does.
 *
 * Features are tested, not versions (stable and distribution kernels
 * backport, and checkpatch refuses LINUX_VERSION_CODE): by a macro of the
 * API itself, or by a GKA_HAVE_* flag that Kbuild sets after looking in
 * the headers being built against.
 */
#ifndef GKA_COMPAT_H
#define GKA_COMPAT_H

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/ip_tunnels.h>

/*
 * 6.12 moved <asm/unaligned.h> to <linux/unaligned.h> (older kernels only
 * have the former, 6.12 and later only the latter). Kbuild looks, because
 * __has_include() is beyond sparse 0.6.4 (Debian 12).
 */
#ifdef GKA_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * <net/inet_dscp.h> (5.17) names the DSCP bits of the DS field; routing
 * looks at them alone (INET_DSCP_MASK replaces RT_TOS() upstream).
 */
#ifdef GKA_HAVE_INET_DSCP_H
#include <net/inet_dscp.h>
#else
#define INET_DSCP_MASK 0xfc
#endif

/*
 * 5.17 gave device references a tracker (netdevice_tracker, with
 * dev_hold_track()), 6.0 named the pair netdev_hold()/netdev_put(). Before,
 * a plain dev_hold()/dev_put(): the tracker is an empty struct, as it is
 * upstream without CONFIG_NET_DEV_REFCNT_TRACKER. (The 5.17 to 5.19 case
 * is not built here: Debian shipped those only in bullseye-backports.)
 */
#ifndef GKA_HAVE_NETDEVICE_TRACKER
struct gka_netdevice_tracker {};
#define netdevice_tracker struct gka_netdevice_tracker
#endif

#ifndef GKA_HAVE_NETDEV_HOLD
static inline void netdev_hold(struct net_device *dev, void *tracker, gfp_t gfp)
{
#ifdef GKA_HAVE_NETDEVICE_TRACKER
	dev_hold_track(dev, tracker, gfp);
#else
	dev_hold(dev);
#endif
}

static inline void netdev_put(struct net_device *dev, void *tracker)
{
#ifdef GKA_HAVE_NETDEVICE_TRACKER
	dev_put_track(dev, tracker);
#else
	dev_put(dev);
#endif
}
#endif

/*
 * 5.18 gave skb->tstamp a second meaning (a delivery time, set by the
 * sender) and skb_clear_tstamp() to clear a receive timestamp alone.
 * Before, a timestamp is a receive timestamp, cleared as forwarding does.
 */
#ifndef GKA_HAVE_SKB_CLEAR_TSTAMP
static inline void skb_clear_tstamp(struct sk_buff *skb)
{
	skb->tstamp = 0;
}
#endif

/*
 * 6.10 gave struct ip_tunnel a kernel-only parameter block, struct
 * ip_tunnel_parm_kern, whose i_flags/o_flags are bitmaps
 * (IP_TUNNEL_DECLARE_FLAGS) tested with test_bit(IP_TUNNEL_*_BIT, ...);
 * before, t->parms was the UAPI struct ip_tunnel_parm with __be16 flags
 * and TUNNEL_* masks. The TUNNEL_* masks are gone in 6.12.
 *
 *	const struct gka_ip_tunnel_parm *p = &t->parms;
 *	if (gka_tunnel_flag(p->i_flags, GKA_TUNNEL_SEQ)) ...
 *	gka_tunnel_set_flag(p.i_flags, GKA_TUNNEL_KEY);	(KUnit tests)
 */
#ifdef IP_TUNNEL_DECLARE_FLAGS
#define gka_ip_tunnel_parm		ip_tunnel_parm_kern
#define GKA_TUNNEL_CSUM			IP_TUNNEL_CSUM_BIT
#define GKA_TUNNEL_KEY			IP_TUNNEL_KEY_BIT
#define GKA_TUNNEL_SEQ			IP_TUNNEL_SEQ_BIT
#define gka_tunnel_flag(flags, bit)	test_bit(bit, flags)
#define gka_tunnel_set_flag(flags, bit)	__set_bit(bit, flags)
#else
#define gka_ip_tunnel_parm		ip_tunnel_parm
#define GKA_TUNNEL_CSUM			TUNNEL_CSUM
#define GKA_TUNNEL_KEY			TUNNEL_KEY
#define GKA_TUNNEL_SEQ			TUNNEL_SEQ
#define gka_tunnel_flag(flags, mask)	(!!((flags) & (mask)))
#define gka_tunnel_set_flag(flags, mask)	((flags) |= (mask))
#endif

/*
 * 6.13 added hrtimer_setup(timer, function, clock, mode) to replace
 * hrtimer_init() followed by setting ->function, and later kernels drop
 * hrtimer_init().
 */
#ifndef GKA_HAVE_HRTIMER_SETUP
static inline void
hrtimer_setup(struct hrtimer *timer,
	      enum hrtimer_restart (*function)(struct hrtimer *),
	      clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * 6.1 added genl_family.resv_start_op: commands from it on have the
 * reserved bytes of their header checked. 5.10 has no such field, and
 * checks nothing there: netlink.c sets it where GKA_HAVE_GENL_RESV_START_OP
 * says it exists (a struct member cannot be provided by a header).
 */

#endif /* GKA_COMPAT_H */
