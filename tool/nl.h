/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gre-keepalive's generic netlink plumbing on libmnl: family resolution,
 * request/acknowledge with extended acks, and event listening.
 */
#ifndef GK_NL_H
#define GK_NL_H

#include <linux/types.h>

#include <libmnl/libmnl.h>

struct gk_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	__u16 family;	/* gre_keepalive's id */
	__u32 events_grp;	/* its "events" multicast group, 0 if none */
	char *req;		/* request being built */
	char *buf;		/* receive buffer */
	size_t buf_len;
};

struct gk_nl_err {
	int err;		/* positive errno, 0 on success */
	char msg[256];		/* the kernel's extack message, or "" */
};

/*
 * Open a generic netlink socket and resolve the gre_keepalive family.
 * Prints why on failure (module not loaded, ...) and returns -1.
 */
int gk_nl_connect(struct gk_nl *nl);
void gk_nl_close(struct gk_nl *nl);

/* Start a request to the gre_keepalive family in nl's request buffer. */
struct nlmsghdr *gk_nl_request(struct gk_nl *nl, __u8 cmd, __u16 flags);

/*
 * Send nlh and read until its acknowledgment or the end of its dump,
 * passing every data message to cb. Returns 0, or -1 with e filled in.
 */
int gk_nl_talk(struct gk_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data, struct gk_nl_err *e);

/* "gre-keepalive: <extack message> (<strerror>)" on stderr. */
void gk_nl_perror(const struct gk_nl_err *e);

/*
 * Join the "events" group and pass every gre_keepalive message to cb until
 * cb returns MNL_CB_STOP or MNL_CB_ERROR (with errno set), a receive fails
 * or the family goes away (module unloaded). Prints why it stopped unless cb
 * said so. Returns 0 if cb stopped, -1 otherwise.
 */
int gk_nl_listen(struct gk_nl *nl, mnl_cb_t cb, void *data);

#endif /* GK_NL_H */
