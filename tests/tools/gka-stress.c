// SPDX-License-Identifier: GPL-2.0
/*
 * gka-stress: the hostile-input and race helpers of t-82 and t-83, run in
 * the qemu guest. Plain syscalls and hand-built netlink, so that one
 * process does in a loop what would otherwise cost an exec per operation
 * (tens of milliseconds each on the debug kernel under TCG).
 *
 *   gka-stress write [--bs N] TARGET DATA...
 *       One write(2) of the concatenated DATA to TARGET (a path, opened
 *       O_WRONLY, or fd:N), or chunks of N bytes, one write(2) each, up to
 *       the first that fails (what dd bs=N does). DATA: text with the
 *       escapes \n \t \0 \\ \xHH, or rep:COUNT:TEXT (TEXT COUNT times).
 *       Prints "ok BYTES" or "error ERRNO" per write(2) on one line;
 *       "open-error ERRNO" if TARGET cannot be opened. Exit 0 if all
 *       bytes were written, 1 otherwise.
 *
 *   gka-stress race --seconds S --dir DIR --ifname DEV --initial I R
 *       t-82's serialisability check, in the caller's netns, on tunnel DEV
 *       whose keepalive files are in DIR and whose interval and retries
 *       are I and R at the start: for S seconds at once a netlink writer
 *       (whole changes: SET n = interval 10000+n, retries 1+n%100,
 *       reflect n%2, enabled 1), a sysfs writer (one field per write:
 *       interval 200000+m, retries 101+m%100, enabled and reflect m%2),
 *       a garbage writer (bad writes to every writable file, each must
 *       fail with EINVAL), a netlink GET checker, an event checker and a
 *       sysfs reader. Every state seen must be one a serial order of the
 *       successful writes explains; at the end netlink and sysfs agree and
 *       equal the last successful writes. Prints counts and "violation"
 *       lines; exit 0 if there were none.
 *
 *   gka-stress kmsg
 *       Copies the kernel log from now on to stdout until killed; records
 *       overwritten before they were read are reported, not fatal (cat
 *       stops at the first EPIPE).
 *
 *   gka-stress stress --seconds S
 *       t-83's actors, one process each, from the initial netns, on the
 *       named namespaces a and b of lib.sh (gre1 in each) and namespaces
 *       of their own: netlink SET/GET, sysfs writes and reads, tunnels
 *       (gre, gretap, ip6gre) created and deleted, links up and down,
 *       tunnel parameters changed by rtnetlink and by SIOCCHGTUNNEL,
 *       namespaces made and dropped with tunnels and their underlay
 *       device moved between them, dumps, monitors joining and leaving,
 *       and the module unloaded (delete_module) and reloaded (modprobe,
 *       with varying parameters) throughout. Prints per kind of operation
 *       how many ran while the module was loaded, absent, or coming or
 *       going (begun and ended in different states), how many failed and
 *       with what, and the slowest; a line per unload/reload cycle.
 *       Exit 0 if every actor finished.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/gre_keepalive.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MSG_MAX			4096

static const char *prog = "gka-stress";

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(3);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* xorshift: each process seeds its own. */
static unsigned long long rng_state = 88172645463325252ULL;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (unsigned int)(rng_state % n) : 0;
}

static void rnd_seed(unsigned int salt)
{
	rng_state ^= ((unsigned long long)getpid() << 32) ^ now_ms() ^ salt;
	if (!rng_state)
		rng_state = 1;
	rnd(1);
}

static const char *errname(int e)
{
	static char num[16];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOBUFS: return "ENOBUFS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENETUNREACH: return "ENETUNREACH";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EMSGSIZE: return "EMSGSIZE";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	}
	snprintf(num, sizeof(num), "E%d", e);
	return num;
}

/* ---- write -------------------------------------------------------------- */

static size_t unescape(const char *s, char *out)
{
	static const char from[] = "nt0\\", to[] = "\n\t\0\\";
	const char *p;
	size_t n = 0;
	unsigned int x;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		if (*s == 'x' && sscanf(s + 1, "%2x", &x) == 1) {
			out[n++] = (char)x;
			s += 3;
			continue;
		}
		p = strchr(from, *s);
		if (p) {
			out[n++] = to[p - from];
			s++;
		} else {
			out[n++] = '\\';
		}
	}
	return n;
}

static int write_main(int argc, char **argv)
{
	size_t bs = 0, len = 0, cap = 0, off, chunk;
	char *data = NULL, *tmp, *colon;
	const char *target;
	long count;
	int i = 0, fd, ok = 1;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[0], "--bs")) {
		bs = strtoul(argv[1], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 1) {
		fprintf(stderr, "usage: %s write [--bs N] TARGET DATA...\n", prog);
		return 2;
	}
	target = argv[0];
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		size_t plen = strlen(arg);

		count = 1;
		colon = strncmp(arg, "rep:", 4) ? NULL : strchr(arg + 4, ':');
		if (colon) {
			count = strtol(arg + 4, NULL, 10);
			arg = colon + 1;
			plen = strlen(arg);
		}
		tmp = malloc(plen + 1);
		if (!tmp)
			die("malloc");
		plen = unescape(arg, tmp);
		while (len + plen * count > cap) {
			cap = cap ? cap * 2 : 4096;
			data = realloc(data, cap);
			if (!data)
				die("realloc");
		}
		while (count-- > 0) {
			memcpy(data + len, tmp, plen);
			len += plen;
		}
		free(tmp);
	}
	if (!strncmp(target, "fd:", 3)) {
		fd = atoi(target + 3);
	} else {
		fd = open(target, O_WRONLY);
		if (fd < 0) {
			printf("open-error %s\n", errname(errno));
			return 1;
		}
	}
	if (!bs)
		bs = len ? len : 1;
	for (off = 0; off < len || (!len && off == 0); off += chunk) {
		chunk = len - off < bs ? len - off : bs;
		n = write(fd, data + off, chunk);
		if (n < 0) {
			printf("%serror %s", off ? " " : "", errname(errno));
			ok = 0;
			break;
		}
		printf("%sok %zd", off ? " " : "", n);
		if ((size_t)n != chunk) {
			/* A short write: the rest is another write(2). */
			chunk = n;
			if (!n)
				break;
		}
		if (!len)
			break;
	}
	printf("\n");
	free(data);
	return ok ? 0 : 1;
}

/* ---- netlink ------------------------------------------------------------- */

struct msg {
	union {
		struct nlmsghdr nlh;
		char buf[MSG_MAX];
	};
};

static unsigned int seqno;

static struct nlmsghdr *msg_init(struct msg *m, int type, int flags)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	return &m->nlh;
}

static void *msg_put(struct nlmsghdr *nlh, size_t len)
{
	char *p = (char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);

	if (NLMSG_ALIGN(nlh->nlmsg_len) + NLMSG_ALIGN(len) > MSG_MAX) {
		errno = EMSGSIZE;
		die("msg_put");
	}
	memset(p, 0, NLMSG_ALIGN(len));
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + len;
	return p;
}

static struct nlattr *attr_put(struct nlmsghdr *nlh, int type,
			       const void *data, size_t len)
{
	struct nlattr *a = msg_put(nlh, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	return a;
}

static void attr_u32(struct nlmsghdr *nlh, int type, __u32 v)
{
	attr_put(nlh, type, &v, sizeof(v));
}

static void attr_str(struct nlmsghdr *nlh, int type, const char *s)
{
	attr_put(nlh, type, s, strlen(s) + 1);
}

static struct nlattr *nest_begin(struct nlmsghdr *nlh, int type)
{
	return attr_put(nlh, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct nlmsghdr *nlh, struct nlattr *a)
{
	a->nla_len = (char *)nlh + nlh->nlmsg_len - (char *)a;
}

/* for (a = first; attr_ok(a, rem); a = attr_next(a, &rem)) */
static int attr_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       (int)a->nla_len <= rem;
}

static struct nlattr *attr_next(struct nlattr *a, int *rem)
{
	*rem -= NLA_ALIGN(a->nla_len);
	return (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
}

static void *attr_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static __u32 attr_get_u32(struct nlattr *a)
{
	__u32 v = 0;

	if (a->nla_len >= NLA_HDRLEN + 4)
		memcpy(&v, attr_data(a), 4);
	return v;
}

static int nl_socket(int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 10 };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

typedef void (*nl_cb)(struct nlmsghdr *nlh, void *ctx);

/*
 * Send the request and read until its ACK, error or NLMSG_DONE: 0 or
 * -errno. Data messages go to @cb.
 */
static int nl_talk(int fd, struct nlmsghdr *nlh, nl_cb cb, void *ctx)
{
	static char rbuf[65536];
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct nlmsghdr *r;
	unsigned int seq = ++seqno;
	ssize_t n;
	int len, err;

	nlh->nlmsg_seq = seq;
	/* NLM_F_EXCL is one of NLM_F_DUMP's two bits. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&k,
		   sizeof(k)) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		len = n;
		for (r = (struct nlmsghdr *)rbuf; NLMSG_OK(r, len);
		     r = NLMSG_NEXT(r, len)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);

				return e->error;
			}
			if (r->nlmsg_type == NLMSG_DONE) {
				memcpy(&err, NLMSG_DATA(r), sizeof(err));
				return err < 0 ? err : 0;
			}
			if (cb)
				cb(r, ctx);
		}
	}
}

/* ---- generic netlink: the gre_keepalive family --------------------------- */

struct genl_ids {
	int family;
	int group;
};

static void ctrl_cb(struct nlmsghdr *nlh, void *ctx)
{
	struct genl_ids *ids = ctx;
	struct nlattr *a, *g, *x;
	int rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, grem, xrem;
	char *name;
	int id;

	for (a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	     attr_ok(a, rem); a = attr_next(a, &rem)) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
			__u16 v;

			memcpy(&v, attr_data(a), 2);
			ids->family = v;
		}
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		grem = a->nla_len - NLA_HDRLEN;
		for (g = attr_data(a); attr_ok(g, grem);
		     g = attr_next(g, &grem)) {
			name = NULL;
			id = -1;
			xrem = g->nla_len - NLA_HDRLEN;
			for (x = attr_data(g); attr_ok(x, xrem);
			     x = attr_next(x, &xrem)) {
				if ((x->nla_type & NLA_TYPE_MASK) ==
				    CTRL_ATTR_MCAST_GRP_NAME)
					name = attr_data(x);
				if ((x->nla_type & NLA_TYPE_MASK) ==
				    CTRL_ATTR_MCAST_GRP_ID)
					id = attr_get_u32(x);
			}
			if (name && !strcmp(name, GRE_KEEPALIVE_MCGRP_EVENTS))
				ids->group = id;
		}
	}
}

/* 0, or -ENOENT when the family is not registered (module absent). */
static int genl_resolve(int fd, struct genl_ids *ids)
{
	struct msg m;
	struct nlmsghdr *nlh = msg_init(&m, GENL_ID_CTRL, 0);
	struct genlmsghdr *g = msg_put(nlh, GENL_HDRLEN);
	int err;

	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	attr_str(nlh, CTRL_ATTR_FAMILY_NAME, GRE_KEEPALIVE_FAMILY_NAME);
	ids->family = 0;
	ids->group = -1;
	err = nl_talk(fd, nlh, ctrl_cb, ids);
	if (!err && !ids->family)
		err = -ENOENT;
	if (err)
		ids->family = 0;
	return err;
}

struct gka_state {
	char ifname[IFNAMSIZ];
	int enabled, interval, retries, reflect, line, reason;
};

static void gka_parse(struct nlmsghdr *nlh, struct gka_state *st)
{
	int rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct nlattr *a;

	memset(st, 0, sizeof(*st));
	st->enabled = -1;
	st->interval = -1;
	st->retries = -1;
	st->reflect = -1;
	st->line = -1;
	st->reason = -1;
	for (a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	     attr_ok(a, rem); a = attr_next(a, &rem)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case GRE_KEEPALIVE_A_TUNNEL_IFNAME:
			snprintf(st->ifname, sizeof(st->ifname), "%s",
				 (char *)attr_data(a));
			break;
		case GRE_KEEPALIVE_A_TUNNEL_ENABLED:
			st->enabled = attr_get_u32(a);
			break;
		case GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS:
			st->interval = attr_get_u32(a);
			break;
		case GRE_KEEPALIVE_A_TUNNEL_RETRIES:
			st->retries = attr_get_u32(a);
			break;
		case GRE_KEEPALIVE_A_TUNNEL_REFLECT:
			st->reflect = attr_get_u32(a);
			break;
		case GRE_KEEPALIVE_A_TUNNEL_LINE:
			st->line = attr_get_u32(a);
			break;
		case GRE_KEEPALIVE_A_TUNNEL_REASON:
			st->reason = attr_get_u32(a);
			break;
		}
	}
}

static struct nlmsghdr *gka_msg(struct msg *m, int family, int cmd, int flags)
{
	struct nlmsghdr *nlh = msg_init(m, family, flags);
	struct genlmsghdr *g = msg_put(nlh, GENL_HDRLEN);

	g->cmd = cmd;
	g->version = GRE_KEEPALIVE_FAMILY_VERSION;
	return nlh;
}

/* A genetlink socket in some netns, with the family looked up lazily. */
struct gk {
	int fd;
	struct genl_ids ids;
	int stale;		/* the id got ENOENT */
	long long last_lookup;
};

static int gk_open(struct gk *g)
{
	g->fd = nl_socket(NETLINK_GENERIC);
	g->ids.family = 0;
	g->stale = 0;
	g->last_lookup = 0;
	return g->fd < 0 ? -1 : 0;
}

/*
 * The family's id, looked up once and again after an ENOENT, at most once
 * a second per socket: looking up an absent family makes the kernel run
 * modprobe for its alias, an exec. In between, requests go to the id last
 * known (this process's, for a new socket), which the kernel answers with
 * ENOENT while the module is away: real requests, and cheap ones.
 */
static int known_family;

static int gk_family(struct gk *g)
{
	if (g->ids.family && !g->stale)
		return 0;
	if (!g->last_lookup || now_ms() - g->last_lookup >= 1000) {
		g->last_lookup = now_ms();
		if (!genl_resolve(g->fd, &g->ids)) {
			g->stale = 0;
			known_family = g->ids.family;
			return 0;
		}
	}
	g->ids.family = known_family;
	return known_family ? 0 : -ENOENT;
}

/* ENOENT: no family with this id (the module went): look it up again. */
static int gk_result(struct gk *g, int err)
{
	if (err == -ENOENT)
		g->stale = 1;
	return err;
}

/* Any of the four fields; -1 leaves it out. */
static int gk_set(struct gk *g, const char *ifname, int en, int iv, int rt,
		  int rf)
{
	struct nlmsghdr *nlh;
	struct msg m;
	int err = gk_family(g);

	if (err)
		return err;
	nlh = gka_msg(&m, g->ids.family, GRE_KEEPALIVE_CMD_TUNNEL_SET, 0);
	attr_str(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME, ifname);
	if (en >= 0)
		attr_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_ENABLED, en);
	if (iv >= 0)
		attr_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS, iv);
	if (rt >= 0)
		attr_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_RETRIES, rt);
	if (rf >= 0)
		attr_u32(nlh, GRE_KEEPALIVE_A_TUNNEL_REFLECT, rf);
	return gk_result(g, nl_talk(g->fd, nlh, NULL, NULL));
}

static void get_cb(struct nlmsghdr *nlh, void *ctx)
{
	gka_parse(nlh, ctx);
}

static int gk_get(struct gk *g, const char *ifname, struct gka_state *st)
{
	struct nlmsghdr *nlh;
	struct msg m;
	int err = gk_family(g);

	if (err)
		return err;
	nlh = gka_msg(&m, g->ids.family, GRE_KEEPALIVE_CMD_TUNNEL_GET, 0);
	attr_str(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME, ifname);
	st->interval = -1;
	return gk_result(g, nl_talk(g->fd, nlh, get_cb, st));
}

static void count_cb(struct nlmsghdr *nlh, void *ctx)
{
	(void)nlh;
	(*(long *)ctx)++;
}

static int gk_dump(struct gk *g, long *n)
{
	struct nlmsghdr *nlh;
	struct msg m;
	int err = gk_family(g);

	if (err)
		return err;
	nlh = gka_msg(&m, g->ids.family, GRE_KEEPALIVE_CMD_TUNNEL_GET,
		      NLM_F_DUMP);
	return gk_result(g, nl_talk(g->fd, nlh, count_cb, n));
}

/* A socket of its own that has joined the events group. */
static int gk_monitor_open(void)
{
	struct genl_ids ids;
	int fd = nl_socket(NETLINK_GENERIC), rcv = 1 << 20, err;

	if (fd < 0)
		return -errno;
	err = genl_resolve(fd, &ids);
	if (!err && ids.group < 0)
		err = -ENOENT;
	if (!err && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &ids.group, sizeof(ids.group)))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return fd;
}

/*
 * Events until @deadline (ms): each to @cb; returns how many, or -ENOBUFS
 * if the socket overran (counted in *overruns).
 */
static long monitor_read(int fd, long long deadline, nl_cb cb, void *ctx,
			 long *overruns)
{
	static char rbuf[65536];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *r;
	long n = 0;
	long long left;
	ssize_t got;
	int len;

	while ((left = deadline - now_ms()) > 0) {
		if (poll(&p, 1, left > 200 ? 200 : left) <= 0)
			continue;
		got = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (got < 0) {
			if (errno == ENOBUFS)
				(*overruns)++;
			continue;
		}
		len = got;
		for (r = (struct nlmsghdr *)rbuf; NLMSG_OK(r, len);
		     r = NLMSG_NEXT(r, len)) {
			if (r->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			n++;
			if (cb)
				cb(r, ctx);
		}
	}
	return n;
}

/* ---- race (t-82) --------------------------------------------------------- */

enum { F_ENABLED, F_INTERVAL, F_RETRIES, F_REFLECT, F_COUNT };
static const char *const fnames[F_COUNT] = {
	"enabled", "interval_ms", "retries", "reflect",
};

#define NL_BASE		10000
#define SYS_BASE	200000

struct race_shared {
	long nl_started, nl_done;	/* n of the last SET sent, acked */
	long sys_last[F_COUNT];		/* last value written successfully */
	long sys_writes[F_COUNT], garbage, gets, events, reads;
	long nl_errors, sys_errors, overruns, violations;
	int init_interval, init_retries;
};

static struct race_shared *rs;

static void report(const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&rs->violations, 1, __ATOMIC_SEQ_CST);
	fputs("violation: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * A netlink SET n left interval 10000+n and retries 1+n%100; a sysfs
 * write left one field in its own range. In every serial order, the
 * fields a SET wrote come from the last SET: interval from SET n means
 * retries from the same SET, or from a later sysfs write.
 */
static int state_explained(const struct gka_state *st, long *last_n,
			   char *why, size_t whylen)
{
	long n;

	if (st->enabled < 0 || st->enabled > 1 || st->reflect < 0 ||
	    st->reflect > 1) {
		snprintf(why, whylen, "enabled %d reflect %d", st->enabled,
			 st->reflect);
		return 0;
	}
	if (st->retries < 1 || st->retries > 200) {
		snprintf(why, whylen, "retries %d from nowhere", st->retries);
		return 0;
	}
	if (st->interval >= SYS_BASE)
		return 1;
	if (st->interval == rs->init_interval) {
		if (st->retries == rs->init_retries || st->retries > 100)
			return 1;
		snprintf(why, whylen,
			 "initial interval %d with retries %d of a SET",
			 st->interval, st->retries);
		return 0;
	}
	n = st->interval - NL_BASE;
	if (n < 1 || n > __atomic_load_n(&rs->nl_started, __ATOMIC_SEQ_CST)) {
		snprintf(why, whylen, "interval %d from nowhere", st->interval);
		return 0;
	}
	if (st->retries <= 100 && st->retries != 1 + n % 100) {
		snprintf(why, whylen,
			 "half-applied: interval of SET %ld, retries %d of another SET",
			 n, st->retries);
		return 0;
	}
	if (last_n) {
		if (n < *last_n) {
			snprintf(why, whylen, "SET %ld seen after SET %ld", n,
				 *last_n);
			return 0;
		}
		*last_n = n;
	}
	return 1;
}

static void check_state(const char *who, const struct gka_state *st,
			long *last_n)
{
	char why[160];

	if (!state_explained(st, last_n, why, sizeof(why)))
		report("%s: enabled=%d interval=%d retries=%d reflect=%d: %s",
		       who, st->enabled, st->interval, st->retries,
		       st->reflect, why);
}

static int sysfs_write(const char *dir, const char *file, const char *buf,
		       size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

static int sysfs_read(const char *dir, const char *file, long *v)
{
	char path[512], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = 0;
	*v = strtol(buf, NULL, 10);
	return 0;
}

struct garbage {
	int field;		/* -1: every file */
	const char *text;	/* unescaped */
};

/* Bad in any state; each must fail with EINVAL and change nothing. */
static const struct garbage garbage[] = {
	{ -1, "abc" }, { -1, " 5" }, { -1, "5 " }, { -1, "5 \\n" },
	{ -1, "\\t1" }, { -1, "1\\t" }, { -1, "-1" }, { -1, "1e3" },
	{ -1, "5\\n\\n" }, { -1, "\\n" }, { -1, " " }, { -1, "0x" },
	{ -1, "5x" }, { -1, "1.5" }, { -1, "+" }, { -1, "++1" },
	{ -1, "99999999999999999999" }, { -1, "4294967296" },
	{ -1, "-4294967295" }, { -1, "1 1" },
	{ F_INTERVAL, "0" }, { F_INTERVAL, "9" }, { F_INTERVAL, "32767001" },
	{ F_RETRIES, "0" }, { F_RETRIES, "256" },
	{ F_ENABLED, "2" }, { F_ENABLED, "10" },
	{ F_REFLECT, "2" }, { F_REFLECT, "4294967295" },
};

static void race_garbage(const char *dir, long long end)
{
	char buf[4200];
	size_t len;
	unsigned int i = 0;
	int f, err;

	while (now_ms() < end) {
		const struct garbage *g = &garbage[i++ % ARRAY_SIZE(garbage)];

		for (f = 0; f < F_COUNT; f++) {
			if (g->field >= 0 && g->field != f)
				continue;
			len = unescape(g->text, buf);
			err = sysfs_write(dir, fnames[f], buf, len);
			__atomic_fetch_add(&rs->garbage, 1, __ATOMIC_SEQ_CST);
			if (err != -EINVAL)
				report("garbage '%s' to %s: %s, not EINVAL",
				       g->text, fnames[f], errname(-err));
		}
		/* A page of it: "5" and 4095 spaces. */
		if (i % 8 == 0) {
			memset(buf, ' ', 4096);
			buf[0] = '5';
			f = rnd(F_COUNT);
			err = sysfs_write(dir, fnames[f], buf, 4096);
			__atomic_fetch_add(&rs->garbage, 1, __ATOMIC_SEQ_CST);
			if (err != -EINVAL)
				report("4096-byte garbage to %s: %s, not EINVAL",
				       fnames[f], errname(-err));
		}
	}
}

static void race_sysfs_writer(const char *dir, long long end)
{
	char buf[32];
	long m = 0, v;
	int f, err;

	while (now_ms() < end) {
		m++;
		f = m % F_COUNT;
		if (f == F_INTERVAL)
			v = SYS_BASE + m;
		else if (f == F_RETRIES)
			v = 101 + m % 100;
		else
			v = (m / F_COUNT) % 2;
		snprintf(buf, sizeof(buf), "%ld%s", v, m % 3 ? "\n" : "");
		err = sysfs_write(dir, fnames[f], buf, strlen(buf));
		if (err) {
			__atomic_fetch_add(&rs->sys_errors, 1, __ATOMIC_SEQ_CST);
			report("sysfs %s=%ld: %s", fnames[f], v,
			       errname(-err));
			continue;
		}
		__atomic_store_n(&rs->sys_last[f], v, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&rs->sys_writes[f], 1, __ATOMIC_SEQ_CST);
	}
}

static void race_nl_writer(const char *ifname, long long end)
{
	struct gk g;
	long n = 0;
	int err;

	if (gk_open(&g))
		die("netlink socket");
	while (now_ms() < end) {
		n++;
		__atomic_store_n(&rs->nl_started, n, __ATOMIC_SEQ_CST);
		err = gk_set(&g, ifname, 1, NL_BASE + n, 1 + n % 100, n % 2);
		if (err) {
			__atomic_fetch_add(&rs->nl_errors, 1, __ATOMIC_SEQ_CST);
			report("netlink SET %ld: %s", n, errname(-err));
			continue;
		}
		__atomic_store_n(&rs->nl_done, n, __ATOMIC_SEQ_CST);
	}
}

static void race_getter(const char *ifname, long long end)
{
	struct gka_state st;
	long last_n = 0;
	struct gk g;
	int err;

	if (gk_open(&g))
		die("netlink socket");
	while (now_ms() < end) {
		err = gk_get(&g, ifname, &st);
		if (err) {
			report("GET: %s", errname(-err));
			continue;
		}
		__atomic_fetch_add(&rs->gets, 1, __ATOMIC_SEQ_CST);
		check_state("GET", &st, &last_n);
	}
}

struct ev_ctx {
	const char *ifname;
	long last_n;
};

static void race_event(struct nlmsghdr *nlh, void *ctx)
{
	struct ev_ctx *c = ctx;
	struct gka_state st;

	gka_parse(nlh, &st);
	if (strcmp(st.ifname, c->ifname))
		return;
	__atomic_fetch_add(&rs->events, 1, __ATOMIC_SEQ_CST);
	/*
	 * Configuration events are sent under RTNL once a change is whole;
	 * line transitions from the timer may see a change half done
	 * (design.md: the two halves a moment apart) and are not judged.
	 */
	switch (st.reason) {
	case GRE_KEEPALIVE_REASON_ENABLED:
	case GRE_KEEPALIVE_REASON_CHANGED:
	case GRE_KEEPALIVE_REASON_DISABLED:
	case GRE_KEEPALIVE_REASON_REFLECT_CHANGED:
		check_state("event", &st, &c->last_n);
	}
}

static void race_monitor(const char *ifname, long long end, int ready_fd)
{
	struct ev_ctx c = { ifname, 0 };
	long overruns = 0;
	int fd = gk_monitor_open();

	if (fd < 0) {
		report("monitor: %s", errname(-fd));
		fd = -1;
	}
	if (write(ready_fd, "r", 1) != 1)
		die("ready");
	close(ready_fd);
	if (fd < 0)
		return;
	monitor_read(fd, end + 500, race_event, &c, &overruns);
	rs->overruns = overruns;
}

static void race_reader(const char *dir, long long end)
{
	struct gka_state st;
	long v[F_COUNT];
	char why[160];
	int f, err;

	while (now_ms() < end) {
		for (f = 0; f < F_COUNT; f++) {
			err = sysfs_read(dir, fnames[f], &v[f]);
			if (err)
				report("read %s: %s", fnames[f],
				       errname(-err));
		}
		__atomic_fetch_add(&rs->reads, 1, __ATOMIC_SEQ_CST);
		/* Four reads, four moments: each value must be a possible one. */
		st.enabled = v[F_ENABLED];
		st.reflect = v[F_REFLECT];
		st.retries = v[F_RETRIES];
		st.interval = v[F_INTERVAL];
		if (st.interval < SYS_BASE && st.interval != rs->init_interval &&
		    (st.interval <= NL_BASE ||
		     st.interval - NL_BASE > rs->nl_started + 1))
			report("sysfs read: interval %ld from nowhere",
			       v[F_INTERVAL]);
		if (st.retries < 1 || st.retries > 200 || st.enabled < 0 ||
		    st.enabled > 1 || st.reflect < 0 || st.reflect > 1)
			report("sysfs read: enabled=%ld retries=%ld reflect=%ld",
			       v[F_ENABLED], v[F_RETRIES], v[F_REFLECT]);
		(void)why;
	}
}

static pid_t spawn(void (*fn)(const char *, long long), const char *arg,
		   long long end, unsigned int salt)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		rnd_seed(salt);
		fn(arg, end);
		fflush(stdout);
		_exit(0);
	}
	return pid;
}

static int race_main(int argc, char **argv)
{
	const char *dir = NULL, *ifname = NULL;
	struct gka_state st;
	long secs = 10, v[F_COUNT], n;
	long long end;
	int i, f, err, ok, pipefd[2];
	char c, why[160];
	struct gk g;
	pid_t mon;

	rs = mmap(NULL, sizeof(*rs), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rs == MAP_FAILED)
		die("mmap");
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			secs = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--ifname") && i + 1 < argc) {
			ifname = argv[++i];
		} else if (!strcmp(argv[i], "--initial") && i + 2 < argc) {
			rs->init_interval = atoi(argv[++i]);
			rs->init_retries = atoi(argv[++i]);
		}
	}
	if (!dir || !ifname || !rs->init_interval) {
		fprintf(stderr, "usage: %s race --seconds S --dir DIR --ifname DEV --initial I R\n",
			prog);
		return 2;
	}
	for (f = 0; f < F_COUNT; f++)
		rs->sys_last[f] = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* The event checker listens before anything changes. */
	if (pipe(pipefd))
		die("pipe");
	end = now_ms() + secs * 1000;
	mon = fork();
	if (mon < 0)
		die("fork");
	if (!mon) {
		close(pipefd[0]);
		race_monitor(ifname, end, pipefd[1]);
		fflush(stdout);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) != 1)
		die("monitor start");
	close(pipefd[0]);
	end = now_ms() + secs * 1000;
	spawn(race_nl_writer, ifname, end, 1);
	spawn(race_sysfs_writer, dir, end, 2);
	spawn(race_garbage, dir, end, 3);
	spawn(race_getter, ifname, end, 4);
	spawn(race_reader, dir, end, 5);
	(void)mon;
	while (wait(NULL) > 0 || errno == EINTR)
		;

	/* Quiet now: netlink and every file agree, on the last writes. */
	if (gk_open(&g))
		die("netlink socket");
	err = gk_get(&g, ifname, &st);
	if (err)
		report("final GET: %s", errname(-err));
	for (f = 0; f < F_COUNT; f++) {
		err = sysfs_read(dir, fnames[f], &v[f]);
		if (err)
			report("final read %s: %s", fnames[f], errname(-err));
	}
	printf("final: netlink enabled=%d interval=%d retries=%d reflect=%d;",
	       st.enabled, st.interval, st.retries, st.reflect);
	printf(" sysfs %ld %ld %ld %ld\n",
	       v[F_ENABLED], v[F_INTERVAL], v[F_RETRIES], v[F_REFLECT]);
	if (st.enabled != v[F_ENABLED] || st.interval != v[F_INTERVAL] ||
	    st.retries != v[F_RETRIES] || st.reflect != v[F_REFLECT])
		report("netlink and sysfs disagree");
	n = rs->nl_done;
	printf("last: SET %ld (interval %ld retries %ld reflect %ld enabled 1);",
	       n, NL_BASE + n, 1 + n % 100, n % 2);
	printf(" sysfs enabled %ld interval %ld retries %ld reflect %ld\n",
	       rs->sys_last[F_ENABLED],
	       rs->sys_last[F_INTERVAL], rs->sys_last[F_RETRIES],
	       rs->sys_last[F_REFLECT]);
	/* Each field is the last SET's or the last sysfs write's. */
	ok = (st.interval == NL_BASE + n ||
	      st.interval == rs->sys_last[F_INTERVAL]) &&
	     (st.retries == 1 + n % 100 ||
	      st.retries == rs->sys_last[F_RETRIES]) &&
	     (st.reflect == n % 2 || st.reflect == rs->sys_last[F_REFLECT]) &&
	     (st.enabled == 1 || st.enabled == rs->sys_last[F_ENABLED]);
	if (!ok)
		report("final state is not the last successful writes");
	if (!state_explained(&st, NULL, why, sizeof(why)))
		report("final state: %s", why);
	printf("counts: netlink SET %ld, sysfs writes %ld", rs->nl_done,
	       rs->sys_writes[0] + rs->sys_writes[1] + rs->sys_writes[2] +
	       rs->sys_writes[3]);
	printf(" (enabled %ld, interval_ms %ld, retries %ld, reflect %ld),",
	       rs->sys_writes[0], rs->sys_writes[1], rs->sys_writes[2],
	       rs->sys_writes[3]);
	printf(" garbage writes %ld, GET %ld, events %ld, sysfs reads %ld x4,",
	       rs->garbage, rs->gets, rs->events, rs->reads);
	printf(" event overruns %ld\n", rs->overruns);
	printf("violations: %ld\n", rs->violations);
	return rs->violations ? 1 : 0;
}

/* ---- rtnetlink ----------------------------------------------------------- */

struct gre_parms {
	const char *kind;		/* "gre", "gretap", "ip6gre" */
	__be32 local, remote;		/* gre, gretap */
	struct in6_addr local6, remote6;
	__be32 ikey, okey;
	__be16 iflags, oflags;
	int ttl;
};

static struct nlmsghdr *link_msg(struct msg *m, int type, int flags,
				 const char *name, int up)
{
	struct nlmsghdr *nlh = msg_init(m, type, flags);
	struct ifinfomsg *ifi = msg_put(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	if (up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
	}
	if (name)
		attr_str(nlh, IFLA_IFNAME, name);
	return nlh;
}

static void link_gre_info(struct nlmsghdr *nlh, const struct gre_parms *p)
{
	struct nlattr *li = nest_begin(nlh, IFLA_LINKINFO), *data;
	__u8 ttl = p->ttl;

	attr_str(nlh, IFLA_INFO_KIND, p->kind);
	data = nest_begin(nlh, IFLA_INFO_DATA);
	if (!strcmp(p->kind, "ip6gre")) {
		attr_put(nlh, IFLA_GRE_LOCAL, &p->local6, 16);
		attr_put(nlh, IFLA_GRE_REMOTE, &p->remote6, 16);
	} else {
		attr_put(nlh, IFLA_GRE_LOCAL, &p->local, 4);
		attr_put(nlh, IFLA_GRE_REMOTE, &p->remote, 4);
		attr_put(nlh, IFLA_GRE_TTL, &ttl, 1);
	}
	attr_put(nlh, IFLA_GRE_IKEY, &p->ikey, 4);
	attr_put(nlh, IFLA_GRE_OKEY, &p->okey, 4);
	attr_put(nlh, IFLA_GRE_IFLAGS, &p->iflags, 2);
	attr_put(nlh, IFLA_GRE_OFLAGS, &p->oflags, 2);
	nest_end(nlh, data);
	nest_end(nlh, li);
}

static int link_add(int fd, const char *name, const struct gre_parms *p)
{
	struct msg m;
	struct nlmsghdr *nlh = link_msg(&m, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, name, -1);

	link_gre_info(nlh, p);
	return nl_talk(fd, nlh, NULL, NULL);
}

static int link_add_kind(int fd, const char *name, const char *kind)
{
	struct msg m;
	struct nlmsghdr *nlh = link_msg(&m, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, name, -1);
	struct nlattr *li = nest_begin(nlh, IFLA_LINKINFO);

	attr_str(nlh, IFLA_INFO_KIND, kind);
	nest_end(nlh, li);
	return nl_talk(fd, nlh, NULL, NULL);
}

static int link_change(int fd, const char *name, const struct gre_parms *p)
{
	struct msg m;
	struct nlmsghdr *nlh = link_msg(&m, RTM_NEWLINK, 0, name, -1);

	link_gre_info(nlh, p);
	return nl_talk(fd, nlh, NULL, NULL);
}

static int link_del(int fd, const char *name)
{
	struct msg m;

	return nl_talk(fd, link_msg(&m, RTM_DELLINK, 0, name, -1), NULL, NULL);
}

static int link_updown(int fd, const char *name, int up)
{
	struct msg m;

	return nl_talk(fd, link_msg(&m, RTM_NEWLINK, 0, name, up), NULL, NULL);
}

static int link_netns(int fd, const char *name, int nsfd)
{
	struct msg m;
	struct nlmsghdr *nlh = link_msg(&m, RTM_NEWLINK, 0, name, -1);

	attr_u32(nlh, IFLA_NET_NS_FD, nsfd);
	return nl_talk(fd, nlh, NULL, NULL);
}

/* "ip tunnel change": the ioctl path to the same parameters. */
static int tunnel_ioctl_change(int sock, const char *name,
			       const struct gre_parms *p)
{
	struct ip_tunnel_parm parm;
	struct ifreq ifr;

	memset(&parm, 0, sizeof(parm));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(parm.name, sizeof(parm.name), "%s", name);
	parm.iph.version = 4;
	parm.iph.ihl = 5;
	parm.iph.protocol = IPPROTO_GRE;
	parm.iph.ttl = p->ttl;
	parm.iph.frag_off = htons(0x4000);
	parm.iph.saddr = p->local;
	parm.iph.daddr = p->remote;
	parm.i_flags = p->iflags;
	parm.o_flags = p->oflags;
	parm.i_key = p->ikey;
	parm.o_key = p->okey;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_ifru.ifru_data = (void *)&parm;
	return ioctl(sock, SIOCCHGTUNNEL, &ifr) ? -errno : 0;
}

/* ---- stress (t-83) ------------------------------------------------------- */

enum kind {
	K_SET, K_GET, K_DUMP, K_MONITOR, K_EVENT, K_SYSFS_WRITE, K_SYSFS_READ,
	K_TUNNEL_ADD, K_TUNNEL_DEL, K_UPDOWN, K_CHANGELINK, K_IOCTL,
	K_NETNS_NEW, K_NETNS_DEL, K_MOVE, K_LOAD, K_UNLOAD, K_COUNT
};

static const char *const kind_names[K_COUNT] = {
	[K_SET] = "netlink-set", [K_GET] = "netlink-get",
	[K_DUMP] = "netlink-dump", [K_MONITOR] = "monitor-join-leave",
	[K_EVENT] = "monitor-event", [K_SYSFS_WRITE] = "sysfs-write",
	[K_SYSFS_READ] = "sysfs-read", [K_TUNNEL_ADD] = "tunnel-create",
	[K_TUNNEL_DEL] = "tunnel-delete", [K_UPDOWN] = "link-up-down",
	[K_CHANGELINK] = "ip-link-set-type-gre", [K_IOCTL] = "ip-tunnel-change",
	[K_NETNS_NEW] = "netns-create", [K_NETNS_DEL] = "netns-destroy",
	[K_MOVE] = "netns-move", [K_LOAD] = "module-load",
	[K_UNLOAD] = "module-unload",
};

enum { M_ABSENT, M_LOADED, M_MOVING, M_STATES };
static const char *const mstate_names[M_STATES] = {
	"absent", "loaded", "transition",
};

#define ERRS 140

struct stress_shared {
	int modstate;		/* M_*, written by the module actor only */
	unsigned int modgen;	/* bumped at each change of modstate */
	long ok[K_COUNT][M_STATES];
	long fail[K_COUNT][M_STATES];
	long err[K_COUNT][ERRS];
	long long maxlat[K_COUNT];	/* the slowest, in ms */
	long unload_busy;
};

static struct stress_shared *ss;

struct opmark {
	int state;
	unsigned int gen;
	long long t0;
};

static struct opmark op_begin(void)
{
	struct opmark m;

	m.gen = __atomic_load_n(&ss->modgen, __ATOMIC_SEQ_CST);
	m.state = __atomic_load_n(&ss->modstate, __ATOMIC_SEQ_CST);
	m.t0 = now_ms();
	return m;
}

/*
 * @ret: -errno for a failure, else success. Counted as loaded or absent
 * only if the module stayed so throughout. Returns @ret.
 */
static int op_end(enum kind k, struct opmark m, int ret)
{
	long long lat = now_ms() - m.t0, max;
	int s = m.state;

	max = __atomic_load_n(&ss->maxlat[k], __ATOMIC_RELAXED);
	while (m.t0 && lat > max &&
	       !__atomic_compare_exchange_n(&ss->maxlat[k], &max, lat, 0,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (__atomic_load_n(&ss->modgen, __ATOMIC_SEQ_CST) != m.gen)
		s = M_MOVING;
	if (ret < 0) {
		__atomic_fetch_add(&ss->fail[k][s], 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&ss->err[k][-ret < ERRS ? -ret : ERRS - 1],
				   1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&ss->ok[k][s], 1, __ATOMIC_RELAXED);
	}
	return ret;
}

#define OP(k, expr) ({ struct opmark _m = op_begin(); op_end(k, _m, (expr)); })

static long long stress_end;

static int running(void)
{
	return now_ms() < stress_end;
}

static int ns_open(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* A socket in netns @nsfd (-1: the current one). */
static int socket_in(int nsfd, int domain, int type, int proto)
{
	int self = -1, fd, e;

	if (nsfd >= 0) {
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0 || setns(nsfd, CLONE_NEWNET))
			die("setns");
	}
	fd = socket(domain, type, proto);
	e = errno;
	if (nsfd >= 0) {
		if (setns(self, CLONE_NEWNET))
			die("setns back");
		close(self);
	}
	errno = e;
	return fd;
}

static int rtnl_in(int nsfd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int one = 1;
	int fd = socket_in(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			   NETLINK_ROUTE);

	if (fd < 0)
		die("rtnl socket");
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	return fd;
}

static void gk_in(struct gk *g, int nsfd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int one = 1;

	g->fd = socket_in(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			  NETLINK_GENERIC);
	if (g->fd < 0)
		die("genl socket");
	setsockopt(g->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(g->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(g->fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	g->ids.family = 0;
	g->stale = 0;
	g->last_lookup = 0;
}

/* The namespaces of lib.sh's topology: A and B, joined by W. */
#define A_WAN	"192.0.2.1"
#define B_WAN	"198.51.100.2"

static const char *const tun_names[] = { "gre1", "gre10", "gre11", "gre12",
					 "gre13", "tap10", "g6re10" };

static const char *pick_tunnel(void)
{
	/* gre1 (the live tunnel) half the time. */
	return rnd(2) ? "gre1" : tun_names[rnd(ARRAY_SIZE(tun_names))];
}

static void random_parms(struct gre_parms *p, const char *kind, int idx)
{
	static const char *const remotes[] = {
		B_WAN, "198.51.100.99", "198.51.100.10", "203.0.113.77",
	};

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->ttl = 64;
	inet_pton(AF_INET, rnd(4) ? A_WAN : "0.0.0.0", &p->local);
	inet_pton(AF_INET, idx < 0 ? remotes[rnd(ARRAY_SIZE(remotes))] :
		  "198.51.100.10", &p->remote);
	if (idx >= 0)
		p->remote = htonl(ntohl(p->remote) + idx);
	inet_pton(AF_INET6, "2001:db8:1::1", &p->local6);
	inet_pton(AF_INET6, "2001:db8:2::2", &p->remote6);
	if (rnd(3) == 0) {
		p->iflags |= GRE_KEY;
		p->ikey = htonl(rnd(3) + 1);
	}
	if (rnd(3) == 0) {
		p->oflags |= GRE_KEY;
		p->okey = htonl(rnd(3) + 1);
	}
	if (rnd(4) == 0) {
		p->iflags |= GRE_CSUM;
		p->oflags |= GRE_CSUM;
	}
	if (rnd(6) == 0)
		p->iflags |= GRE_SEQ;
	if (rnd(8) == 0)
		p->oflags |= GRE_SEQ;
}

/* Keepalive and reflection switched and changed over netlink. */
static void actor_config(void)
{
	static const int intervals[] = { 10, 20, 50, 100, 300, 1000, 10000 };
	int ns[2] = { ns_open("a"), ns_open("b") };
	struct gk g[2];
	struct gka_state st;
	int i;

	for (i = 0; i < 2; i++)
		gk_in(&g[i], ns[i]);
	while (running()) {
		i = rnd(2);
		OP(K_SET, gk_set(&g[i], pick_tunnel(), rnd(3) ? (int)rnd(2) : -1,
				 rnd(2) ? intervals[rnd(ARRAY_SIZE(intervals))] : -1,
				 rnd(2) ? (int)rnd(5) + 1 : -1,
				 rnd(2) ? (int)rnd(2) : -1));
		if (rnd(3) == 0)
			OP(K_GET, gk_get(&g[i], pick_tunnel(), &st));
		sleep_ms(10 + rnd(30));
	}
}

/* The same through sysfs, good values and bad, and the statistics read. */
static void actor_sysfs(void)
{
	static const char *const files[] = {
		"enabled", "interval_ms", "retries", "reflect",
	};
	static const char *const ro[] = {
		"line_protocol", "counter", "probes_sent", "replies",
		"reflected", "passed", "last_change_ns",
	};
	static const char *const values[] = {
		"0", "1", "1\n", "20", "50\n", "100", "1000", "3", "5", "2",
		"x", "-1", " 7", "0x10", "256",
	};
	char dir[256], path[300], buf[64];
	const char *ns;
	long v;
	int fd;

	while (running()) {
		ns = rnd(2) ? "a" : "b";
		snprintf(dir, sizeof(dir), "/run/sys-%s/class/net/%s/keepalive",
			 ns, pick_tunnel());
		if (rnd(2)) {
			const char *val = values[rnd(ARRAY_SIZE(values))];

			OP(K_SYSFS_WRITE,
			   sysfs_write(dir, files[rnd(ARRAY_SIZE(files))], val,
				       strlen(val)));
		} else {
			snprintf(path, sizeof(path), "%s", ro[rnd(ARRAY_SIZE(ro))]);
			OP(K_SYSFS_READ, sysfs_read(dir, path, &v));
		}
		/* Now and then a file held open across whatever happens. */
		if (rnd(20) == 0) {
			snprintf(path, sizeof(path), "%s/interval_ms", dir);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd >= 0) {
				sleep_ms(rnd(200));
				OP(K_SYSFS_WRITE, write(fd, "100", 3) < 0 ? -errno : 0);
				OP(K_SYSFS_READ, pread(fd, buf, sizeof(buf), 0) < 0 ?
				   -errno : 0);
				close(fd);
			}
		}
		sleep_ms(10 + rnd(30));
	}
}

/* Tunnels of every kind created, set up and deleted in A. */
static void actor_tunnels(void)
{
	int ns = ns_open("a"), rt = rtnl_in(ns), i;
	struct gk g;
	struct gre_parms p;
	const char *name;

	gk_in(&g, ns);
	while (running()) {
		i = rnd(6);
		if (i < 4) {
			name = tun_names[1 + i];
			random_parms(&p, "gre", i);
		} else if (i == 4) {
			name = "tap10";
			random_parms(&p, "gretap", 7);
		} else {
			name = "g6re10";
			random_parms(&p, "ip6gre", 8);
		}
		if (OP(K_TUNNEL_ADD, link_add(rt, name, &p)) == 0) {
			if (rnd(3))
				OP(K_UPDOWN, link_updown(rt, name, 1));
			if (rnd(2))
				OP(K_SET, gk_set(&g, name, 1, 20, 2, rnd(2)));
		}
		sleep_ms(20 + rnd(50));
		if (rnd(3))
			OP(K_TUNNEL_DEL, link_del(rt, name));
		sleep_ms(50 + rnd(100));
	}
}

/* ip link set ... type gre, and ip tunnel change, on A's tunnels. */
static void actor_params(void)
{
	int ns = ns_open("a"), rt = rtnl_in(ns);
	int sock = socket_in(ns, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct gre_parms p;
	const char *name;
	char path[64];
	int i;

	if (sock < 0)
		die("socket");
	while (running()) {
		i = rnd(5);
		name = i ? tun_names[i] : "gre1";
		random_parms(&p, "gre", i ? i - 1 : -1);
		snprintf(path, sizeof(path), "/run/sys-a/class/net/%s", name);
		if (rnd(2))
			OP(K_CHANGELINK, link_change(rt, name, &p));
		else if (!access(path, F_OK))
			/* A missing name would make dev_ioctl() ask for a module. */
			OP(K_IOCTL, tunnel_ioctl_change(sock, name, &p));
		/* gre1 back as it was, often enough for replies to flow. */
		if (!i && rnd(2)) {
			memset(&p, 0, sizeof(p));
			p.kind = "gre";
			p.ttl = 64;
			inet_pton(AF_INET, A_WAN, &p.local);
			inet_pton(AF_INET, B_WAN, &p.remote);
			OP(K_CHANGELINK, link_change(rt, "gre1", &p));
		}
		sleep_ms(20 + rnd(40));
	}
}

static void actor_updown(void)
{
	int ns[2] = { ns_open("a"), ns_open("b") };
	int rt[2] = { rtnl_in(ns[0]), rtnl_in(ns[1]) };
	const char *name;
	int i;

	while (running()) {
		i = rnd(2);
		name = i ? "gre1" : pick_tunnel();
		OP(K_UPDOWN, link_updown(rt[i], name, 0));
		sleep_ms(20 + rnd(60));
		OP(K_UPDOWN, link_updown(rt[i], name, 1));
		sleep_ms(20 + rnd(60));
	}
}

/*
 * Namespaces of our own, N[0] and N[1]: a tunnel gn made in N[0] (its
 * underlay) with keepalive and reflection on, moved back and forth
 * between them, with its underlay device u0 after it, visiting A now and
 * then; one of A's tunnels sent over now and then, to die there. Every
 * few rounds the pair is dropped, in either order, with everything in
 * it alive, and a new pair made.
 */
static int netns_new(void)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd;

	if (self < 0)
		die("open ns");
	if (unshare(CLONE_NEWNET))
		return -errno;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (setns(self, CLONE_NEWNET))
		die("setns back");
	close(self);
	return fd;
}

struct ns_pair {
	int ns[2], rt[2];
	struct gk g[2];
	int gn, u0;		/* where they are: 0 or 1 */
};

static void pair_new(struct ns_pair *np)
{
	struct gre_parms p;
	int i;

	for (i = 0; i < 2; i++) {
		np->ns[i] = OP(K_NETNS_NEW, netns_new());
		if (np->ns[i] < 0)
			die("unshare");
		np->rt[i] = rtnl_in(np->ns[i]);
		gk_in(&np->g[i], np->ns[i]);
		OP(K_UPDOWN, link_updown(np->rt[i], "lo", 1));
	}
	OP(K_TUNNEL_ADD, link_add_kind(np->rt[0], "u0", "dummy"));
	OP(K_UPDOWN, link_updown(np->rt[0], "u0", 1));
	memset(&p, 0, sizeof(p));
	p.kind = "gre";
	p.ttl = 64;
	inet_pton(AF_INET, "10.9.0.1", &p.local);
	inet_pton(AF_INET, "10.9.0.2", &p.remote);
	OP(K_TUNNEL_ADD, link_add(np->rt[0], "gn", &p));
	OP(K_UPDOWN, link_updown(np->rt[0], "gn", 1));
	OP(K_SET, gk_set(&np->g[0], "gn", 1, 10 + rnd(3) * 10, 2, 1));
	np->gn = 0;
	np->u0 = 0;
}

static void pair_drop(struct ns_pair *np)
{
	int i = rnd(2);

	close(np->rt[0]);
	close(np->rt[1]);
	close(np->g[0].fd);
	close(np->g[1].fd);
	/* Either the underlay's netns or the other goes first. */
	OP(K_NETNS_DEL, close(np->ns[i]) ? -errno : 0);
	sleep_ms(rnd(50));
	OP(K_NETNS_DEL, close(np->ns[!i]) ? -errno : 0);
}

static void actor_netns(void)
{
	int a = ns_open("a"), rta = rtnl_in(a), round = 0, to;
	struct ns_pair np;

	pair_new(&np);
	while (running()) {
		if (++round % 8 == 0) {
			pair_drop(&np);
			pair_new(&np);
		}
		/* The tunnel over, up there, and reconfigured. */
		to = !np.gn;
		if (OP(K_MOVE, link_netns(np.rt[np.gn], "gn", np.ns[to])) == 0)
			np.gn = to;
		OP(K_UPDOWN, link_updown(np.rt[np.gn], "gn", 1));
		OP(K_SET, gk_set(&np.g[np.gn], "gn", rnd(2), -1, -1, rnd(2)));
		/* Its underlay device after it, now and then. */
		if (rnd(2)) {
			to = !np.u0;
			if (OP(K_MOVE, link_netns(np.rt[np.u0], "u0",
						  np.ns[to])) == 0)
				np.u0 = to;
		}
		/* A visit to A, and back. */
		if (rnd(3) == 0 &&
		    OP(K_MOVE, link_netns(np.rt[np.gn], "gn", a)) == 0) {
			sleep_ms(rnd(50));
			OP(K_MOVE, link_netns(rta, "gn", np.ns[np.gn]));
		}
		/* One of A's tunnels goes over, to die there. */
		if (rnd(4) == 0)
			OP(K_MOVE, link_netns(rta, tun_names[1 + rnd(4)],
					      np.ns[rnd(2)]));
		sleep_ms(100 + rnd(200));
	}
	pair_drop(&np);
}

static void actor_dump(void)
{
	int ns[3] = { -1, ns_open("a"), ns_open("b") };
	struct gk g[3];
	long n;
	int i;

	for (i = 0; i < 3; i++)
		gk_in(&g[i], ns[i]);
	while (running()) {
		n = 0;
		OP(K_DUMP, gk_dump(&g[rnd(3)], &n));
		sleep_ms(20 + rnd(40));
	}
}

static void count_event(struct nlmsghdr *nlh, void *ctx)
{
	(void)nlh;
	(void)ctx;
	OP(K_EVENT, 0);
}

static void actor_monitor(void)
{
	int ns[2] = { ns_open("a"), ns_open("b") };
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd, i;
	long overruns = 0;

	while (running()) {
		struct opmark m = op_begin();

		i = rnd(2);
		if (setns(ns[i], CLONE_NEWNET))
			die("setns");
		fd = gk_monitor_open();
		if (setns(self, CLONE_NEWNET))
			die("setns");
		if (op_end(K_MONITOR, m, fd < 0 ? fd : 0) == 0) {
			monitor_read(fd, now_ms() + 20 + rnd(400), count_event,
				     NULL, &overruns);
			close(fd);
		} else {
			/* Absent: each lookup runs modprobe (gk_family()). */
			sleep_ms(1000);
		}
	}
}

static void set_modstate(int s)
{
	__atomic_store_n(&ss->modstate, s, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&ss->modgen, 1, __ATOMIC_SEQ_CST);
}

#define MODPROBE	"/usr/sbin/modprobe"

static int load_module(void)
{
	static const char *const params[] = {
		NULL, "auto_enable=1", "reflect=0",
	};
	int status, i = rnd(ARRAY_SIZE(params));
	pid_t pid;

	pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		execl(MODPROBE, MODPROBE, "gre_keepalive", params[i], (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

static int module_loaded(void)
{
	return access("/sys/module/gre_keepalive", F_OK) == 0;
}

/* Unloads and reloads the module under all of the above. */
static void actor_module(void)
{
	long long give_up, t, loaded_at = now_ms();
	int err;

	setpriority(PRIO_PROCESS, 0, -10);
	set_modstate(module_loaded() ? M_LOADED : M_ABSENT);
	while (running()) {
		sleep_ms(500 + rnd(1500));
		if (!running())
			break;
		set_modstate(M_MOVING);
		t = now_ms();
		/* A dump in progress holds the module: try again. */
		give_up = now_ms() + 10000;
		while ((err = syscall(SYS_delete_module, "gre_keepalive",
				      O_NONBLOCK) ? -errno : 0) &&
		       (err == -EAGAIN || err == -EBUSY) && now_ms() < give_up) {
			ss->unload_busy++;
			sleep_ms(5);
		}
		if (err) {
			op_end(K_UNLOAD, (struct opmark){ M_MOVING, 0, 0 }, err);
			set_modstate(module_loaded() ? M_LOADED : M_ABSENT);
			printf("module: unload failed: %s after %lld ms\n",
			       errname(-err), now_ms() - t);
			continue;
		}
		ss->ok[K_UNLOAD][M_MOVING]++;
		set_modstate(M_ABSENT);
		printf("module: %6lld ms loaded, unloaded in %lld ms",
		       t - loaded_at, now_ms() - t);
		t = now_ms();
		sleep_ms(500 + rnd(1000));
		printf(", %lld ms absent", now_ms() - t);
		set_modstate(M_MOVING);
		t = now_ms();
		err = load_module();
		op_end(K_LOAD, (struct opmark){ M_MOVING, 0, 0 }, err);
		set_modstate(module_loaded() ? M_LOADED : M_ABSENT);
		loaded_at = now_ms();
		printf(", %s in %lld ms\n", err ? "load failed" : "loaded",
		       loaded_at - t);
	}
	/* Loaded at the end, for the checks that follow. */
	if (!module_loaded()) {
		set_modstate(M_MOVING);
		op_end(K_LOAD, (struct opmark){ M_MOVING, 0, 0 }, load_module());
		set_modstate(module_loaded() ? M_LOADED : M_ABSENT);
	}
}

static int stress_main(int argc, char **argv)
{
	static void (*const actors[])(void) = {
		actor_config, actor_sysfs, actor_tunnels, actor_params,
		actor_updown, actor_netns, actor_dump, actor_monitor,
		actor_module,
	};
	static const char *const actor_names[] = {
		"config", "sysfs", "tunnels", "params", "updown", "netns",
		"dump", "monitor", "module",
	};
	long secs = 60, total[M_STATES] = { 0 }, fails;
	unsigned int i, s, e;
	int status, bad = 0;
	pid_t pid, pids[ARRAY_SIZE(actors)];
	long long t0;

	for (i = 0; i < (unsigned int)argc; i++)
		if (!strcmp(argv[i], "--seconds") && i + 1 < (unsigned int)argc)
			secs = atol(argv[++i]);
	ss = mmap(NULL, sizeof(*ss), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ss == MAP_FAILED)
		die("mmap");
	setvbuf(stdout, NULL, _IOLBF, 0);
	ss->modstate = module_loaded() ? M_LOADED : M_ABSENT;
	t0 = now_ms();
	stress_end = t0 + secs * 1000;
	for (i = 0; i < ARRAY_SIZE(actors); i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			rnd_seed(i);
			actors[i]();
			_exit(0);
		}
		pids[i] = pid;
	}
	for (i = 0; i < ARRAY_SIZE(actors); i++) {
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("actor %s failed (status 0x%x)\n", actor_names[i],
			       status);
			bad = 1;
		}
	}
	printf("ran %lld ms\n", now_ms() - t0);
	printf("%-22s %8s %8s %10s %8s %8s  errors\n", "operation", "loaded",
	       "absent", "transition", "failed", "max-ms");
	for (i = 0; i < K_COUNT; i++) {
		fails = 0;
		for (s = 0; s < M_STATES; s++) {
			fails += ss->fail[i][s];
			total[s] += ss->ok[i][s] + ss->fail[i][s];
		}
		printf("%-22s %8ld %8ld %10ld %8ld %8lld ", kind_names[i],
		       ss->ok[i][M_LOADED] + ss->fail[i][M_LOADED],
		       ss->ok[i][M_ABSENT] + ss->fail[i][M_ABSENT],
		       ss->ok[i][M_MOVING] + ss->fail[i][M_MOVING], fails,
		       ss->maxlat[i]);
		for (e = 0; e < ERRS; e++)
			if (ss->err[i][e])
				printf(" %s:%ld", errname(e), ss->err[i][e]);
		printf("\n");
	}
	printf("total: %ld while loaded, %ld while absent, %ld while coming or going;",
	       total[M_LOADED], total[M_ABSENT], total[M_MOVING]);
	printf(" unload retried %ld times for a busy module\n", ss->unload_busy);
	(void)mstate_names;
	return bad;
}

static int kmsg_main(void)
{
	static char buf[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	long lost = 0;
	ssize_t n;

	if (fd < 0)
		die("/dev/kmsg");
	lseek(fd, 0, SEEK_END);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EPIPE) {
			n = snprintf(buf, sizeof(buf),
				     "0,0,0,-;gka-stress: kmsg: records lost (%ld)\n",
				     ++lost);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n <= 0) {
			die("read /dev/kmsg");
		}
		if (write(1, buf, n) != n)
			die("write");
	}
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], "write"))
		return write_main(argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "race"))
		return race_main(argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "kmsg"))
		return kmsg_main();
	if (argc > 1 && !strcmp(argv[1], "stress"))
		return stress_main(argc - 2, argv + 2);
	fprintf(stderr, "usage: %s write|race|kmsg|stress ...\n", prog);
	return 2;
}
