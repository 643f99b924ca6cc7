/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels gre_keepalive builds for:
 * Debian 12's 6.1 (the reference), 6.6 and 6.12 (bookworm-backports), and
 * the first changes after 6.12. Each helper has the 6.1 spelling on old
 * kernels and the new one where the API changed, so that the sources use
 * one spelling and no file is forked.
 *
 * Features are tested, not versions (stable and distribution kernels
 * backport, and checkpatch refuses LINUX_VERSION_CODE): by a macro of the
 * API itself, or by a GKA_HAVE_* flag that Kbuild sets after looking in
 * the kernel headers.
 */
#ifndef GKA_COMPAT_H
#define GKA_COMPAT_H

#include <linux/bitops.h>
#include <linux/hrtimer.h>
#include <net/ip_tunnels.h>

/*
 * 6.12 moved <asm/unaligned.h> to <linux/unaligned.h> (6.1 and 6.6 only
 * have the former; 6.12's headers only the latter). Kbuild looks, because
 * __has_include() is beyond sparse 0.6.4 (Debian 12).
 */
#ifdef GKA_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
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
 * hrtimer_init(); 6.1, 6.6 and 6.12 have only hrtimer_init().
 */
#ifndef GKA_HAVE_HRTIMER_SETUP
static inline void
gka_hrtimer_setup(struct hrtimer *timer,
		  enum hrtimer_restart (*function)(struct hrtimer *),
		  clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#else
#define gka_hrtimer_setup	hrtimer_setup
#endif

#endif /* GKA_COMPAT_H */
