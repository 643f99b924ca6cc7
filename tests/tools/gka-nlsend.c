// SPDX-License-Identifier: GPL-2.0
/*
 * gka-nlsend: send one hand-built (possibly malformed) generic netlink
 * request to the gre_keepalive family and print the kernel's answer.
 *
 * Test helper for the integration tests; plain sockets only, so that it
 * links statically into the qemu guest.
 *
 * usage: gka-nlsend [-a] CMD [ATTR:TYPE:VALUE]...
 *
 *   -a     msg lines show dscp, reflect_nat and reflect_overlay too (after
 *          reflect); without it they are as before those attributes were
 *          added, which tests compare whole
 *   CMD    set | get | dump | 0..255   (set = TUNNEL_SET, get = TUNNEL_GET,
 *          dump = TUNNEL_GET with NLM_F_DUMP)
 *   ATTR   attribute name of the "tunnel" set (ifindex, ifname, enabled,
 *          interval_ms, ..., reflect, ..., dscp, reflect_nat,
 *          reflect_overlay) or 0..65535
 *   TYPE   u8 | u16 | u32 | u64   VALUE is a number (decimal or 0x hex)
 *          str                    VALUE followed by a NUL byte
 *          strn                   VALUE without a NUL byte
 *          bytes                  VALUE is a count N: N bytes of 0x41
 *          flag                   no payload, VALUE ignored (may be absent)
 *
 * Output (stdout):
 *   msg [ifname=S] [enabled=N] [interval_ms=N] [retries=N] [line=N]
 *       [reflect=N] [dscp=N reflect_nat=N reflect_overlay=N (-a)]
 *       zero or more lines, one per message the kernel returned
 *   ok
 *   error ERRNO MSG[ (attr NAME)][ (missing NAME)]
 *       ERRNO is a symbolic errno name or a number, MSG the extack message
 *       or "-"; "(attr NAME)" names the attribute of the request at
 *       NLMSGERR_ATTR_OFFS ("(offset N)" if no attribute is there);
 *       "(missing NAME)" reports NLMSGERR_ATTR_MISS_TYPE.
 *   error NOFAMILY -
 *       the gre_keepalive family is not registered
 *
 * Exit status: 0 ok, 1 kernel error, 2 usage error, 3 local failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/gre_keepalive.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif
#define GKA_NLMSGERR_ATTR_MSG		1
#define GKA_NLMSGERR_ATTR_OFFS		2
#define GKA_NLMSGERR_ATTR_MISS_TYPE	5

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define EXIT_KERNEL		1
#define EXIT_USAGE		2
#define EXIT_LOCAL		3
#define RECV_TIMEOUT_S		30
#define SEQ_CTRL		1
#define SEQ_REQ			2
#define ENOTSUPP_KERNEL		524

static const char * const attr_names[] = {
	[0]					= "unspec",
	[GRE_KEEPALIVE_A_TUNNEL_IFINDEX]	= "ifindex",
	[GRE_KEEPALIVE_A_TUNNEL_IFNAME]		= "ifname",
	[GRE_KEEPALIVE_A_TUNNEL_ENABLED]	= "enabled",
	[GRE_KEEPALIVE_A_TUNNEL_ADMIN_UP]	= "admin_up",
	[GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS]	= "interval_ms",
	[GRE_KEEPALIVE_A_TUNNEL_RETRIES]	= "retries",
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT]	= "reflect",
	[GRE_KEEPALIVE_A_TUNNEL_LINE]		= "line",
	[GRE_KEEPALIVE_A_TUNNEL_COUNTER]	= "counter",
	[GRE_KEEPALIVE_A_TUNNEL_PROBES_SENT]	= "probes_sent",
	[GRE_KEEPALIVE_A_TUNNEL_PROBE_ERRORS]	= "probe_errors",
	[GRE_KEEPALIVE_A_TUNNEL_REPLIES]	= "replies",
	[GRE_KEEPALIVE_A_TUNNEL_TRANSITIONS]	= "transitions",
	[GRE_KEEPALIVE_A_TUNNEL_LAST_CHANGE_NS]	= "last_change_ns",
	[GRE_KEEPALIVE_A_TUNNEL_LAST_REPLY_NS]	= "last_reply_ns",
	[GRE_KEEPALIVE_A_TUNNEL_REFLECTED]	= "reflected",
	[GRE_KEEPALIVE_A_TUNNEL_PASSED]		= "passed",
	[GRE_KEEPALIVE_A_TUNNEL_SUSPENDED]	= "suspended",
	[GRE_KEEPALIVE_A_TUNNEL_REASON]		= "reason",
	[GRE_KEEPALIVE_A_TUNNEL_PAD]		= "pad",
	[GRE_KEEPALIVE_A_TUNNEL_DSCP]		= "dscp",
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT]	= "reflect_nat",
	[GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY] = "reflect_overlay",
};

/* Fails to compile when attr_names[] no longer covers the tunnel attributes. */
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

struct errno_name {
	int num;
	const char *name;
};

#define ERRNO_NAME(e)	{ e, #e }

static const struct errno_name errno_names[] = {
	ERRNO_NAME(EPERM), ERRNO_NAME(ENOENT), ERRNO_NAME(ESRCH),
	ERRNO_NAME(EINTR), ERRNO_NAME(EIO), ERRNO_NAME(ENXIO),
	ERRNO_NAME(E2BIG), ERRNO_NAME(EBADF), ERRNO_NAME(EAGAIN),
	ERRNO_NAME(ENOMEM), ERRNO_NAME(EACCES), ERRNO_NAME(EFAULT),
	ERRNO_NAME(EBUSY), ERRNO_NAME(EEXIST), ERRNO_NAME(EXDEV),
	ERRNO_NAME(ENODEV), ERRNO_NAME(ENOTDIR), ERRNO_NAME(EINVAL),
	ERRNO_NAME(ENFILE), ERRNO_NAME(EMFILE), ERRNO_NAME(ENOSPC),
	ERRNO_NAME(ESPIPE), ERRNO_NAME(EROFS), ERRNO_NAME(EPIPE),
	ERRNO_NAME(EDOM), ERRNO_NAME(ERANGE), ERRNO_NAME(EDEADLK),
	ERRNO_NAME(ENAMETOOLONG), ERRNO_NAME(ENOTEMPTY),
	ERRNO_NAME(ELOOP), ERRNO_NAME(ENOMSG), ERRNO_NAME(ENODATA),
	ERRNO_NAME(ETIME), ERRNO_NAME(ENOLINK), ERRNO_NAME(EPROTO),
	ERRNO_NAME(EBADMSG), ERRNO_NAME(EOVERFLOW), ERRNO_NAME(EILSEQ),
	ERRNO_NAME(ENOTSOCK), ERRNO_NAME(EDESTADDRREQ), ERRNO_NAME(EMSGSIZE),
	ERRNO_NAME(EPROTOTYPE), ERRNO_NAME(ENOPROTOOPT), ERRNO_NAME(EPROTONOSUPPORT),
	ERRNO_NAME(EOPNOTSUPP), ERRNO_NAME(EAFNOSUPPORT), ERRNO_NAME(EADDRINUSE),
	ERRNO_NAME(EADDRNOTAVAIL), ERRNO_NAME(ENETDOWN), ERRNO_NAME(ENETUNREACH),
	ERRNO_NAME(ECONNABORTED), ERRNO_NAME(ECONNRESET), ERRNO_NAME(ENOBUFS),
	ERRNO_NAME(EISCONN), ERRNO_NAME(ENOTCONN), ERRNO_NAME(ETIMEDOUT),
	ERRNO_NAME(ECONNREFUSED), ERRNO_NAME(EHOSTDOWN), ERRNO_NAME(EHOSTUNREACH),
	ERRNO_NAME(EALREADY), ERRNO_NAME(EINPROGRESS), ERRNO_NAME(ESTALE),
	ERRNO_NAME(EDQUOT), ERRNO_NAME(ECANCELED), ERRNO_NAME(EOWNERDEAD),
	ERRNO_NAME(ENOTRECOVERABLE), ERRNO_NAME(ERFKILL), ERRNO_NAME(EHWPOISON),
	/* kernel-internal values that can leak to user space */
	{ 512, "ERESTARTSYS" }, { 515, "ENOIOCTLCMD" }, { 517, "EPROBE_DEFER" },
	{ 521, "EBADHANDLE" }, { ENOTSUPP_KERNEL, "ENOTSUPP" },
	{ 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" }, { 527, "EBADTYPE" },
};

struct type_name {
	const char *name;
	unsigned int size;	/* payload bytes for integers, 0 otherwise */
};

enum val_type { T_U8, T_U16, T_U32, T_U64, T_STR, T_STRN, T_BYTES, T_FLAG };

static const struct type_name type_names[] = {
	[T_U8]		= { "u8", 1 },
	[T_U16]		= { "u16", 2 },
	[T_U32]		= { "u32", 4 },
	[T_U64]		= { "u64", 8 },
	[T_STR]		= { "str", 0 },
	[T_STRN]	= { "strn", 0 },
	[T_BYTES]	= { "bytes", 0 },
	[T_FLAG]	= { "flag", 0 },
};

/* Where each attribute sits in the request, to name NLMSGERR_ATTR_OFFS. */
struct sent_attr {
	size_t off;
	size_t len;
	unsigned int type;
};

struct buf {
	unsigned char *data;
	size_t len;
	size_t cap;
};

struct nl_result {
	int done;
	int err;			/* 0 or -errno from the kernel */
	char msg[512];			/* extack message, "" if none */
	long long offs;			/* NLMSGERR_ATTR_OFFS or -1 */
	long long miss_type;		/* NLMSGERR_ATTR_MISS_TYPE or -1 */
};

typedef void (*msg_handler)(const struct nlmsghdr *nlh, void *ctx);

static const char *prog = "gka-nlsend";

static void die_local(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(EXIT_LOCAL);
}

static void print_usage(void)
{
	size_t i;

	fprintf(stderr, "usage: %s [-a] CMD [ATTR:TYPE:VALUE]...\n", prog);
	fprintf(stderr, "  CMD   set | get | dump | 0..255\n  ATTR ");
	for (i = 0; i < ARRAY_SIZE(attr_names); i++)
		fprintf(stderr, " %s |", attr_names[i]);
	fprintf(stderr, " 0..65535\n  TYPE ");
	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		fprintf(stderr, "%s %s", i ? " |" : "", type_names[i].name);
	fprintf(stderr, "\n  (str/strn: VALUE is the text; bytes: VALUE is a count)\n");
}

static void usage_error(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	print_usage();
	exit(EXIT_USAGE);
}

/* Strict unsigned number: decimal or 0x hex, no sign, no junk, <= max. */
static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static void buf_reserve(struct buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	unsigned char *p;

	while (cap < b->len + more)
		cap *= 2;
	if (cap == b->cap)
		return;
	p = realloc(b->data, cap);
	if (!p)
		die_local("realloc");
	b->data = p;
	b->cap = cap;
}

static void *buf_put(struct buf *b, size_t len)
{
	void *p;

	buf_reserve(b, len);
	p = b->data + b->len;
	memset(p, 0, len);
	b->len += len;
	return p;
}

static void put_attr(struct buf *b, unsigned int type, const void *data, size_t len)
{
	struct nlattr *nla = buf_put(b, NLA_HDRLEN);

	nla->nla_len = NLA_HDRLEN + len;
	nla->nla_type = type;
	if (len)
		memcpy(buf_put(b, len), data, len);
	buf_put(b, NLA_ALIGN(len) - len);
}

static struct nlmsghdr *put_msghdr(struct buf *b, __u16 type, __u16 flags, __u32 seq, __u8 cmd,
				   __u8 version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	b->len = 0;
	nlh = buf_put(b, NLMSG_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	genl = buf_put(b, GENL_HDRLEN);
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static int lookup_attr(const char *name, unsigned int *type)
{
	unsigned long long v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attr_names); i++) {
		if (!strcmp(name, attr_names[i])) {
			*type = i;
			return 0;
		}
	}
	if (parse_uint(name, 0xffff, &v))
		return -1;
	*type = v;
	return 0;
}

static void print_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(attr_names))
		printf("%s", attr_names[type]);
	else
		printf("%u", type);
}

/* Parse "ATTR:TYPE:VALUE" and append the attribute to the request. */
static void add_arg_attr(struct buf *b, const char *arg, struct sent_attr *sa)
{
	char *copy = strdup(arg);
	char *tname, *val;
	unsigned long long v;
	unsigned int type;
	size_t i, len;
	void *p;

	if (!copy)
		die_local("strdup");
	tname = strchr(copy, ':');
	if (!tname)
		usage_error("bad argument '%s': expected ATTR:TYPE:VALUE%s", arg, "");
	*tname++ = '\0';
	val = strchr(tname, ':');
	if (val)
		*val++ = '\0';
	if (lookup_attr(copy, &type))
		usage_error("bad attribute '%s' in '%s'", copy, arg);
	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		if (!strcmp(tname, type_names[i].name))
			break;
	if (i == ARRAY_SIZE(type_names))
		usage_error("bad type '%s' in '%s'", tname, arg);
	if (!val && i != T_FLAG)
		usage_error("missing value in '%s'%s", arg, "");

	sa->off = b->len;
	sa->type = type;
	switch (i) {
	case T_U8:
	case T_U16:
	case T_U32:
	case T_U64:
		len = type_names[i].size;
		if (parse_uint(val, len == 8 ? ~0ULL : (1ULL << (len * 8)) - 1, &v))
			usage_error("bad %s value '%s'", type_names[i].name, val);
		if (len == 1) {
			__u8 x = v;

			put_attr(b, type, &x, len);
		} else if (len == 2) {
			__u16 x = v;

			put_attr(b, type, &x, len);
		} else if (len == 4) {
			__u32 x = v;

			put_attr(b, type, &x, len);
		} else {
			__u64 x = v;

			put_attr(b, type, &x, len);
		}
		break;
	case T_STR:
	case T_STRN:
		len = strlen(val) + (i == T_STR);
		if (len > 0xffff - NLA_HDRLEN)
			usage_error("string too long in '%s'%s", arg, "");
		put_attr(b, type, val, len);
		break;
	case T_BYTES:
		if (parse_uint(val, 0xffff - NLA_HDRLEN, &v))
			usage_error("bad byte count '%s' (0..65531) in '%s'", val, arg);
		p = malloc(v ? v : 1);
		if (!p)
			die_local("malloc");
		memset(p, 0x41, v);
		put_attr(b, type, p, v);
		free(p);
		break;
	default:
		put_attr(b, type, NULL, 0);
		break;
	}
	sa->len = b->len - sa->off;
	free(copy);
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	int one = 1;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		die_local("socket(AF_NETLINK, NETLINK_GENERIC)");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)))
		die_local("setsockopt(NETLINK_EXT_ACK)");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		die_local("setsockopt(NETLINK_CAP_ACK)");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die_local("setsockopt(SO_RCVTIMEO)");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die_local("bind");
	return fd;
}

static void nl_send(int fd, struct buf *b)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->data;
	ssize_t n;

	nlh->nlmsg_len = b->len;
	do {
		n = sendto(fd, b->data, b->len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		die_local("sendto");
	if ((size_t)n != b->len) {
		errno = EMSGSIZE;
		die_local("sendto (short)");
	}
}

/* Extended ACK TLVs start at @off bytes into the message. */
static void parse_ext_ack(const struct nlmsghdr *nlh, size_t off, struct nl_result *res)
{
	const unsigned char *base = (const unsigned char *)nlh;
	const struct nlattr *nla;
	size_t alen, plen;
	__u32 u;

	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		nla = (const struct nlattr *)(base + off);
		alen = nla->nla_len;
		if (alen < NLA_HDRLEN || off + alen > nlh->nlmsg_len)
			break;
		plen = alen - NLA_HDRLEN;
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case GKA_NLMSGERR_ATTR_MSG:
			if (plen >= sizeof(res->msg))
				plen = sizeof(res->msg) - 1;
			memcpy(res->msg, base + off + NLA_HDRLEN, plen);
			res->msg[plen] = '\0';
			break;
		case GKA_NLMSGERR_ATTR_OFFS:
			if (plen >= sizeof(u)) {
				memcpy(&u, base + off + NLA_HDRLEN, sizeof(u));
				res->offs = u;
			}
			break;
		case GKA_NLMSGERR_ATTR_MISS_TYPE:
			if (plen >= sizeof(u)) {
				memcpy(&u, base + off + NLA_HDRLEN, sizeof(u));
				res->miss_type = u;
			}
			break;
		}
		off += NLA_ALIGN(alen);
	}
}

static void parse_error_msg(const struct nlmsghdr *nlh, struct nl_result *res)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);

	res->done = 1;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		res->err = -EBADMSG;
		snprintf(res->msg, sizeof(res->msg), "gka-nlsend: truncated NLMSG_ERROR");
		return;
	}
	res->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	parse_ext_ack(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(off), res);
}

static void parse_done_msg(const struct nlmsghdr *nlh, struct nl_result *res)
{
	int err;

	res->done = 1;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return;
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err >= 0)
		return;
	res->err = err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		parse_ext_ack(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(err)), res);
}

/* Read until the ACK, NLMSG_DONE or error for @seq; data goes to @fn. */
static void nl_recv_all(int fd, __u32 seq, msg_handler fn, void *ctx, struct nl_result *res)
{
	static unsigned char *rbuf;
	static size_t rcap;
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	memset(res, 0, sizeof(*res));
	res->offs = -1;
	res->miss_type = -1;
	while (!res->done) {
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_local(errno == EAGAIN ? "recv (timed out)" : "recv");
		if ((size_t)n > rcap) {
			free(rbuf);
			rcap = n;
			rbuf = malloc(rcap);
			if (!rbuf)
				die_local("malloc");
		}
		n = recv(fd, rbuf, rcap, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_local("recv");
		len = n;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len) && !res->done;
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				parse_error_msg(nlh, res);
			else if (nlh->nlmsg_type == NLMSG_DONE)
				parse_done_msg(nlh, res);
			else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && fn)
				fn(nlh, ctx);
		}
	}
}

static void family_handler(const struct nlmsghdr *nlh, void *ctx)
{
	const unsigned char *base = (const unsigned char *)nlh;
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *nla;

	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		nla = (const struct nlattr *)(base + off);
		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > nlh->nlmsg_len)
			break;
		if ((nla->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
		    nla->nla_len >= NLA_HDRLEN + sizeof(__u16))
			memcpy(ctx, base + off + NLA_HDRLEN, sizeof(__u16));
		off += NLA_ALIGN(nla->nla_len);
	}
}

static void print_uint(const char *name, const struct nlattr *nla)
{
	const unsigned char *p = (const unsigned char *)nla + NLA_HDRLEN;
	__u8 v8;
	__u16 v16;
	__u32 v32;
	__u64 v64;

	switch (nla->nla_len - NLA_HDRLEN) {
	case 1:
		memcpy(&v8, p, 1);
		printf(" %s=%u", name, v8);
		break;
	case 2:
		memcpy(&v16, p, 2);
		printf(" %s=%u", name, v16);
		break;
	case 4:
		memcpy(&v32, p, 4);
		printf(" %s=%u", name, v32);
		break;
	case 8:
		memcpy(&v64, p, 8);
		printf(" %s=%llu", name, (unsigned long long)v64);
		break;
	default:
		printf(" %s=?", name);
		break;
	}
}

struct reply_ctx {
	__u16 family;
	int all;	/* -a */
};

static void reply_handler(const struct nlmsghdr *nlh, void *ctx)
{
	static const unsigned int shown[] = {
		GRE_KEEPALIVE_A_TUNNEL_IFNAME, GRE_KEEPALIVE_A_TUNNEL_ENABLED,
		GRE_KEEPALIVE_A_TUNNEL_INTERVAL_MS, GRE_KEEPALIVE_A_TUNNEL_RETRIES,
		GRE_KEEPALIVE_A_TUNNEL_LINE, GRE_KEEPALIVE_A_TUNNEL_REFLECT,
		/* -a only */
		GRE_KEEPALIVE_A_TUNNEL_DSCP, GRE_KEEPALIVE_A_TUNNEL_REFLECT_NAT,
		GRE_KEEPALIVE_A_TUNNEL_REFLECT_OVERLAY,
	};
	const size_t n_plain = 6;
	const struct nlattr *found[ARRAY_SIZE(shown)] = { NULL };
	const unsigned char *base = (const unsigned char *)nlh;
	struct reply_ctx *rc = ctx;
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *nla;
	size_t i;

	if (nlh->nlmsg_type != rc->family)
		return;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		nla = (const struct nlattr *)(base + off);
		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > nlh->nlmsg_len)
			break;
		for (i = 0; i < ARRAY_SIZE(shown); i++)
			if ((nla->nla_type & NLA_TYPE_MASK) == shown[i])
				found[i] = nla;
		off += NLA_ALIGN(nla->nla_len);
	}

	printf("msg");
	for (i = 0; i < (rc->all ? ARRAY_SIZE(shown) : n_plain); i++) {
		nla = found[i];
		if (!nla)
			continue;
		if (shown[i] == GRE_KEEPALIVE_A_TUNNEL_IFNAME)
			printf(" ifname=%.*s",
			       (int)strnlen((const char *)nla + NLA_HDRLEN,
					    nla->nla_len - NLA_HDRLEN),
			       (const char *)nla + NLA_HDRLEN);
		else
			print_uint(attr_names[shown[i]], nla);
	}
	printf("\n");
}

static void print_errno(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
		if (errno_names[i].num == err) {
			printf("%s", errno_names[i].name);
			return;
		}
	}
	printf("%d", err);
}

static void print_error(const struct nl_result *res, const struct sent_attr *sent, int nsent)
{
	const struct sent_attr *hit = NULL;
	int i;

	printf("error ");
	print_errno(-res->err);
	printf(" %s", res->msg[0] ? res->msg : "-");
	if (res->offs >= 0) {
		for (i = 0; i < nsent && !hit; i++)
			if ((size_t)res->offs == sent[i].off)
				hit = &sent[i];
		for (i = 0; i < nsent && !hit; i++)
			if ((size_t)res->offs > sent[i].off &&
			    (size_t)res->offs < sent[i].off + sent[i].len)
				hit = &sent[i];
		if (hit) {
			printf(" (attr ");
			print_attr_name(hit->type);
			printf(")");
		} else {
			printf(" (offset %lld)", res->offs);
		}
	}
	if (res->miss_type >= 0) {
		printf(" (missing ");
		print_attr_name(res->miss_type);
		printf(")");
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	static const char * const cmd_names[] = {
		"set", "get", "dump",
	};
	static const __u8 cmd_values[] = {
		GRE_KEEPALIVE_CMD_TUNNEL_SET, GRE_KEEPALIVE_CMD_TUNNEL_GET,
		GRE_KEEPALIVE_CMD_TUNNEL_GET,
	};
	__u16 flags = NLM_F_REQUEST | NLM_F_ACK;
	struct buf req = { 0 };
	struct buf ctrl = { 0 };
	struct reply_ctx rc = { 0 };
	struct sent_attr *sent;
	struct nl_result res;
	unsigned long long v;
	int fd, i, nsent;
	size_t c;
	__u8 cmd;

	BUILD_BUG_ON(ARRAY_SIZE(attr_names) != __GRE_KEEPALIVE_A_TUNNEL_MAX);

	if (argc > 1 && !strcmp(argv[1], "-a")) {
		rc.all = 1;
		argc--;
		argv++;
	}
	if (argc < 2)
		usage_error("missing CMD%s%s", "", "");
	for (c = 0; c < ARRAY_SIZE(cmd_names); c++)
		if (!strcmp(argv[1], cmd_names[c]))
			break;
	if (c < ARRAY_SIZE(cmd_names)) {
		cmd = cmd_values[c];
		if (!strcmp(argv[1], "dump"))
			flags |= NLM_F_DUMP;
	} else if (!parse_uint(argv[1], 0xff, &v)) {
		cmd = v;
	} else {
		usage_error("bad command '%s'%s", argv[1], "");
	}

	/* Build the request first: usage errors must not depend on the kernel. */
	nsent = argc - 2;
	sent = calloc(nsent ? nsent : 1, sizeof(*sent));
	if (!sent)
		die_local("calloc");
	put_msghdr(&req, 0, flags, SEQ_REQ, cmd, GRE_KEEPALIVE_FAMILY_VERSION);
	for (i = 0; i < nsent; i++)
		add_arg_attr(&req, argv[i + 2], &sent[i]);

	fd = nl_open();

	put_msghdr(&ctrl, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, SEQ_CTRL, CTRL_CMD_GETFAMILY, 1);
	put_attr(&ctrl, CTRL_ATTR_FAMILY_NAME, GRE_KEEPALIVE_FAMILY_NAME,
		 sizeof(GRE_KEEPALIVE_FAMILY_NAME));
	nl_send(fd, &ctrl);
	nl_recv_all(fd, SEQ_CTRL, family_handler, &rc.family, &res);
	if (res.err == -ENOENT) {
		printf("error NOFAMILY -\n");
		return EXIT_KERNEL;
	}
	if (res.err) {
		print_error(&res, NULL, 0);
		return EXIT_KERNEL;
	}
	if (!rc.family) {
		fprintf(stderr, "%s: nlctrl reply without a family id\n", prog);
		return EXIT_LOCAL;
	}

	((struct nlmsghdr *)req.data)->nlmsg_type = rc.family;
	nl_send(fd, &req);
	nl_recv_all(fd, SEQ_REQ, reply_handler, &rc, &res);
	if (res.err) {
		print_error(&res, sent, nsent);
		return EXIT_KERNEL;
	}
	printf("ok\n");
	return 0;
}
