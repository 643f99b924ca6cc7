/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gre_keepalive: Cisco-style keepalive for Linux GRE tunnels.
 *
 * Shared by the kernel module and the gre-keepalive tool. Everything the
 * kernel accepts or reports about a tunnel's keepalive is defined here.
 */
#ifndef _UAPI_LINUX_GRE_KEEPALIVE_H
#define _UAPI_LINUX_GRE_KEEPALIVE_H

#define GRE_KEEPALIVE_GENL_NAME		"gre_keepalive"
#define GRE_KEEPALIVE_GENL_VERSION	1
#define GRE_KEEPALIVE_MCGRP_EVENTS	"events"

/*
 * Interval in milliseconds. Cisco's floor is 1 s; we go down to 10 ms for
 * fast failover, and up to Cisco's 32767 s ceiling.
 */
#define GRE_KEEPALIVE_INTERVAL_MS_MIN		10U
#define GRE_KEEPALIVE_INTERVAL_MS_MAX		32767000U
#define GRE_KEEPALIVE_INTERVAL_MS_DEFAULT	10000U

#define GRE_KEEPALIVE_RETRIES_MIN	1U
#define GRE_KEEPALIVE_RETRIES_MAX	255U
#define GRE_KEEPALIVE_RETRIES_DEFAULT	3U

enum gre_keepalive_cmd {
	GRE_KEEPALIVE_CMD_UNSPEC,
	GRE_KEEPALIVE_CMD_SET,		/* enable, or change interval/retries */
	GRE_KEEPALIVE_CMD_DEL,		/* disable */
	GRE_KEEPALIVE_CMD_GET,		/* one tunnel, or dump all */
	GRE_KEEPALIVE_CMD_EVENT,	/* multicast: transition or config change */
	GRE_KEEPALIVE_CMD_REFLECT,	/* switch answering the peer's probes */

	__GRE_KEEPALIVE_CMD_MAX,
	GRE_KEEPALIVE_CMD_MAX = __GRE_KEEPALIVE_CMD_MAX - 1
};

enum gre_keepalive_line {
	GRE_KEEPALIVE_LINE_DOWN,
	GRE_KEEPALIVE_LINE_UP,
};

/* Why an event was sent (GRE_KEEPALIVE_A_REASON). */
enum gre_keepalive_reason {
	GRE_KEEPALIVE_REASON_UNSPEC,
	GRE_KEEPALIVE_REASON_ENABLED,		/* keepalive turned on */
	GRE_KEEPALIVE_REASON_CHANGED,		/* interval or retries changed */
	GRE_KEEPALIVE_REASON_DISABLED,		/* keepalive turned off */
	GRE_KEEPALIVE_REASON_TIMEOUT,		/* retries probes unanswered */
	GRE_KEEPALIVE_REASON_REPLY,		/* a reply brought the line up */
	GRE_KEEPALIVE_REASON_ADMIN_UP,		/* tunnel set up: restart */
	GRE_KEEPALIVE_REASON_TUNNEL_CHANGED,	/* tunnel parameters changed */
	GRE_KEEPALIVE_REASON_TUNNEL_GONE,	/* tunnel deleted */
	GRE_KEEPALIVE_REASON_ADMIN_DOWN,	/* tunnel set down: probing stops */
	GRE_KEEPALIVE_REASON_REFLECT_CHANGED,	/* reflection switched on/off */
};

enum gre_keepalive_attr {
	GRE_KEEPALIVE_A_UNSPEC,
	GRE_KEEPALIVE_A_PAD,
	GRE_KEEPALIVE_A_IFINDEX,		/* u32 */
	GRE_KEEPALIVE_A_IFNAME,			/* string */
	GRE_KEEPALIVE_A_ENABLED,		/* u8, 0 or 1 */
	GRE_KEEPALIVE_A_INTERVAL_MS,		/* u32 */
	GRE_KEEPALIVE_A_RETRIES,		/* u32 */
	GRE_KEEPALIVE_A_LINE,			/* u8, enum gre_keepalive_line */
	GRE_KEEPALIVE_A_COUNTER,		/* u32, probes since last reply */
	GRE_KEEPALIVE_A_PROBES_SENT,		/* u64 */
	GRE_KEEPALIVE_A_PROBE_ERRORS,		/* u64, probes that could not be sent */
	GRE_KEEPALIVE_A_REPLIES,		/* u64 */
	GRE_KEEPALIVE_A_TRANSITIONS,		/* u64 */
	GRE_KEEPALIVE_A_LAST_CHANGE_NS,		/* u64, CLOCK_REALTIME ns, 0 = never */
	GRE_KEEPALIVE_A_LAST_REPLY_NS,		/* u64, CLOCK_REALTIME ns, 0 = never */
	GRE_KEEPALIVE_A_REASON,			/* u8, enum gre_keepalive_reason */
	GRE_KEEPALIVE_A_SUSPENDED,		/* string: why an enabled tunnel
						 * cannot probe right now
						 */
	GRE_KEEPALIVE_A_ADMIN_UP,		/* u8: tunnel is admin up */
	GRE_KEEPALIVE_A_REFLECT,		/* u8, 0 or 1: answer the peer's
						 * keepalives
						 */
	GRE_KEEPALIVE_A_REFLECTED,		/* u64, peer's probes sent back */
	GRE_KEEPALIVE_A_PASSED,			/* u64, packets claiming to be
						 * probes that were not ours
						 * to answer, left to the stack
						 */

	__GRE_KEEPALIVE_A_MAX,
	GRE_KEEPALIVE_A_MAX = __GRE_KEEPALIVE_A_MAX - 1
};

#endif /* _UAPI_LINUX_GRE_KEEPALIVE_H */
