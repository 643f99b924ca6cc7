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
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/gre.h>
#include <net/ip6_tunnel.h>
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
 * upstream without CONFIG_NET_DEV_REFCNT_TRACKER. (The 5.17 to 5.19 case,
 * dev_hold_track(), is not among the kernels built by make check.)
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
 * 6.10 gave struct ip_tunnel a kernel-side parameter block, struct
 * ip_tunnel_parm_kern, whose i_flags/o_flags are bitmaps
 * (IP_TUNNEL_DECLARE_FLAGS) tested with test_bit(IP_TUNNEL_*_BIT, ...);
 * before, t->parms was the UAPI struct ip_tunnel_parm with __be16 flags
 * and TUNNEL_* masks (gone in 6.12). On older kernels the 6.10 struct and
 * bit numbers are defined here as upstream has them, so that the sources
 * and tests use only those.
 *
 * What no upstream spelling can do is read a live tunnel's parameters on
 * both: the same expression cannot test a __be16 and a bitmap. That one
 * step is gka_tunnel_parms(), a copy of the tunnel's parameters in the
 * 6.10 form (a plain copy from 6.10 on). Under RTNL, which
 * ip_tunnel_update() holds. Likewise ip_tunnel_lookup() takes the flags
 * in either form: gka_ip_tunnel_lookup() asks it about a key alone.
 */
#ifndef IP_TUNNEL_DECLARE_FLAGS
/* The TUNNEL_* masks, __cpu_to_be16(BIT(n)), are bit n here. */
enum {
	IP_TUNNEL_CSUM_BIT = 0U,
	IP_TUNNEL_ROUTING_BIT,
	IP_TUNNEL_KEY_BIT,
	IP_TUNNEL_SEQ_BIT,
	__IP_TUNNEL_FLAG_NUM = BITS_PER_TYPE(__be16),
};

#define IP_TUNNEL_DECLARE_FLAGS(...)	\
	DECLARE_BITMAP(__VA_ARGS__, __IP_TUNNEL_FLAG_NUM)

static inline void ip_tunnel_flags_from_be16(unsigned long *dst, __be16 flags)
{
	bitmap_zero(dst, __IP_TUNNEL_FLAG_NUM);
	dst[0] = be16_to_cpu(flags);
}

struct ip_tunnel_parm_kern {
	char			name[IFNAMSIZ];
	IP_TUNNEL_DECLARE_FLAGS(i_flags);
	IP_TUNNEL_DECLARE_FLAGS(o_flags);
	__be32			i_key;
	__be32			o_key;
	int			link;
	struct iphdr		iph;
};

static inline void gka_tunnel_parms(struct ip_tunnel_parm_kern *p,
				    const struct ip_tunnel *t)
{
	memcpy(p->name, t->parms.name, sizeof(p->name));
	ip_tunnel_flags_from_be16(p->i_flags, t->parms.i_flags);
	ip_tunnel_flags_from_be16(p->o_flags, t->parms.o_flags);
	p->i_key = t->parms.i_key;
	p->o_key = t->parms.o_key;
	p->link = t->parms.link;
	p->iph = t->parms.iph;
}

static inline struct ip_tunnel *
gka_ip_tunnel_lookup(struct ip_tunnel_net *itn, int link, bool with_key,
		     __be32 remote, __be32 local, __be32 key)
{
	return ip_tunnel_lookup(itn, link, with_key ? TUNNEL_KEY : 0, remote,
				local, key);
}

/*
 * The same step for ip6gre, whose struct __ip6_tnl_parm changed alike:
 * its i_flags or o_flags @src into the 6.10 bitmap @dst.
 */
#define gka_ip6_tnl_flags_copy(dst, src) ip_tunnel_flags_from_be16(dst, src)

/* gre_build_header() took the flags as __be16 before 6.10. */
static inline void gka_gre_build_header(struct sk_buff *skb,
					const unsigned long *flags,
					__be16 proto, __be32 key)
{
	__be16 f = cpu_to_be16(flags[0]);

	gre_build_header(skb, gre_calc_hlen(f), f, proto, key, 0);
}
#else
static inline void gka_tunnel_parms(struct ip_tunnel_parm_kern *p,
				    const struct ip_tunnel *t)
{
	*p = t->parms;
}

static inline struct ip_tunnel *
gka_ip_tunnel_lookup(struct ip_tunnel_net *itn, int link, bool with_key,
		     __be32 remote, __be32 local, __be32 key)
{
	IP_TUNNEL_DECLARE_FLAGS(flags) = { };

	if (with_key)
		__set_bit(IP_TUNNEL_KEY_BIT, flags);
	return ip_tunnel_lookup(itn, link, flags, remote, local, key);
}

#define gka_ip6_tnl_flags_copy(dst, src) ip_tunnel_flags_copy(dst, src)

static inline void gka_gre_build_header(struct sk_buff *skb,
					const unsigned long *flags,
					__be16 proto, __be32 key)
{
	gre_build_header(skb, gre_calc_hlen(flags), flags, proto, key, 0);
}
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

#endif /* GKA_COMPAT_H */
