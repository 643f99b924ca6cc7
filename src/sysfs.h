/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/class/net/<tunnel>/keepalive/: state, statistics and configuration. */
#ifndef _GKA_SYSFS_H
#define _GKA_SYSFS_H

struct gka_tunnel;

void gka_sysfs_init(void);

/* Under RTNL. */
int gka_sysfs_add(struct gka_tunnel *kt);
/* The device moved to another netns: the files follow its owner. */
int gka_sysfs_follow_owner(struct gka_tunnel *kt);
void gka_sysfs_del(struct gka_tunnel *kt);

#endif /* _GKA_SYSFS_H */
