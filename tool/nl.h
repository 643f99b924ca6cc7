/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gre-keepalive's generic netlink plumbing on libmnl: family resolution,
 * request/acknowledge with extended acks, and event listening.
 *
 * The family is looked up in one place, here, by name
 * (GRE_KEEPALIVE_FAMILY_NAME), whether to talk to it, to learn that it is
 * there at all, or to tell its registration and removal (nlctrl's
 * notifications) from other families'.
 */
#ifndef GK_NL_H
#define GK_NL_H

#include <stdbool.h>

#include <linux/types.h>

#include <libmnl/libmnl.h>

#include "values.h"

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
 * Prints why on failure (module not loaded, a module of another netlink
 * version, ...) and returns -1.
 */
int gk_nl_connect(struct gk_nl *nl);
void gk_nl_close(struct gk_nl *nl);

/*
 * Is the gre_keepalive family registered? Asked on a socket of its own;
 * errors other than its absence are printed (and count as absent).
 */
bool gk_nl_family_present(void);

/*
 * Open a generic netlink socket that receives nlctrl's notifications (the
 * "notify" group: families registered and removed), with a receive buffer
 * of rcvbuf bytes (0: the default). Prints why on failure and returns -1.
 */
int gk_nl_open_ctrl_events(struct gk_nl *nl, int rcvbuf);

enum gk_family_event {
	GK_FAMILY_OTHER,	/* not about gre_keepalive */
	GK_FAMILY_NEW,		/* gre_keepalive registered: module loaded */
	GK_FAMILY_DEL,		/* gre_keepalive removed: module unloaded */
};

/* What an nlctrl message says about the gre_keepalive family. */
enum gk_family_event gk_nl_family_event(const struct nlmsghdr *nlh);

/* Start a request to the gre_keepalive family in nl's request buffer. */
struct nlmsghdr *gk_nl_request(struct gk_nl *nl, __u8 cmd, __u16 flags);

/*
 * Send nlh and read until its acknowledgment or the end of its dump,
 * passing every data message to cb. Returns 0, or -1 with e filled in;
 * EAGAIN if the kernel flagged the dump as interrupted (devices came or
 * went while it ran): cb has seen all of it, which may have missed or
 * repeated some; asked again, it may be whole.
 */
int gk_nl_talk(struct gk_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data, struct gk_nl_err *e);

/*
 * TUNNEL_SET on tunnel dev with the settings s gives: the kernel applies
 * them as one change, or none of them. Returns 0, or -1 with e filled in.
 */
int gk_nl_set(struct gk_nl *nl, const char *dev, const struct gk_settings *s,
	      struct gk_nl_err *e);

/* One TUNNEL_SET of a batch, and what the kernel said to it. */
struct gk_nl_set_req {
	const char *dev;
	const struct gk_settings *s;
	struct gk_nl_err e;
};

/* The longest TUNNEL_SET: headers (20), a name (20), seven u32s (56). */
#define GK_NL_SET_MAX	128

/*
 * gk_nl_set() for each of v[0..n), in one send: each is still a change of
 * its own, with its own answer in v[i].e, the kernel applies them in
 * order. For a hub's thousands of tunnels, a batch at a time (the answers
 * must fit the socket's receive buffer: GK_NL_SET_BATCH). Returns 0, or -1
 * with errno if the batch could not be sent or its answers read.
 */
#define GK_NL_SET_BATCH	64
int gk_nl_set_many(struct gk_nl *nl, struct gk_nl_set_req *v, size_t n);

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
