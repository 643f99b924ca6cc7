/* SPDX-License-Identifier: GPL-2.0 */
/* The gre_keepalive generic netlink family (notify.h: its events). */
#ifndef _GKA_NETLINK_H
#define _GKA_NETLINK_H

int gka_nl_init(void);
void gka_nl_exit(void);

#endif /* _GKA_NETLINK_H */
