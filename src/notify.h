/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one call from the engine to the control plane: tell listeners that
 * a tunnel changed, and why. Any context; netlink.c implements it.
 */
#ifndef _GKA_NOTIFY_H
#define _GKA_NOTIFY_H

#include <linux/gre_keepalive.h>

struct gka_tunnel;

void gka_notify(struct gka_tunnel *kt, enum gre_keepalive_reason reason);

#endif /* _GKA_NOTIFY_H */
