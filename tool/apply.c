// SPDX-License-Identifier: GPL-2.0
/*
 * gre-keepalive apply: put /etc/gre-keepalive.conf into effect.
 *
 *   apply [-c FILE] [DEV...]     on the tunnels that exist now
 *   apply [-c FILE] --check      validate the file only
 *   apply [-c FILE] --follow     now, then on every tunnel that appears
 *
 * The command line is parsed with every other command's, in gre-keepalive.c.
 *
 * --follow listens to rtnetlink's link group (a tunnel created, moved into
 * this network namespace or renamed) and to nlctrl's "notify" group (the
 * gre_keepalive family appearing when the module is loaded later), and
 * applies the matching line once per appearance of an interface: the
 * RTM_NEWLINK messages a tunnel's own carrier changes cause are not taken
 * for new tunnels, so keepalive is not restarted by its own transitions.
 * SIGHUP reads the file again (a bad file is refused and the old one kept)
 * and applies it to every tunnel.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/gre_keepalive.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "compat.h"
#include "config.h"
#include "nl.h"
#include "values.h"

#define PROG	"gre-keepalive"
/* A netlink dump fills at most a page per message batch; 32 KiB is ample. */
#define GK_NL_BUF_SIZE	32768
#define GK_FOLLOW_RCVBUF	(1 << 20)

/* An interface already seen in --follow mode: not applied to again. */
struct seen_link {
	__u32 ifindex;
	char name[IF_NAMESIZE];
};

struct follower {
	struct gk_conf conf;
	bool family_up;
	/* Connected at the first tunnel to apply, until the family goes. */
	struct gk_nl nl;
	bool nl_open;
	struct seen_link *seen;
	size_t nseen;
	size_t cap;
	int failures;
};

static volatile sig_atomic_t reload_requested;

/* flush: for --follow, whose lines are a log read as it goes. */
static void log_applied(const struct gk_conf *c, const struct gk_conf_line *l,
			bool flush)
{
	const struct gk_settings *s = &l->set;
	char dscp[16];

	printf("%s: keepalive", l->dev);
	if (s->has_interval)
		printf(" interval %ums", s->interval_ms);
	if (s->has_retries)
		printf(" retries %u", s->retries);
	if (s->has_dscp)
		printf(" dscp %s", gk_fmt_dscp(dscp, sizeof(dscp), s->dscp));
	if (!s->has_interval && !s->has_retries && !s->has_dscp)
		printf(" with the module's defaults");
	if (s->has_reflect)
		printf(", reflect %s", s->reflect ? "on" : "off");
	if (s->has_reflect_nat)
		printf(", reflect-nat %s", s->reflect_nat ? "on" : "off");
	if (s->has_reflect_overlay)
		printf(", reflect-overlay %s", s->reflect_overlay ? "on" : "off");
	printf(" (%s:%u)\n", c->file, l->lineno);
	if (flush)
		fflush(stdout);
}

/*
 * Line l, as one TUNNEL_SET: the kernel takes all of it or none. nl is
 * connected. Returns 0 or -1 (reported).
 */
static int apply_line(struct gk_nl *nl, const struct gk_conf *c,
		      const struct gk_conf_line *l)
{
	struct gk_nl_err e;

	if (gk_nl_set(nl, l->dev, &l->set, &e) < 0) {
		fprintf(stderr, PROG ": %s (%s:%u): %s (%s)\n", l->dev, c->file,
			l->lineno, e.msg[0] ? e.msg : "cannot enable keepalive",
			strerror(e.err));
		return -1;
	}
	log_applied(c, l, true);
	return 0;
}

static int scan_links(mnl_cb_t cb, void *data);

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[IFLA_IFNAME] = attr;
	if (mnl_attr_get_type(attr) == IFLA_PROP_LIST &&
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
		tb[IFLA_PROP_LIST] = attr;
	return MNL_CB_OK;
}

/* Which lines of a configuration name an interface that exists. */
struct conf_exists {
	const struct gk_conf *conf;
	bool *v;	/* by line, as conf->v */
};

static void mark_name(struct conf_exists *e, const char *name)
{
	const struct gk_conf_line *l = gk_conf_find(e->conf, name);

	if (l)
		e->v[l - e->conf->v] = true;
}

static int mark_exists(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	struct conf_exists *e = data;
	const struct nlattr *alt;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct ifinfomsg)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, tb);
	if (tb[IFLA_IFNAME])
		mark_name(e, mnl_attr_get_str(tb[IFLA_IFNAME]));
	/* A line may name the tunnel by one of its alternative names. */
	if (tb[IFLA_PROP_LIST])
		mnl_attr_for_each_nested(alt, tb[IFLA_PROP_LIST])
			if (mnl_attr_get_type(alt) == IFLA_ALT_IFNAME &&
			    mnl_attr_validate(alt, MNL_TYPE_NUL_STRING) == 0)
				mark_name(e, mnl_attr_get_str(alt));
	return MNL_CB_OK;
}

/*
 * Lines l[0..n) sent together, each its own change, reported as
 * apply_line() would. Returns failed plus the lines that failed, or -1 if
 * the batch could not be sent or answered (reported).
 */
static int apply_batch(struct gk_nl *nl, const struct gk_conf *c,
		       const struct gk_conf_line **l, size_t n, int failed)
{
	struct gk_nl_set_req req[GK_NL_SET_BATCH];
	size_t i;

	for (i = 0; i < n; i++) {
		req[i].dev = l[i]->dev;
		req[i].s = &l[i]->set;
	}
	if (gk_nl_set_many(nl, req, n) < 0) {
		fprintf(stderr, PROG ": cannot talk to the kernel: %s\n",
			strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!req[i].e.err) {
			log_applied(c, l[i], false);
			continue;
		}
		fprintf(stderr, PROG ": %s (%s:%u): %s (%s)\n", l[i]->dev,
			c->file, l[i]->lineno,
			req[i].e.msg[0] ? req[i].e.msg : "cannot enable keepalive",
			strerror(req[i].e.err));
		failed++;
	}
	return failed;
}

/* apply [DEV...]: the lines of tunnels that exist now. */
static int apply_now(const struct gk_apply_opts *a, const struct gk_conf *c)
{
	const struct gk_conf_line **todo;
	struct conf_exists exists = { NULL };
	struct gk_nl nl;
	size_t k, n = 0;
	int failed = 0, i, ret = GK_EXIT_FAIL;

	/* A DEV given twice is applied twice: harmless, and counted here. */
	todo = calloc(c->n + a->ndevs + 1, sizeof(*todo));
	if (!todo)
		return GK_EXIT_FAIL;
	for (i = 0; i < a->ndevs; i++) {
		todo[n] = gk_conf_find(c, a->devs[i]);
		if (!todo[n]) {
			fprintf(stderr, PROG ": %s: no line for it in %s\n",
				a->devs[i], c->file);
			goto out;
		}
		if (!if_nametoindex(a->devs[i])) {
			fprintf(stderr, PROG ": %s: no such tunnel\n", a->devs[i]);
			goto out;
		}
		n++;
	}
	/*
	 * Without DEV: tunnels that do not exist (yet) are not an error. One
	 * listing of the interfaces, not a lookup per line: a hub's file has
	 * thousands, and looking up a missing name may load a module.
	 */
	if (!a->ndevs) {
		exists.conf = c;
		exists.v = calloc(c->n + 1, sizeof(*exists.v));
		if (!exists.v || scan_links(mark_exists, &exists) < 0)
			goto out;
		for (k = 0; k < c->n; k++)
			if (exists.v[k])
				todo[n++] = &c->v[k];
	}
	ret = GK_EXIT_OK;
	if (!n)
		goto out;
	if (gk_nl_connect(&nl) < 0) {
		ret = GK_EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < n && failed >= 0; k += GK_NL_SET_BATCH)
		failed = apply_batch(&nl, c, todo + k,
				     n - k < GK_NL_SET_BATCH ? n - k : GK_NL_SET_BATCH,
				     failed);
	gk_nl_close(&nl);
	ret = failed ? GK_EXIT_FAIL : GK_EXIT_OK;
out:
	fflush(stdout);
	free(exists.v);
	free(todo);
	return ret;
}

/* --- --follow ------------------------------------------------------------ */

static struct seen_link *seen_find(struct follower *f, __u32 ifindex)
{
	size_t i;

	for (i = 0; i < f->nseen; i++)
		if (f->seen[i].ifindex == ifindex)
			return &f->seen[i];
	return NULL;
}

static void seen_forget(struct follower *f, __u32 ifindex)
{
	struct seen_link *s = seen_find(f, ifindex);

	if (s)
		*s = f->seen[--f->nseen];
}

static int seen_add(struct follower *f, __u32 ifindex, const char *name)
{
	struct seen_link *v;
	size_t cap;

	if (f->nseen == f->cap) {
		cap = f->cap ? 2 * f->cap : 64;
		v = realloc(f->seen, cap * sizeof(*v));
		if (!v)
			return -1;
		f->seen = v;
		f->cap = cap;
	}
	f->seen[f->nseen].ifindex = ifindex;
	snprintf(f->seen[f->nseen].name, IF_NAMESIZE, "%s", name);
	f->nseen++;
	return 0;
}

/* An interface ifindex is called name now: apply its line if it is new. */
/* The module went or came back: its family, perhaps another id. */
static void follow_disconnect(struct follower *f)
{
	if (f->nl_open)
		gk_nl_close(&f->nl);
	f->nl_open = false;
}

static void follow_link(struct follower *f, __u32 ifindex, const char *name)
{
	const struct gk_conf_line *l;
	struct seen_link *s;

	if (!f->family_up)
		return;
	s = seen_find(f, ifindex);
	if (s && !strcmp(s->name, name))
		return;
	if (s)
		snprintf(s->name, IF_NAMESIZE, "%s", name);
	else if (seen_add(f, ifindex, name) < 0)
		return;
	l = gk_conf_find(&f->conf, name);
	if (!l)
		return;
	if (!f->nl_open) {
		if (gk_nl_connect(&f->nl) < 0) {
			f->failures++;
			return;
		}
		f->nl_open = true;
	}
	/* After a failure, a fresh socket: nothing left unread on it. */
	if (apply_line(&f->nl, &f->conf, l) < 0) {
		f->failures++;
		follow_disconnect(f);
	}
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	struct follower *f = data;
	const struct ifinfomsg *ifm;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifm)))
		return MNL_CB_OK;
	ifm = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type == RTM_DELLINK) {
		seen_forget(f, (__u32)ifm->ifi_index);
		return MNL_CB_OK;
	}
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb);
	if (tb[IFLA_IFNAME])
		follow_link(f, (__u32)ifm->ifi_index,
			    mnl_attr_get_str(tb[IFLA_IFNAME]));
	return MNL_CB_OK;
}

/*
 * Every interface of this namespace through cb (RTM_GETLINK dump), all of
 * it even where the kernel flags it NLM_F_DUMP_INTR (libmnl's
 * mnl_cb_run() would stop there): then *intr is set, as interfaces came
 * or went while it ran and some may have been missed. Returns 0, or -1
 * with errno.
 */
static int scan_links_once(mnl_cb_t cb, void *data, bool *intr)
{
	char buf[GK_NL_BUF_SIZE];
	const struct nlmsghdr *msg;
	struct mnl_socket *sock;
	struct nlmsghdr *nlh;
	struct rtgenmsg *rtg;
	unsigned int portid;
	__u32 seq = (__u32)time(NULL);
	ssize_t n;
	int ret = -1, err, rem;
	bool done = false;

	sock = mnl_socket_open(NETLINK_ROUTE);
	if (!sock || mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	portid = mnl_socket_get_portid(sock);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rtg = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtg));
	rtg->rtgen_family = AF_PACKET;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		goto out;
	while (!done) {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		msg = (const struct nlmsghdr *)buf;
		for (rem = (int)n; !done && mnl_nlmsg_ok(msg, rem);
		     msg = mnl_nlmsg_next(msg, &rem)) {
			if (!mnl_nlmsg_portid_ok(msg, portid) ||
			    !mnl_nlmsg_seq_ok(msg, seq)) {
				errno = ESRCH;
				goto out;
			}
			if (msg->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (msg->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(msg);

				errno = msg->nlmsg_len >= mnl_nlmsg_size(sizeof(*e)) &&
					e->error < 0 ? -e->error : EPROTO;
				goto out;
			}
			done = msg->nlmsg_type == NLMSG_DONE;
			if (!done && cb(msg, data) == MNL_CB_ERROR)
				goto out;
		}
	}
	ret = 0;
out:
	err = errno;
	if (sock)
		mnl_socket_close(sock);
	errno = err;
	return ret;
}

/*
 * A scan that interfaces came or went during is done again (cb must not
 * mind seeing an interface twice); one that never settles is taken as it
 * is, with a warning, as ip does. Returns 0 or -1 (reported).
 */
#define SCAN_TRIES 5

static int scan_links(mnl_cb_t cb, void *data)
{
	int ret, tries = 0;
	bool intr;

	do {
		intr = false;
		ret = scan_links_once(cb, data, &intr);
	} while (!ret && intr && ++tries < SCAN_TRIES);
	if (ret < 0)
		fprintf(stderr, PROG ": cannot list interfaces: %s\n",
			strerror(errno));
	else if (intr)
		fputs(PROG ": warning: interfaces kept changing while listed; some may be missed\n",
		      stderr);
	return ret;
}

/* The links seen are not applied twice. */
static int follow_scan(struct follower *f)
{
	return scan_links(link_cb, f);
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct follower *f = data;

	switch (gk_nl_family_event(nlh)) {
	case GK_FAMILY_NEW:
		/* Loaded now: every tunnel is new to it. */
		follow_disconnect(f);
		f->family_up = true;
		f->nseen = 0;
		follow_scan(f);
		break;
	case GK_FAMILY_DEL:
		follow_disconnect(f);
		f->family_up = false;
		f->nseen = 0;
		printf("module unloaded; waiting for it\n");
		fflush(stdout);
		break;
	case GK_FAMILY_OTHER:
		break;
	}
	return MNL_CB_OK;
}

/* A socket in rtnetlink's link group: interfaces made, renamed, moved. */
static struct mnl_socket *open_link_events(void)
{
	struct mnl_socket *sock = mnl_socket_open(NETLINK_ROUTE);
	unsigned int group = RTNLGRP_LINK;
	int rcvbuf = GK_FOLLOW_RCVBUF;

	if (!sock)
		return NULL;
	/* Many tunnels made at once (boot) must not overrun it; if they do
	 * anyway, everything is looked at again (follow()).
	 */
	setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		mnl_socket_close(sock);
		return NULL;
	}
	return sock;
}

static void on_sighup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static void follow_reload(struct follower *f, const char *file)
{
	struct gk_conf c;

	if (gk_conf_read(file, &c) < 0) {
		fprintf(stderr, PROG ": keeping the configuration read before\n");
		return;
	}
	gk_conf_free(&f->conf);
	f->conf = c;
	printf("%s reloaded: %zu tunnel%s\n", file, c.n, c.n == 1 ? "" : "s");
	fflush(stdout);
	f->nseen = 0;
	if (f->family_up)
		follow_scan(f);
}

/* Read one socket's pending messages through cb; -1 on a fatal error. */
static int follow_read(struct mnl_socket *sock, mnl_cb_t cb,
		       struct follower *f, bool *overrun)
{
	char buf[GK_NL_BUF_SIZE];
	ssize_t n;

	n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		if (errno == ENOBUFS) {
			*overrun = true;
			return 0;
		}
		fprintf(stderr, PROG ": receive: %s\n", strerror(errno));
		return -1;
	}
	if (mnl_cb_run(buf, (size_t)n, 0, 0, cb, f) < 0) {
		fprintf(stderr, PROG ": bad netlink message: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static int follow(const struct gk_apply_opts *a, struct gk_conf *conf)
{
	struct follower f = { .conf = *conf };
	struct sigaction sa = { .sa_handler = on_sighup };
	struct gk_nl ctrl = { .sock = NULL };
	struct mnl_socket *rt;
	struct pollfd pfd[2];
	bool overrun;
	int ret = GK_EXIT_FAIL;

	/* Listen first, then look: nothing that appears in between is lost. */
	rt = open_link_events();
	if (!rt) {
		fprintf(stderr, PROG ": cannot listen to rtnetlink: %s\n",
			strerror(errno));
		goto out;
	}
	if (gk_nl_open_ctrl_events(&ctrl, GK_FOLLOW_RCVBUF) < 0)
		goto out;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);

	printf("following %s: %zu tunnel%s\n", a->file, f.conf.n,
	       f.conf.n == 1 ? "" : "s");
	f.family_up = gk_nl_family_present();
	if (!f.family_up)
		printf("module not loaded; waiting for it\n");
	fflush(stdout);
	if (f.family_up && follow_scan(&f) < 0)
		goto out;

	pfd[0].fd = mnl_socket_get_fd(rt);
	pfd[1].fd = mnl_socket_get_fd(ctrl.sock);
	pfd[0].events = POLLIN;
	pfd[1].events = POLLIN;
	for (;;) {
		if (reload_requested) {
			reload_requested = 0;
			follow_reload(&f, a->file);
		}
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			break;
		}
		overrun = false;
		if ((pfd[1].revents & POLLIN) &&
		    follow_read(ctrl.sock, ctrl_cb, &f, &overrun) < 0)
			break;
		if ((pfd[0].revents & POLLIN) &&
		    follow_read(rt, link_cb, &f, &overrun) < 0)
			break;
		if (overrun) {
			/* Events were lost: look at every interface again. */
			fputs(PROG ": receive buffer overrun, rescanning\n", stderr);
			follow_disconnect(&f);
			f.family_up = gk_nl_family_present();
			if (f.family_up)
				follow_scan(&f);
		}
	}
out:
	follow_disconnect(&f);
	if (rt)
		mnl_socket_close(rt);
	gk_nl_close(&ctrl);
	free(f.seen);
	*conf = f.conf;
	return ret;
}

int gk_apply_main(const struct gk_apply_opts *o)
{
	struct gk_conf c;
	int ret;

	ret = gk_conf_read(o->file, &c);
	if (ret < 0)
		return ret == -2 ? GK_EXIT_USAGE : GK_EXIT_FAIL;
	if (o->check)
		ret = GK_EXIT_OK;
	else if (o->follow)
		ret = follow(o, &c);
	else
		ret = apply_now(o, &c);
	gk_conf_free(&c);
	return ret;
}
