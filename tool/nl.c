// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing for gre-keepalive.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/gre_keepalive.h>
#include <linux/netlink.h>

#include "compat.h"
#include "nl.h"

/* Requests are a header and a few small attributes. */
#define GK_NL_REQ_SIZE	1024
/* Large enough for any dump skb the kernel builds for us. */
#define GK_NL_BUF_SIZE	32768
/* Socket receive buffer asked for by monitor (capped by rmem_max). */
#define GK_NL_EVENTS_RCVBUF	(1024 * 1024)

#define CTRL_NAME	"nlctrl"
#define CTRL_NOTIFY	"notify"

struct talk_ctx {
	mnl_cb_t cb;
	void *data;
	struct gk_nl_err *e;
	bool intr;	/* a dump message flagged NLM_F_DUMP_INTR */
};

/* What CTRL_CMD_GETFAMILY, NEWFAMILY and DELFAMILY tell about a family. */
struct ctrl_family {
	const char *grp_name;	/* the multicast group we look for */
	char name[GENL_NAMSIZ];
	__u16 id;
	__u32 version;
	__u32 grp_id;
};

static int gk_nl_open(struct gk_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	/* Zeroed: libmnl leaves attribute padding as it finds it. */
	nl->req = calloc(1, GK_NL_REQ_SIZE);
	nl->buf = malloc(GK_NL_BUF_SIZE);
	nl->buf_len = GK_NL_BUF_SIZE;
	if (!nl->req || !nl->buf) {
		fprintf(stderr, "gre-keepalive: out of memory\n");
		return -1;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		fprintf(stderr, "gre-keepalive: cannot open generic netlink socket: %s\n",
			strerror(errno));
		return -1;
	}
	/* Best effort: without them we just print fewer details. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "gre-keepalive: cannot bind netlink socket: %s\n",
			strerror(errno));
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

void gk_nl_close(struct gk_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->req);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

static struct nlmsghdr *genl_request(struct gk_nl *nl, __u16 family,
				     __u8 cmd, __u8 version,
				     __u16 flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->req);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *gk_nl_request(struct gk_nl *nl, __u8 cmd, __u16 flags)
{
	return genl_request(nl, nl->family, cmd, GRE_KEEPALIVE_FAMILY_VERSION,
			    flags);
}

static int ack_parse(const struct nlmsghdr *nlh, struct gk_nl_err *e);

/* TUNNEL_SET for dev with s, into the buffer at nlh's place. */
static void put_set(struct nlmsghdr *nlh, const char *dev,
		    const struct gk_settings *s)
{
	mnl_attr_put_strz(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME, dev);
	if (s->has_enabled)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_ENABLED, s->enabled);
	if (s->has_interval)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS,
				 s->interval_ms);
	if (s->has_retries)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_RETRIES, s->retries);
	if (s->has_reflect)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT, s->reflect);
	if (s->has_dscp)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_DSCP, s->dscp);
	if (s->has_reflect_nat)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT,
				 s->reflect_nat);
	if (s->has_reflect_overlay)
		mnl_attr_put_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY,
				 s->reflect_overlay);
}

int gk_nl_set(struct gk_nl *nl, const char *dev, const struct gk_settings *s,
	      struct gk_nl_err *e)
{
	struct nlmsghdr *nlh;

	nlh = gk_nl_request(nl, GRE_KEEPALIVE_CMD_TUNNEL_SET, NLM_F_ACK);
	put_set(nlh, dev, s);
	return gk_nl_talk(nl, nlh, NULL, NULL, e);
}

int gk_nl_set_many(struct gk_nl *nl, struct gk_nl_set_req *v, size_t n)
{
	char *batch = calloc(n, GK_NL_SET_MAX);
	unsigned int first = nl->seq + 1, seq;
	const struct nlmsghdr *msg;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	size_t i, len = 0, acked = 0;
	ssize_t got;
	int rem;

	if (!batch)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&v[i].e, 0, sizeof(v[i].e));
		v[i].e.err = EPROTO;	/* until its ack says otherwise */
		nlh = mnl_nlmsg_put_header(batch + len);
		nlh->nlmsg_type = nl->family;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		nlh->nlmsg_seq = ++nl->seq;
		genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
		genl->cmd = GRE_KEEPALIVE_CMD_TUNNEL_SET;
		genl->version = GRE_KEEPALIVE_FAMILY_VERSION;
		put_set(nlh, v[i].dev, v[i].s);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (mnl_socket_sendto(nl->sock, batch, len) < 0)
		goto fail;
	while (acked < n) {
		got = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buf_len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		msg = (const struct nlmsghdr *)nl->buf;
		for (rem = (int)got; mnl_nlmsg_ok(msg, rem);
		     msg = mnl_nlmsg_next(msg, &rem)) {
			seq = msg->nlmsg_seq - first;
			if (msg->nlmsg_type != NLMSG_ERROR || seq >= n ||
			    !mnl_nlmsg_portid_ok(msg, nl->portid))
				continue;
			ack_parse(msg, &v[seq].e);
			acked++;
		}
	}
	free(batch);
	return 0;
fail:
	free(batch);
	return -1;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct gk_nl_err *e = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(e->msg, sizeof(e->msg), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* Extended ack TLVs start offset bytes into nlh's payload. */
static void parse_extack(const struct nlmsghdr *nlh, unsigned int offset,
			 struct gk_nl_err *e)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    offset >= mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, offset, extack_attr_cb, e);
}

/* An NLMSG_ERROR: its errno (0 for an ack) and extack message into e. */
static int ack_parse(const struct nlmsghdr *nlh, struct gk_nl_err *e)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int offset = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		e->err = EBADMSG;
		return -1;
	}
	/* Unless capped, the error quotes our whole request. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len > sizeof(err->msg))
		offset += err->msg.nlmsg_len - sizeof(err->msg);
	parse_extack(nlh, offset, e);
	e->err = -err->error;
	if (!err->error && e->msg[0])
		fprintf(stderr, "gre-keepalive: warning: %s\n", e->msg);
	return 0;
}

static int talk_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;

	return ack_parse(nlh, ctx->e) < 0 ? MNL_CB_ERROR : MNL_CB_STOP;
}

/* The end of a dump, possibly carrying the error that cut it short. */
static int talk_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0) {
			parse_extack(nlh, sizeof(err), ctx->e);
			ctx->e->err = -err;
		}
	}
	return MNL_CB_STOP;
}

static int talk_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int ret;

	if (!ctx->cb)
		return MNL_CB_OK;
	errno = 0;
	ret = ctx->cb(nlh, ctx->data);
	if (ret == MNL_CB_ERROR)
		ctx->e->err = errno ?: EBADMSG;
	return ret;
}

/*
 * mnl_cb_run2() without its stop at a message flagged NLM_F_DUMP_INTR: a
 * dump that devices came or went during is read whole, as another would
 * be, and flagged in ctx; the caller decides what to make of it.
 */
static int talk_run(const char *buf, ssize_t n, unsigned int seq,
		    unsigned int portid, struct talk_ctx *ctx)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int rem = (int)n, ret = MNL_CB_OK;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (!mnl_nlmsg_portid_ok(nlh, portid) ||
		    !mnl_nlmsg_seq_ok(nlh, seq)) {
			errno = ESRCH;
			return MNL_CB_ERROR;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			ctx->intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			ret = talk_error_cb(nlh, ctx);
		else if (nlh->nlmsg_type == NLMSG_DONE)
			ret = talk_done_cb(nlh, ctx);
		else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
			ret = talk_data_cb(nlh, ctx);
		if (ret <= MNL_CB_STOP)
			return ret;
	}
	return ret;
}

int gk_nl_talk(struct gk_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data, struct gk_nl_err *e)
{
	struct talk_ctx ctx = { .cb = cb, .data = data, .e = e };
	ssize_t n;
	int ret;

	memset(e, 0, sizeof(*e));
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		e->err = errno;
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buf_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e->err = errno;
			return -1;
		}
		errno = 0;
		ret = talk_run(nl->buf, n, nlh->nlmsg_seq, nl->portid, &ctx);
		if (ret != MNL_CB_OK)
			break;
	}
	if (ret == MNL_CB_ERROR && !e->err)
		e->err = errno ?: EPROTO;
	if (!e->err && ctx.intr) {
		e->err = EAGAIN;
		snprintf(e->msg, sizeof(e->msg),
			 "devices came or went during the dump: it may have missed or repeated some");
	}
	return e->err ? -1 : 0;
}

void gk_nl_perror(const struct gk_nl_err *e)
{
	if (e->msg[0])
		fprintf(stderr, "gre-keepalive: %s (%s)\n", e->msg,
			strerror(e->err));
	else if (e->err == EPERM)
		fprintf(stderr, "gre-keepalive: %s (CAP_NET_ADMIN needed)\n",
			strerror(e->err));
	else
		fprintf(stderr, "gre-keepalive: %s\n", strerror(e->err));
}

static int ctrl_grp_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	__u16 type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GRP_ID &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void ctrl_parse_groups(const struct nlattr *groups,
			      struct ctrl_family *fam)
{
	const struct nlattr *pos;

	mnl_attr_for_each_nested(pos, groups) {
		const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

		mnl_attr_parse_nested(pos, ctrl_grp_attr_cb, tb);
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    fam->grp_name))
			fam->grp_id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static int ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	__u16 type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_FAMILY_NAME &&
		 mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_VERSION &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GROUPS &&
		 mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* Fill fam from an nlctrl message; 0 if it names a family. */
static int ctrl_parse(const struct nlmsghdr *nlh, struct ctrl_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) ||
	    mnl_attr_parse(nlh, GENL_HDRLEN, ctrl_attr_cb, tb) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return -1;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_FAMILY_NAME])
		snprintf(fam->name, sizeof(fam->name), "%s",
			 mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] && fam->grp_name)
		ctrl_parse_groups(tb[CTRL_ATTR_MCAST_GROUPS], fam);
	return 0;
}

static int ctrl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return MNL_CB_OK;
	if (ctrl_parse(nlh, data) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Resolve a generic netlink family by name, and one of its groups. */
static int ctrl_get_family(struct gk_nl *nl, const char *name,
			   struct ctrl_family *fam, struct gk_nl_err *e)
{
	struct nlmsghdr *nlh;

	nlh = genl_request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (gk_nl_talk(nl, nlh, ctrl_family_cb, fam, e) < 0)
		return -1;
	if (!fam->id) {
		e->err = EPROTO;
		return -1;
	}
	return 0;
}

int gk_nl_connect(struct gk_nl *nl)
{
	struct ctrl_family fam = { .grp_name = GRE_KEEPALIVE_MCGRP_EVENTS };
	struct gk_nl_err e;

	if (gk_nl_open(nl) < 0)
		goto fail;
	if (ctrl_get_family(nl, GRE_KEEPALIVE_FAMILY_NAME, &fam, &e) < 0) {
		if (e.err == ENOENT)
			fprintf(stderr,
				"gre-keepalive: kernel module not loaded (family %s not found); load it with: modprobe gre_keepalive\n",
				GRE_KEEPALIVE_FAMILY_NAME);
		else
			gk_nl_perror(&e);
		goto fail;
	}
	/* Version 1 numbered its attributes and commands otherwise. */
	if (fam.version < GRE_KEEPALIVE_FAMILY_VERSION) {
		fprintf(stderr,
			"gre-keepalive: the loaded gre_keepalive module speaks netlink version %u, this tool version %d; load the module installed with it: modprobe -r gre_keepalive && modprobe gre_keepalive\n",
			fam.version, GRE_KEEPALIVE_FAMILY_VERSION);
		goto fail;
	}
	nl->family = fam.id;
	nl->events_grp = fam.grp_id;
	return 0;
fail:
	gk_nl_close(nl);
	return -1;
}

bool gk_nl_family_present(void)
{
	struct ctrl_family fam = { .grp_name = NULL };
	struct gk_nl_err e;
	struct gk_nl nl;
	int ret = -1;

	if (gk_nl_open(&nl) == 0) {
		ret = ctrl_get_family(&nl, GRE_KEEPALIVE_FAMILY_NAME, &fam, &e);
		if (ret < 0 && e.err != ENOENT)
			gk_nl_perror(&e);
	}
	gk_nl_close(&nl);
	return ret == 0;
}

enum gk_family_event gk_nl_family_event(const struct nlmsghdr *nlh)
{
	struct ctrl_family fam = { .grp_name = NULL };
	const struct genlmsghdr *genl;

	if (nlh->nlmsg_type != GENL_ID_CTRL || ctrl_parse(nlh, &fam) < 0 ||
	    strcmp(fam.name, GRE_KEEPALIVE_FAMILY_NAME))
		return GK_FAMILY_OTHER;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd == CTRL_CMD_NEWFAMILY)
		return GK_FAMILY_NEW;
	if (genl->cmd == CTRL_CMD_DELFAMILY)
		return GK_FAMILY_DEL;
	return GK_FAMILY_OTHER;
}

static int join_group(struct gk_nl *nl, __u32 grp)
{
	return mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp));
}

/* Join nlctrl's "notify" group; -1 with e filled in if it cannot. */
static int join_ctrl_notify(struct gk_nl *nl, struct gk_nl_err *e)
{
	struct ctrl_family ctrl = { .grp_name = CTRL_NOTIFY };

	if (ctrl_get_family(nl, CTRL_NAME, &ctrl, e) < 0)
		return -1;
	if (!ctrl.grp_id) {
		e->err = ENOENT;
		snprintf(e->msg, sizeof(e->msg), "%s has no \"%s\" group",
			 CTRL_NAME, CTRL_NOTIFY);
		return -1;
	}
	if (join_group(nl, ctrl.grp_id) < 0) {
		e->err = errno;
		snprintf(e->msg, sizeof(e->msg), "cannot join %s's \"%s\" group",
			 CTRL_NAME, CTRL_NOTIFY);
		return -1;
	}
	return 0;
}

static void set_rcvbuf(struct gk_nl *nl, int rcvbuf)
{
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
		   &rcvbuf, sizeof(rcvbuf));
}

int gk_nl_open_ctrl_events(struct gk_nl *nl, int rcvbuf)
{
	struct gk_nl_err e;

	if (gk_nl_open(nl) < 0)
		goto fail;
	if (rcvbuf)
		set_rcvbuf(nl, rcvbuf);
	if (join_ctrl_notify(nl, &e) < 0) {
		gk_nl_perror(&e);
		goto fail;
	}
	return 0;
fail:
	gk_nl_close(nl);
	return -1;
}

struct listen_ctx {
	mnl_cb_t cb;
	void *data;
	__u16 family;
	bool gone;
};

static int listen_cb(const struct nlmsghdr *nlh, void *data)
{
	struct listen_ctx *ctx = data;

	if (nlh->nlmsg_type == ctx->family)
		return ctx->cb(nlh, ctx->data);
	if (gk_nl_family_event(nlh) == GK_FAMILY_DEL) {
		ctx->gone = true;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

/*
 * Join the events group, and nlctrl's notifications to notice the module
 * going away. nlctrl is asked first: a reply loop would eat early events.
 */
static int join_groups(struct gk_nl *nl)
{
	struct gk_nl_err e;

	if (!nl->events_grp) {
		fprintf(stderr, "gre-keepalive: family %s has no \"%s\" group\n",
			GRE_KEEPALIVE_FAMILY_NAME, GRE_KEEPALIVE_MCGRP_EVENTS);
		return -1;
	}
	/* Without it we would only miss the module's unloading: go on. */
	join_ctrl_notify(nl, &e);
	/* Bursts (many tunnels, short intervals) must not overrun it. */
	set_rcvbuf(nl, GK_NL_EVENTS_RCVBUF);
	if (join_group(nl, nl->events_grp) < 0) {
		fprintf(stderr, "gre-keepalive: cannot join the events group: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

int gk_nl_listen(struct gk_nl *nl, mnl_cb_t cb, void *data)
{
	struct listen_ctx ctx = { .cb = cb, .data = data, .family = nl->family };
	ssize_t n;
	int ret;

	if (join_groups(nl) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buf_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fputs("gre-keepalive: receive buffer overrun, events were lost\n",
				      stderr);
				continue;
			}
			fprintf(stderr, "gre-keepalive: receive: %s\n",
				strerror(errno));
			return -1;
		}
		errno = 0;
		ret = mnl_cb_run(nl->buf, n, 0, 0, listen_cb, &ctx);
		if (ret == MNL_CB_OK)
			continue;
		if (ctx.gone) {
			fprintf(stderr, "gre-keepalive: kernel module unloaded (family %s gone)\n",
				GRE_KEEPALIVE_FAMILY_NAME);
			return -1;
		}
		if (ret == MNL_CB_STOP)
			return 0;
		fprintf(stderr, "gre-keepalive: %s\n",
			strerror(errno ?: EBADMSG));
		return -1;
	}
}
