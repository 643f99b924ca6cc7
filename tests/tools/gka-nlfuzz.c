// SPDX-License-Identifier: GPL-2.0
/*
 * gka-nlfuzz: a seeded, reproducible fuzzer for the gre_keepalive generic
 * netlink family, with an oracle.
 *
 * usage: gka-nlfuzz [--seed N] [--count N] [--other-netns PATH] TUNNEL...
 *        gka-nlfuzz --fail-sweep TUNNEL
 *
 *   TUNNEL   a tunnel of the current netns, NAME, or NAME:off for one that
 *            cannot run keepalive (enabling it must fail, EOPNOTSUPP),
 *            NAME:notgre for one of another kind (gretap: neither
 *            keepalive nor reflection's peer variants)
 *
 * --fail-sweep: enable, change and disable keepalive on TUNNEL (a
 * point-to-point gre tunnel), and dump, with the n-th allocation of the
 * request failed (fail-nth), for n = 1, 2, ... until the request passes
 * its last fault point: each refused or lost request must have changed
 * nothing, each accepted one everything, and a dump must end in an error
 * or be whole and true. Prints one "sweep" line per request.
 *
 * Every message is generated, or a valid one mutated, and sent from one of
 * three sockets: root's in this netns, an unprivileged user's (uid 65534)
 * in this netns, root's in --other-netns. For each the oracle, which
 * implements the spec's rules itself (strict attribute parsing, one policy
 * per command, the ranges, the device lookup), predicts the errno; the
 * kernel's answer must be the same, and an invalid message must carry an
 * extack message unless the generic netlink core (not the family) refused
 * it. Valid changes update a model of every tunnel's configuration; GETs
 * and dumps are checked against it as the run goes, and at the end. Some
 * dumps are abandoned after their first part (name enough tunnels for a
 * dump to take several parts).
 *
 * Prints the seed first, then one line per class of message, then
 * "GKA-NLFUZZ messages=N invalid=N valid=N failures=N"; the first
 * failures are printed with the message in hex. Exit status 0 when every
 * answer was the predicted one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/gre_keepalive.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MAX_TUNNELS		64
#define MSG_MAX			(70 * 1024)
#define SHOW_FAILURES		20
#define NOBODY			65534

/* What a tunnel is configured to, as far as the valid requests say. */
struct tunnel {
	char name[IFNAMSIZ];
	unsigned int ifindex;
	int can_run;
	int not_gre;		/* another kind: the peer variants are refused */
	unsigned int enabled, interval, retries, reflect;
	unsigned int dscp, nat, overlay;
};

static struct tunnel tunnels[MAX_TUNNELS];
static unsigned int n_tunnels;

enum sender { PRIV, UNPRIV, OTHER_NETNS, SENDERS };
static const char * const sender_names[] = { "root", "nobody", "other-netns" };
static int socks[SENDERS];
static int family;
static unsigned int seq = 1;

/* xorshift64*: the run is a function of the seed. */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static void die(const char *what)
{
	perror(what);
	exit(3);
}

/* ---- building messages ---------------------------------------------- */

struct msg {
	unsigned char buf[MSG_MAX];
	size_t len;
};

static void *put(struct msg *m, size_t len)
{
	void *p = m->buf + m->len;

	if (m->len + len > sizeof(m->buf)) {
		fprintf(stderr, "gka-nlfuzz: message too large\n");
		exit(3);
	}
	memset(p, 0, len);
	m->len += len;
	return p;
}

static void start(struct msg *m, __u8 cmd, __u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	m->len = 0;
	nlh = put(m, NLMSG_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = put(m, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = GRE_KEEPALIVE_FAMILY_VERSION;
}

/* An attribute with @len bytes of payload from @data (zeros if NULL). */
static void attr(struct msg *m, __u16 type, const void *data, size_t len)
{
	struct nlattr *nla = put(m, NLA_HDRLEN);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy(put(m, len), data, len);
	else
		put(m, len);
	put(m, NLA_ALIGN(len) - len);
}

static void attr_u32(struct msg *m, __u16 type, __u32 v)
{
	attr(m, type, &v, sizeof(v));
}

static void attr_str(struct msg *m, __u16 type, const char *s)
{
	attr(m, type, s, strlen(s) + 1);
}

/* ---- the oracle ------------------------------------------------------ */

/*
 * What the kernel must answer: an errno (0 for success) and whether the
 * extack carries a message. The family's own refusals always do; some of
 * the core's (unknown command, missing permission) carry none.
 */
struct verdict {
	int err;
	int msg_required;
};

enum attr_kind { A_NONE, A_U32, A_U32_FLAG, A_U32_MIN1, A_U32_DSCP, A_NAME };

/* The spec's policy per command: what each takes, and as what. */
static enum attr_kind policy(__u8 cmd, __u16 type)
{
	if (type == GRE_KEEPALIVE_A_TUNNEL_IFINDEX)
		return A_U32_MIN1;
	if (type == GRE_KEEPALIVE_A_TUNNEL_IFNAME)
		return A_NAME;
	if (cmd != GRE_KEEPALIVE_CMD_TUNNEL_SET)
		return A_NONE;
	switch (type) {
	case GRE_KEEPALIVE_A_TUNNEL_ENABLED:
	case GRE_KEEPALIVE_A_TUNNEL_REFLECT:
	case GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT:
	case GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY:
		return A_U32_FLAG;
	case GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS:
	case GRE_KEEPALIVE_A_TUNNEL_RETRIES:
		return A_U32;
	case GRE_KEEPALIVE_A_TUNNEL_DSCP:
		return A_U32_DSCP;
	}
	return A_NONE;
}

static __u16 maxattr(__u8 cmd)
{
	return cmd == GRE_KEEPALIVE_CMD_TUNNEL_SET ?
	       GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY :
	       GRE_KEEPALIVE_A_TUNNEL_IFNAME;
}

struct parsed {
	const struct nlattr *tb[GRE_KEEPALIVE_A_TUNNEL_MAX + 1];
};

static __u32 get_u32(const struct nlattr *a)
{
	__u32 v;

	memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

/*
 * Strict parsing, as lib/nlattr.c does it for a family without legacy
 * commands: the first bad attribute decides the errno.
 */
static int check_attr(__u8 cmd, const struct nlattr *a)
{
	const unsigned char *data = (const unsigned char *)a + NLA_HDRLEN;
	size_t plen = a->nla_len - NLA_HDRLEN, minlen;
	__u16 type = a->nla_type & NLA_TYPE_MASK;
	enum attr_kind kind = policy(cmd, type);

	if (!type || type > maxattr(cmd))
		return -EINVAL;			/* unknown attribute type */
	if (kind == A_NONE)
		return -EINVAL;			/* unsupported attribute */
	if (a->nla_type & NLA_F_NESTED)
		return -EINVAL;			/* not a nest */
	if (kind == A_NAME) {
		/* A NUL within IFNAMSIZ bytes, at most 15 before a last NUL. */
		minlen = plen < IFNAMSIZ ? plen : IFNAMSIZ;
		if (!minlen || !memchr(data, 0, minlen))
			return -EINVAL;
		if (plen - !data[plen - 1] > IFNAMSIZ - 1)
			return -ERANGE;
		return 0;
	}
	if (plen != 4)
		return -EINVAL;			/* invalid attribute length */
	if (kind == A_U32_FLAG && get_u32(a) > 1)
		return -ERANGE;
	if (kind == A_U32_MIN1 && get_u32(a) < 1)
		return -ERANGE;
	if (kind == A_U32_DSCP && get_u32(a) > 63)
		return -ERANGE;
	return 0;
}

static int parse_attrs(__u8 cmd, const unsigned char *p, long len,
		       struct parsed *out)
{
	const struct nlattr *a;
	int err;

	memset(out, 0, sizeof(*out));
	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		err = check_attr(cmd, a);
		if (err)
			return err;
		out->tb[a->nla_type & NLA_TYPE_MASK] = a;	/* the last wins */
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);	/* may go below 0: no leftover */
	}
	return len > 0 ? -EINVAL : 0;		/* bytes leftover */
}

/*
 * The devices of this netns, read once: asking the kernel for a name that
 * does not exist (SIOCGIFINDEX, if_nametoindex()) makes it try to load a
 * module of that name, tens of milliseconds under TCG each time.
 */
#define MAX_DEVICES	256

static struct {
	char name[IFNAMSIZ];
	unsigned int index;
} devices[MAX_DEVICES];
static unsigned int n_devices;

static void read_devices(void)
{
	struct if_nameindex *all = if_nameindex(), *d;

	if (!all)
		die("if_nameindex");
	for (d = all; d->if_index && n_devices < MAX_DEVICES; d++) {
		snprintf(devices[n_devices].name, IFNAMSIZ, "%s", d->if_name);
		devices[n_devices++].index = d->if_index;
	}
	if_freenameindex(all);
}

static int dev_name_exists(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_devices; i++)
		if (!strcmp(devices[i].name, name))
			return 1;
	return 0;
}

static int dev_index_exists(__u32 index)
{
	unsigned int i;

	for (i = 0; i < n_devices; i++)
		if (devices[i].index == index)
			return 1;
	return 0;
}

static struct tunnel *tunnel_by(const struct parsed *pa, int *err)
{
	const struct nlattr *idx = pa->tb[GRE_KEEPALIVE_A_TUNNEL_IFINDEX];
	const struct nlattr *name = pa->tb[GRE_KEEPALIVE_A_TUNNEL_IFNAME];
	struct tunnel *by_idx = NULL, *by_name = NULL;
	unsigned int i;

	*err = 0;
	if (!idx && !name) {
		*err = -EINVAL;
		return NULL;
	}
	for (i = 0; i < n_tunnels; i++) {
		if (idx && tunnels[i].ifindex == get_u32(idx))
			by_idx = &tunnels[i];
		if (name && !strcmp(tunnels[i].name, (const char *)name + NLA_HDRLEN))
			by_name = &tunnels[i];
	}
	/*
	 * A device the model does not follow (a mutation may name lo or the
	 * gre0 fallback): whatever it answers, ours must stay as they are.
	 */
	if ((idx && !by_idx && dev_index_exists(get_u32(idx))) ||
	    (name && !by_name && dev_name_exists((const char *)name + NLA_HDRLEN))) {
		*err = 1;
		return NULL;
	}
	if ((idx && !by_idx) || (name && !by_name)) {
		*err = -ENODEV;
		return NULL;
	}
	if (by_idx && by_name && by_idx != by_name) {
		*err = -EINVAL;
		return NULL;
	}
	return by_idx ? by_idx : by_name;
}

/* What the family checks in a SET before it looks for the device. */
static int set_request_check(const struct parsed *pa)
{
	const struct nlattr *const *tb = pa->tb;
	__u32 v;

	if (!tb[GRE_KEEPALIVE_A_TUNNEL_ENABLED] && !tb[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS] &&
	    !tb[GRE_KEEPALIVE_A_TUNNEL_RETRIES] && !tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT] &&
	    !tb[GRE_KEEPALIVE_A_TUNNEL_DSCP] && !tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT] &&
	    !tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY])
		return -EINVAL;
	if (tb[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS]) {
		v = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS]);
		if (v < GRE_KEEPALIVE_INTERVAL_MS_MIN || v > GRE_KEEPALIVE_INTERVAL_MS_MAX)
			return -EINVAL;
	}
	if (tb[GRE_KEEPALIVE_A_TUNNEL_RETRIES]) {
		v = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_RETRIES]);
		if (v < GRE_KEEPALIVE_RETRIES_MIN || v > GRE_KEEPALIVE_RETRIES_MAX)
			return -EINVAL;
	}
	return 0;
}

/* The change a SET makes to @t, applied to @next; an errno if refused. */
static int set_outcome(const struct parsed *pa, const struct tunnel *t,
		       struct tunnel *next)
{
	const struct nlattr *const *tb = pa->tb;

	*next = *t;
	if (tb[GRE_KEEPALIVE_A_TUNNEL_ENABLED])
		next->enabled = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_ENABLED]);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS])
		next->interval = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS]);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_RETRIES])
		next->retries = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_RETRIES]);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT])
		next->reflect = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT]);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_DSCP])
		next->dscp = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_DSCP]);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT])
		next->nat = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT]);
	if (tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY])
		next->overlay = get_u32(tb[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY]);
	/* gka_apply()'s order: the variants' kind, then fitness. */
	if (t->not_gre && (next->nat || next->overlay))
		return -EOPNOTSUPP;
	if (next->enabled && !t->enabled && !t->can_run)
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Predict the answer to message @m from @who; on a predicted success of
 * a SET, *@changed is the tunnel and @next its new configuration.
 */
static struct verdict predict(const struct msg *m, enum sender who,
			      struct tunnel **changed, struct tunnel *next)
{
	const struct nlmsghdr *nlh = (const void *)m->buf;
	const struct genlmsghdr *g = (const void *)(m->buf + NLMSG_HDRLEN);
	struct verdict v = { 0, 1 };
	struct tunnel *t;
	struct parsed pa;
	int err;

	*changed = NULL;
	/* The generic netlink core's checks, in its order. */
	if (g->reserved)
		return (struct verdict){ -EINVAL, 1 };
	if (g->cmd != GRE_KEEPALIVE_CMD_TUNNEL_GET &&
	    g->cmd != GRE_KEEPALIVE_CMD_TUNNEL_SET)
		return (struct verdict){ -EOPNOTSUPP, 0 };
	if (g->cmd == GRE_KEEPALIVE_CMD_TUNNEL_SET && who == UNPRIV)
		return (struct verdict){ -EPERM, 0 };
	if (nlh->nlmsg_flags & NLM_F_DUMP && g->cmd == GRE_KEEPALIVE_CMD_TUNNEL_SET)
		return (struct verdict){ -EOPNOTSUPP, 0 };	/* no dumpit */
	err = parse_attrs(g->cmd, m->buf + NLMSG_HDRLEN + GENL_HDRLEN,
			  m->len - NLMSG_HDRLEN - GENL_HDRLEN, &pa);
	if (err)
		return (struct verdict){ err, 1 };
	if (nlh->nlmsg_flags & NLM_F_DUMP) {
		if (m->len > NLMSG_HDRLEN + GENL_HDRLEN)
			return (struct verdict){ -EINVAL, 1 };
		return v;
	}
	if (g->cmd == GRE_KEEPALIVE_CMD_TUNNEL_SET) {
		err = set_request_check(&pa);
		if (err)
			return (struct verdict){ err, 1 };
	}
	if (who == OTHER_NETNS) {
		/* Its own devices are not modelled: only "ours stay". */
		v.err = 1;
		return v;
	}
	t = tunnel_by(&pa, &err);
	if (!t)
		return (struct verdict){ err, 1 };	/* err 1: any answer */
	if (g->cmd == GRE_KEEPALIVE_CMD_TUNNEL_GET)
		return v;
	v.err = set_outcome(&pa, t, next);
	if (!v.err)
		*changed = t;
	return v;
}

/* ---- talking to the kernel ------------------------------------------- */

struct answer {
	int err;
	int has_msg;
	char msg[256];
	unsigned int n_tunnels_seen;	/* GET and dump replies */
	int mismatch;			/* a reply disagreed with the model */
	char mismatch_what[160];
	struct tunnel last;		/* what the last reply said */
};

static int nl_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("netlink socket setup");
	return fd;
}

/* The name, index and configuration a GET reply carries. */
static void reply_config(const struct nlmsghdr *nlh, struct tunnel *cfg)
{
	const unsigned char *p = (const unsigned char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct nlattr *at;
	__u32 v;

	memset(cfg, 0, sizeof(*cfg));
	while (len >= NLA_HDRLEN) {
		at = (const struct nlattr *)p;
		if (at->nla_len < NLA_HDRLEN || at->nla_len > len)
			break;
		v = at->nla_len == NLA_HDRLEN + 4 ? get_u32(at) : 0;
		switch (at->nla_type & NLA_TYPE_MASK) {
		case GRE_KEEPALIVE_A_TUNNEL_IFNAME:
			snprintf(cfg->name, sizeof(cfg->name), "%s",
				 (const char *)p + NLA_HDRLEN);
			break;
		case GRE_KEEPALIVE_A_TUNNEL_IFINDEX:
			cfg->ifindex = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_ENABLED:
			cfg->enabled = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS:
			cfg->interval = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_RETRIES:
			cfg->retries = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_REFLECT:
			cfg->reflect = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_DSCP:
			cfg->dscp = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT:
			cfg->nat = v;
			break;
		case GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY:
			cfg->overlay = v;
			break;
		}
		if ((size_t)NLA_ALIGN(at->nla_len) > len)
			break;
		p += NLA_ALIGN(at->nla_len);
		len -= NLA_ALIGN(at->nla_len);
	}
}

static int same_config(const struct tunnel *a, const struct tunnel *b)
{
	return a->enabled == b->enabled && a->interval == b->interval &&
	       a->retries == b->retries && a->reflect == b->reflect &&
	       a->dscp == b->dscp && a->nat == b->nat &&
	       a->overlay == b->overlay;
}

static void check_reply(const struct nlmsghdr *nlh, struct answer *a)
{
	struct tunnel *t = NULL, *r = &a->last;
	unsigned int i;

	reply_config(nlh, r);
	for (i = 0; i < n_tunnels; i++)
		if (!strcmp(tunnels[i].name, r->name))
			t = &tunnels[i];
	if (!t)
		return;		/* a device the model does not follow */
	a->n_tunnels_seen++;
	if (!same_config(r, t)) {
		a->mismatch = 1;
		snprintf(a->mismatch_what, sizeof(a->mismatch_what),
			 "%s: kernel %u/%u/%u/%u/%u/%u/%u, model %u/%u/%u/%u/%u/%u/%u",
			 t->name, r->enabled, r->interval, r->retries,
			 r->reflect, r->dscp, r->nat, r->overlay, t->enabled,
			 t->interval, t->retries, t->reflect, t->dscp, t->nat,
			 t->overlay);
	}
}

/* The error of an NLMSG_ERROR or NLMSG_DONE, and its extack message. */
static void parse_error(const struct nlmsghdr *nlh, struct answer *a)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const unsigned char *base = (const unsigned char *)nlh;
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	const struct nlattr *at;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return;
		memcpy(&a->err, NLMSG_DATA(nlh), sizeof(int));
		off = NLMSG_HDRLEN + sizeof(int);
	} else {
		a->err = e->error;
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = NLMSG_ALIGN(off);
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		at = (const struct nlattr *)(base + off);
		if (at->nla_len < NLA_HDRLEN || off + at->nla_len > nlh->nlmsg_len)
			break;
		if ((at->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			a->has_msg = 1;
			snprintf(a->msg, sizeof(a->msg), "%.*s",
				 (int)(at->nla_len - NLA_HDRLEN),
				 (const char *)base + off + NLA_HDRLEN);
		}
		off += NLA_ALIGN(at->nla_len);
	}
}

/*
 * Read the answer to @s (a dump takes as many reads as the kernel needs
 * rounds); with @abandon, stop after the first read.
 */
static int receive(int fd, __u32 s, int abandon, struct answer *a, int check)
{
	static unsigned char buf[256 * 1024];
	const struct nlmsghdr *nlh;
	int done = 0, len;
	ssize_t n;

	while (!done) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		/* The answer itself could not be allocated: it is lost. */
		if (n < 0 && errno == ENOBUFS)
			return -ENOBUFS;
		if (n < 0)
			die(errno == EAGAIN ? "recv: no answer within 20 s" : "recv");
		if (abandon)
			return 0;
		len = n;
		for (nlh = (const void *)buf; NLMSG_OK(nlh, len) && !done;
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != s)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				parse_error(nlh, a);
				done = 1;
			} else if (check) {
				check_reply(nlh, a);
			}
		}
	}
	return 0;
}

/*
 * 0, or -errno when the kernel could not take the message. Sent without
 * an address (to the kernel all the same): with one, the kernel would
 * judge the sender's rights alone, not also those of the socket's opener.
 */
static int try_transmit(int fd, struct msg *m, __u32 s)
{
	struct nlmsghdr *nlh = (void *)m->buf;

	nlh->nlmsg_seq = s;
	if (!nlh->nlmsg_len)
		nlh->nlmsg_len = m->len;
	if (send(fd, m->buf, m->len, 0) < 0)
		return -errno;
	return 0;
}

static void transmit(int fd, struct msg *m, __u32 s)
{
	int err = try_transmit(fd, m, s);

	if (err) {
		errno = -err;
		die("sendto");
	}
}

/* ---- generators ------------------------------------------------------ */

static struct tunnel *any_tunnel(void)
{
	return &tunnels[below(n_tunnels)];
}

static void name_tunnel(struct msg *m, const struct tunnel *t)
{
	switch (below(3)) {
	case 0:
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, t->ifindex);
		break;
	case 1:
		attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, t->name);
		break;
	default:
		attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, t->name);
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, t->ifindex);
		break;
	}
}

static __u32 some_interval(void)
{
	static const __u32 edges[] = { 10, 11, 999, 1000, 32767000 };

	if (below(4))
		return edges[below(ARRAY_SIZE(edges))];
	return 1000 + below(60000);
}

/* A good SET: any non-empty part of the configuration, in range. */
static void gen_set(struct msg *m)
{
	unsigned int parts = 1 + below(127);

	start(m, GRE_KEEPALIVE_CMD_TUNNEL_SET, NLM_F_ACK);
	name_tunnel(m, any_tunnel());
	if (parts & 1)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_ENABLED, below(2));
	if (parts & 2)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS, some_interval());
	if (parts & 4)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_RETRIES, 1 + below(255));
	if (parts & 8)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_REFLECT, below(2));
	if (parts & 16)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_DSCP, below(64));
	if (parts & 32)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT, below(2));
	if (parts & 64)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY, below(2));
}

static void gen_get(struct msg *m)
{
	start(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, NLM_F_ACK);
	name_tunnel(m, any_tunnel());
}

/* Values outside what each attribute allows. */
static void gen_bad_value(struct msg *m)
{
	static const __u32 bad[] = { 0, 9, 32767001, 0x7fffffff, 0xffffffff, 256, 2, 64 };
	static const __u16 types[] = {
		GRE_KEEPALIVE_A_TUNNEL_ENABLED, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS,
		GRE_KEEPALIVE_A_TUNNEL_RETRIES, GRE_KEEPALIVE_A_TUNNEL_REFLECT,
		GRE_KEEPALIVE_A_TUNNEL_IFINDEX, GRE_KEEPALIVE_A_TUNNEL_DSCP,
		GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT,
		GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY,
	};

	start(m, GRE_KEEPALIVE_CMD_TUNNEL_SET, NLM_F_ACK);
	attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, any_tunnel()->name);
	attr_u32(m, types[below(ARRAY_SIZE(types))], bad[below(ARRAY_SIZE(bad))]);
}

/* Attributes of the wrong size, type, flags; unknown and foreign ones. */
static void gen_bad_attr(struct msg *m)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 8, 16, 100 };
	__u8 cmd = below(2) ? GRE_KEEPALIVE_CMD_TUNNEL_SET : GRE_KEEPALIVE_CMD_TUNNEL_GET;
	unsigned char junk[100];
	__u16 type;

	memset(junk, below(2) ? 0 : 0x41, sizeof(junk));
	start(m, cmd, NLM_F_ACK);
	attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, any_tunnel()->name);
	switch (below(5)) {
	case 0:		/* any type, any size */
		type = below(3) ? below(GRE_KEEPALIVE_A_TUNNEL_MAX + 3) : rnd();
		attr(m, type, junk, sizes[below(ARRAY_SIZE(sizes))]);
		break;
	case 1:		/* the nested or byte-order flag on a plain one */
		type = 1 + below(GRE_KEEPALIVE_A_TUNNEL_REFLECT);
		attr_u32(m, type | (below(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER), 1);
		break;
	case 2:		/* a name without its NUL, or too long */
		if (below(2))
			attr(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, "gre1", 4);
		else
			attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, "abcdefghijklmnopq");
		break;
	case 3:		/* a state attribute, which nobody may set */
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_COUNTER + below(10), 0);
		break;
	default:	/* an attribute in a dump request */
		start(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, NLM_F_DUMP);
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, any_tunnel()->ifindex);
		break;
	}
}

/* Lengths that lie: truncated attributes, leftover bytes. */
static void gen_bad_length(struct msg *m)
{
	struct nlattr *nla;
	unsigned char *tail;

	gen_set(m);
	nla = (struct nlattr *)(m->buf + NLMSG_HDRLEN + GENL_HDRLEN);
	switch (below(3)) {
	case 0:		/* the first attribute claims more than there is */
		nla->nla_len = m->len - NLMSG_HDRLEN - GENL_HDRLEN + 4 + below(64);
		break;
	case 1:		/* shorter than an attribute header */
		nla->nla_len = below(4);
		break;
	default:	/* 1 to 3 bytes after the last attribute */
		tail = put(m, 1 + below(3));
		*tail = rnd();
		break;
	}
}

/* Unknown commands, header bits, devices that are not there. */
static void gen_bad_request(struct msg *m)
{
	struct genlmsghdr *g;

	switch (below(5)) {
	case 0:
		start(m, below(2) ? 0 : 3 + below(253), NLM_F_ACK);
		attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, any_tunnel()->name);
		break;
	case 1:
		gen_set(m);
		g = (void *)(m->buf + NLMSG_HDRLEN);
		g->reserved = 1 + below(0xfffe);
		break;
	case 2:		/* no device at all */
		start(m, GRE_KEEPALIVE_CMD_TUNNEL_SET, NLM_F_ACK);
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_ENABLED, 1);
		break;
	case 3:		/* a device that is not there */
		start(m, below(2) ? GRE_KEEPALIVE_CMD_TUNNEL_SET : GRE_KEEPALIVE_CMD_TUNNEL_GET,
		      NLM_F_ACK);
		if (below(2))
			attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, 100000 + below(1000000));
		else
			attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, "nosuch0");
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_RETRIES, 3);
		break;
	default:	/* name and index of two different tunnels */
		start(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, NLM_F_ACK);
		attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, tunnels[0].name);
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_IFINDEX, tunnels[1].ifindex);
		break;
	}
}

/* A large message: hundreds of attributes, or one of 60 KiB. */
static void gen_oversized(struct msg *m)
{
	unsigned int i, n = 500 + below(1500);

	gen_set(m);
	if (below(2)) {
		attr(m, GRE_KEEPALIVE_A_TUNNEL_PAD, NULL, 60000);
		return;
	}
	for (i = 0; i < n; i++)
		attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_RETRIES, 1 + below(255));
}

/* A good message with a few bytes flipped after the generic header. */
static void gen_mutated(struct msg *m)
{
	size_t body, i, flips = 1 + below(4);

	if (below(2))
		gen_set(m);
	else
		gen_get(m);
	body = m->len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (i = 0; i < flips && body; i++)
		m->buf[NLMSG_HDRLEN + GENL_HDRLEN + below(body)] ^= 1 << below(8);
}

struct class {
	const char *name;
	void (*gen)(struct msg *m);
	unsigned int weight;
	unsigned long sent, errors, unexpected, no_msg;
	double seconds;
};

static struct class classes[] = {
	{ .name = "set", .gen = gen_set, .weight = 30 },
	{ .name = "get", .gen = gen_get, .weight = 10 },
	{ .name = "bad-value", .gen = gen_bad_value, .weight = 10 },
	{ .name = "bad-attribute", .gen = gen_bad_attr, .weight = 15 },
	{ .name = "bad-length", .gen = gen_bad_length, .weight = 10 },
	{ .name = "bad-request", .gen = gen_bad_request, .weight = 10 },
	{ .name = "oversized", .gen = gen_oversized, .weight = 1 },
	{ .name = "mutated", .gen = gen_mutated, .weight = 14 },
};

static unsigned long failures, valid, invalid, dumps, abandoned;

static void fail(const struct msg *m, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	if (failures++ >= SHOW_FAILURES)
		return;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n  message:");
	for (i = 0; m && i < m->len && i < 96; i++)
		printf(" %02x", m->buf[i]);
	printf("\n");
}

/* A dump of the whole family, read to the end or abandoned. */
static void dump_check(int abandon)
{
	struct answer a = { 0 };
	struct msg *m = malloc(sizeof(*m));
	int fd = nl_socket();
	__u32 s = seq++;

	if (!m)
		die("malloc");
	start(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, NLM_F_DUMP);
	transmit(fd, m, s);
	receive(fd, s, abandon, &a, 1);
	if (abandon) {
		abandoned++;
	} else {
		dumps++;
		if (a.err)
			fail(m, "dump failed: %d %s", a.err, a.msg);
		if (a.mismatch)
			fail(m, "dump disagrees with the model: %s", a.mismatch_what);
		if (a.n_tunnels_seen != n_tunnels)
			fail(m, "dump listed %u of the %u tunnels", a.n_tunnels_seen,
			     n_tunnels);
	}
	close(fd);
	free(m);
}

static void run_one(struct msg *m)
{
	unsigned int total = 0, pick, i;
	struct tunnel *changed, next;
	struct timespec t0, t1;
	enum sender who = PRIV;
	struct answer a = { 0 };
	struct verdict v;
	struct class *c;
	__u32 s;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		total += classes[i].weight;
	pick = below(total);
	for (c = classes; pick >= c->weight; c++)
		pick -= c->weight;
	c->gen(m);
	if (!below(10))
		who = below(2) ? UNPRIV : OTHER_NETNS;
	if (who == OTHER_NETNS && socks[OTHER_NETNS] < 0)
		who = PRIV;
	v = predict(m, who, &changed, &next);
	s = seq++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	transmit(socks[who], m, s);
	receive(socks[who], s, 0, &a, who != OTHER_NETNS && v.err == 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	c->seconds += t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	c->sent++;
	if (a.err)
		c->errors++;
	if (v.err == 1) {		/* other netns: anything but a crash */
		return;
	}
	if (v.err)
		invalid++;
	else
		valid++;
	if (a.err != v.err) {
		c->unexpected++;
		fail(m, "%s from %s: kernel said %d (%s), expected %d", c->name,
		     sender_names[who], a.err, a.has_msg ? a.msg : "no message", v.err);
		return;
	}
	if (v.err && v.msg_required && !a.has_msg) {
		c->no_msg++;
		fail(m, "%s from %s: error %d without an extack message", c->name,
		     sender_names[who], a.err);
	}
	if (a.mismatch)
		fail(m, "%s: reply disagrees with the model: %s", c->name, a.mismatch_what);
	if (changed)
		*changed = next;
}

/* ---- allocation failure: every fault point of a request in turn ------- */

/*
 * /proc/thread-self/fail-nth = n makes the n-th fault injection point this
 * thread passes fail (failslab, fail_page_alloc); reading it back gives 0
 * once that happened. Opened once, before any fault is armed: opening it
 * is an allocation too.
 */
static int fail_nth_fd = -1;

static void fail_nth_set(unsigned int n)
{
	char v[16];

	if (fail_nth_fd < 0)
		fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	snprintf(v, sizeof(v), "%u", n);
	if (fail_nth_fd < 0 || pwrite(fail_nth_fd, v, strlen(v), 0) < 0)
		die("/proc/thread-self/fail-nth");
}

static unsigned int fail_nth_left(void)
{
	char v[16] = "";

	if (pread(fail_nth_fd, v, sizeof(v) - 1, 0) < 0)
		die("/proc/thread-self/fail-nth");
	return strtoul(v, NULL, 10);
}

static void set_request(struct msg *m, const struct tunnel *t,
			const struct tunnel *want)
{
	start(m, GRE_KEEPALIVE_CMD_TUNNEL_SET, NLM_F_ACK);
	attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, t->name);
	attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_ENABLED, want->enabled);
	attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS, want->interval);
	attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_RETRIES, want->retries);
	attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_REFLECT, want->reflect);
	attr_u32(m, GRE_KEEPALIVE_A_TUNNEL_DSCP, want->dscp);
}

/* What the kernel says @t is configured to, asked without faults. */
static void read_config(const struct tunnel *t, struct tunnel *now)
{
	struct answer a = { 0 };
	struct msg *m = malloc(sizeof(*m));
	__u32 s = seq++;

	if (!m)
		die("malloc");
	start(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, NLM_F_ACK);
	attr_str(m, GRE_KEEPALIVE_A_TUNNEL_IFNAME, t->name);
	transmit(socks[PRIV], m, s);
	receive(socks[PRIV], s, 0, &a, 1);
	if (a.err || strcmp(a.last.name, t->name))
		fail(m, "GET %s without faults failed: %d", t->name, a.err);
	*now = a.last;
	free(m);
}

/* Make the kernel's configuration of @t what @want says, without faults. */
static void restore(struct tunnel *t, const struct tunnel *want)
{
	struct answer a = { 0 };
	struct msg *m = malloc(sizeof(*m));
	__u32 s = seq++;

	if (!m)
		die("malloc");
	set_request(m, t, want);
	transmit(socks[PRIV], m, s);
	receive(socks[PRIV], s, 0, &a, 0);
	if (a.err)
		fail(m, "restoring %s failed: %d %s", t->name, a.err, a.msg);
	t->enabled = want->enabled;
	t->interval = want->interval;
	t->retries = want->retries;
	t->reflect = want->reflect;
	free(m);
}

/*
 * One request, from @from to @to, with the n-th fault point failed, for
 * n = 1, 2, ... until it passes with its fault point not reached. A
 * refused or lost request must have changed nothing or everything, an
 * accepted one everything; each run starts again from @from.
 */
static void fault_sweep(const char *what, struct tunnel *t,
			const struct tunnel *from, const struct tunnel *to)
{
	unsigned long iterations = 0, refused = 0, lost = 0;
	struct msg *m = malloc(sizeof(*m));
	struct tunnel now;
	unsigned int n, left;
	int complete = 0, err;

	if (!m)
		die("malloc");
	for (n = 1; n <= 2000 && !complete; n++) {
		struct answer a = { 0 };
		__u32 s = seq++;

		restore(t, from);
		set_request(m, t, to);
		iterations++;
		fail_nth_set(n);
		err = try_transmit(socks[PRIV], m, s);
		if (!err)
			err = receive(socks[PRIV], s, 0, &a, 0);
		left = fail_nth_left();
		fail_nth_set(0);
		read_config(t, &now);
		if (err) {		/* not taken, or the answer lost */
			lost++;
			if (!same_config(&now, from) && !same_config(&now, to))
				fail(m, "%s, fault %u, answer lost: half applied (%u/%u/%u/%u)",
				     what, n, now.enabled, now.interval, now.retries,
				     now.reflect);
		} else if (a.err) {
			refused++;
			if (!same_config(&now, from))
				fail(m, "%s, fault %u, refused with %d but changed (%u/%u/%u/%u)",
				     what, n, a.err, now.enabled, now.interval,
				     now.retries, now.reflect);
			if (!a.has_msg && a.err != -ENOMEM && a.err != -ENOBUFS)
				fail(m, "%s, fault %u: error %d without a message",
				     what, n, a.err);
		} else if (!same_config(&now, to)) {
			fail(m, "%s, fault %u, accepted but not applied (%u/%u/%u/%u)",
			     what, n, now.enabled, now.interval, now.retries,
			     now.reflect);
		}
		complete = left > 0 && !err && !a.err;
	}
	printf("sweep %-8s %lu requests, %lu refused, %lu lost, complete=%s\n",
	       what, iterations, refused, lost, complete ? "yes" : "no");
	if (!complete)
		fail(NULL, "sweep %s did not complete", what);
	restore(t, from);
	free(m);
}

/*
 * A dump with its n-th allocation failed, for every n: it ends in an error
 * or lists every tunnel as configured, and never says anything untrue.
 */
static void fault_sweep_dump(void)
{
	unsigned long iterations = 0, failed = 0;
	struct msg *m = malloc(sizeof(*m));
	unsigned int n, left;
	int complete = 0, err, fd;

	if (!m)
		die("malloc");
	for (n = 1; n <= 2000 && !complete; n++) {
		struct answer a = { 0 };
		__u32 s = seq++;

		fd = nl_socket();
		start(m, GRE_KEEPALIVE_CMD_TUNNEL_GET, NLM_F_DUMP);
		iterations++;
		fail_nth_set(n);
		err = try_transmit(fd, m, s);
		if (!err)
			err = receive(fd, s, 0, &a, 1);
		left = fail_nth_left();
		fail_nth_set(0);
		close(fd);
		if (a.mismatch)
			fail(m, "dump, fault %u: %s", n, a.mismatch_what);
		if (err || a.err) {
			failed++;
		} else if (a.n_tunnels_seen != n_tunnels) {
			fail(m, "dump, fault %u: ended without error after %u of %u tunnels",
			     n, a.n_tunnels_seen, n_tunnels);
		}
		complete = left > 0 && !err && !a.err;
	}
	printf("sweep dump     %lu requests, %lu failed, complete=%s\n",
	       iterations, failed, complete ? "yes" : "no");
	if (!complete)
		fail(NULL, "the dump sweep did not complete");
	free(m);
}

static void sweep_all(struct tunnel *t)
{
	struct tunnel off = *t, on, changed;

	off.enabled = 0;
	off.interval = 1000;
	off.retries = 3;
	off.reflect = 1;
	on = off;
	on.enabled = 1;
	on.interval = 50;
	on.reflect = 0;
	changed = on;
	changed.interval = 70;
	changed.retries = 5;
	changed.reflect = 1;
	changed.dscp = 46;
	fault_sweep("enable", t, &off, &on);
	fault_sweep("change", t, &on, &changed);
	fault_sweep("disable", t, &on, &off);
	fault_sweep_dump();
}

/* ---- setup ----------------------------------------------------------- */

/* A socket opened by uid 65534: the kernel judges its opener's rights. */
static int unprivileged_socket(void)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct msghdr mh = { .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], fd, status;
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			die("dropping privileges");
		fd = nl_socket();
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		if (sendmsg(sv[1], &mh, 0) < 0)
			die("sendmsg");
		_exit(0);
	}
	if (recvmsg(sv[0], &mh, 0) < 0)
		die("recvmsg");
	waitpid(pid, &status, 0);
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		die("no socket from the unprivileged child");
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	close(sv[0]);
	close(sv[1]);
	return fd;
}

static int socket_in(const char *netns)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int other = open(netns, O_RDONLY | O_CLOEXEC);
	int fd;

	if (self < 0 || other < 0)
		die(netns);
	if (setns(other, CLONE_NEWNET))
		die("setns");
	fd = nl_socket();
	if (setns(self, CLONE_NEWNET))
		die("setns back");
	close(self);
	close(other);
	return fd;
}

static void resolve_family(void)
{
	static unsigned char buf[8192];
	struct msg *m = malloc(sizeof(*m));
	const struct nlattr *at;
	struct nlmsghdr *nlh;
	size_t off;
	ssize_t n;

	if (!m)
		die("malloc");
	m->len = 0;
	nlh = put(m, NLMSG_HDRLEN);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	((struct genlmsghdr *)put(m, GENL_HDRLEN))->cmd = CTRL_CMD_GETFAMILY;
	attr_str(m, CTRL_ATTR_FAMILY_NAME, GRE_KEEPALIVE_FAMILY_NAME);
	transmit(socks[PRIV], m, seq++);
	n = recv(socks[PRIV], buf, sizeof(buf), 0);
	nlh = (void *)buf;
	if (n < (ssize_t)NLMSG_HDRLEN || nlh->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "gka-nlfuzz: no %s family\n", GRE_KEEPALIVE_FAMILY_NAME);
		exit(3);
	}
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= nlh->nlmsg_len;
	     off += NLA_ALIGN(at->nla_len)) {
		at = (const void *)(buf + off);
		if (at->nla_len < NLA_HDRLEN)
			break;
		if (at->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(const __u16 *)(buf + off + NLA_HDRLEN);
	}
	free(m);
	if (!family)
		die("family id");
}

/* The model starts from what the kernel says now. */
static void read_initial(void)
{
	struct tunnel now;
	unsigned int i;

	for (i = 0; i < n_tunnels; i++) {
		read_config(&tunnels[i], &now);
		if (strcmp(now.name, tunnels[i].name)) {
			fprintf(stderr, "gka-nlfuzz: cannot get %s\n", tunnels[i].name);
			exit(3);
		}
		now.can_run = tunnels[i].can_run;
		now.not_gre = tunnels[i].not_gre;
		tunnels[i] = now;
	}
}

int main(int argc, char **argv)
{
	unsigned long count = 100000, i, seed = 0;
	const char *other = NULL;
	struct timespec begin, end;
	struct rusage ru;
	int fail_sweep = 0;
	struct msg *m;
	char *colon;
	int arg;

	for (arg = 1; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--seed") && arg + 1 < argc) {
			seed = strtoul(argv[++arg], NULL, 0);
		} else if (!strcmp(argv[arg], "--count") && arg + 1 < argc) {
			count = strtoul(argv[++arg], NULL, 0);
		} else if (!strcmp(argv[arg], "--fail-sweep")) {
			fail_sweep = 1;
		} else if (!strcmp(argv[arg], "--other-netns") && arg + 1 < argc) {
			other = argv[++arg];
		} else if (n_tunnels < MAX_TUNNELS && argv[arg][0] != '-') {
			/* :off cannot run keepalive; :notgre neither, nor variants. */
			colon = strchr(argv[arg], ':');
			tunnels[n_tunnels].not_gre = colon && !strcmp(colon, ":notgre");
			tunnels[n_tunnels].can_run = !colon;
			if (colon)
				*colon = '\0';
			snprintf(tunnels[n_tunnels].name, IFNAMSIZ, "%s", argv[arg]);
			n_tunnels++;
		} else {
			fprintf(stderr, "%s\n%s\n",
				"usage: gka-nlfuzz [--seed N] [--count N] [--other-netns P] T[:off|:notgre]...",
				"       gka-nlfuzz --fail-sweep TUNNEL");
			return 2;
		}
	}
	if (fail_sweep && n_tunnels == 1) {
		socks[PRIV] = nl_socket();
		resolve_family();
		read_initial();
		sweep_all(&tunnels[0]);
		printf("GKA-NLFUZZ fail-sweep failures=%lu\n", failures);
		return failures ? 1 : 0;
	}
	if (n_tunnels < 2) {
		fprintf(stderr, "gka-nlfuzz: name at least two tunnels\n");
		return 2;
	}
	if (!seed)
		seed = (unsigned long)time(NULL) ^ (unsigned long)getpid() << 16;
	rng = seed;
	printf("gka-nlfuzz: seed %lu, %lu messages, %u tunnels\n", seed, count, n_tunnels);
	fflush(stdout);

	socks[PRIV] = nl_socket();
	read_devices();
	socks[UNPRIV] = unprivileged_socket();
	socks[OTHER_NETNS] = other ? socket_in(other) : -1;
	resolve_family();
	read_initial();
	m = malloc(sizeof(*m));
	if (!m)
		die("malloc");

	clock_gettime(CLOCK_MONOTONIC, &begin);
	for (i = 0; i < count; i++) {
		if (i && !(i % 10000)) {
			fprintf(stderr, "gka-nlfuzz: %lu messages\n", i);
			fflush(stderr);
		}
		run_one(m);
		if (!below(500))
			dump_check(0);
		if (!below(1000))
			dump_check(1);
	}
	dump_check(0);

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		printf("class %-14s sent %7lu errors %7lu unexpected %lu ",
		       classes[i].name, classes[i].sent, classes[i].errors,
		       classes[i].unexpected);
		printf("without-message %lu, %.2f ms each\n", classes[i].no_msg,
		       classes[i].sent ? classes[i].seconds * 1000 / classes[i].sent : 0);
	}
	getrusage(RUSAGE_SELF, &ru);
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("time: %.1f s, of which this process %.1f s user, %.1f s system\n",
	       end.tv_sec - begin.tv_sec + (end.tv_nsec - begin.tv_nsec) / 1e9,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	{
		char line[128] = "";
		FILE *f = fopen("/proc/self/schedstat", "r");

		if (f && fgets(line, sizeof(line), f))
			printf("schedstat: %s", line);
		if (f)
			fclose(f);
		printf("ctxsw: %ld voluntary, %ld involuntary\n", ru.ru_nvcsw, ru.ru_nivcsw);
	}
	printf("GKA-NLFUZZ seed=%lu messages=%lu valid=%lu invalid=%lu ",
	       seed, count, valid, invalid);
	printf("dumps=%lu abandoned=%lu failures=%lu\n", dumps, abandoned, failures);
	return failures ? 1 : 0;
}
