/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reply hooks: keepalive replies caught at LOCAL_IN of each underlay
 * netns that carries a tunnel with keepalive enabled, IPv4's for gre,
 * IPv6's for ip6gre.
 */
#ifndef _GKA_REPLY_H
#define _GKA_REPLY_H

struct gka_tunnel;

/*
 * Under RTNL: the hook in @kt's underlay, while keepalive needs it. For
 * ip6gre, hold again after its match changed: replies are found by it.
 */
int gka_reply_hook_hold(struct gka_tunnel *kt);
void gka_reply_hook_release(struct gka_tunnel *kt);

int gka_reply_module_init(void);
void gka_reply_module_exit(void);

#endif /* _GKA_REPLY_H */
