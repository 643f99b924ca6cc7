// SPDX-License-Identifier: GPL-2.0
/*
 * gka-kad: a minimal userspace GRE keepalive daemon.
 *
 * THIS IS THE BASELINE FOR COMPARISON IN THE SCALE BENCH, NOT A PRODUCT.
 * It does, for many tunnels to one peer, what public Linux keepalive
 * daemons do, the way they do it, so that the kernel module's cost can be
 * measured against it in the same guest (tests/bench/scale.sh):
 *
 *  - probes go out of a raw socket (AF_INET, SOCK_RAW, IPPROTO_GRE) in the
 *    tunnels' underlay: the kernel adds the outer IPv4 header, we write
 *    the GRE header (key, protocol type 0x0800) and the inner probe, what
 *    the module sends (src/probe.c, gka_probe_build): an IPv4 header
 *    remote -> local, DSCP CS6, TTL 255, protocol 47, then a GRE header
 *    with protocol type 0 and the tunnel's key. Built once per tunnel,
 *    its IP ID stays 0 where the module's counts up. A raw socket of protocol
 *    GRE would also be handed a copy of every GRE packet that arrives: a
 *    BPF filter that passes nothing keeps its queue empty;
 *  - replies are read from a packet socket (AF_PACKET, SOCK_DGRAM) on the
 *    underlay device, with a BPF filter that passes incoming IPv4 GRE
 *    with protocol type 0 only, and a receive buffer of 16 MB: a daemon
 *    that falls behind loses replies, and then takes tunnels down;
 *  - the line protocol is the tunnel's administrative state, set through
 *    rtnetlink (RTM_NEWLINK, IFF_UP, waiting for the acknowledgment) as
 *    such daemons do with "ip link set dev TUNNEL down|up": userspace
 *    cannot switch a GRE tunnel's carrier;
 *  - one epoll loop, one timerfd armed for the earliest probe due (a heap
 *    of deadlines); each tunnel starts at a random point of its interval,
 *    as the module's do;
 *  - Cisco's counter, as the module keeps it (src/state.c): every probe
 *    sent increments it, a reply resets it to 0; the line goes down when a
 *    probe is due and retries probes are unanswered, and up at the first
 *    reply.
 *
 *   gka-kad DEV LOCAL REMOTE INTERVAL_MS RETRIES FILE
 *	DEV is the underlay device, LOCAL and REMOTE the tunnels' outer
 *	addresses; FILE has one line "IFNAME KEY" per tunnel. Prints "ready"
 *	once running. SIGUSR1 prints
 *	  kad tunnels N sent S errors E replies R stray X transitions T down D
 *	  dropped P
 *	(on one line; dropped: replies the packet socket had no room for) and
 *	SIGTERM or SIGINT prints it and exits.
 *
 * Exit status 2 for a usage error, 3 for a failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL
#define GRE_KEY_BIT	0x2000
#define GRE_CSUM_BIT	0x8000
#define PROBE_LEN	36	/* GRE with key, inner IPv4, GRE with key */
#define INNER_TTL	255
#define OUTER_TTL	64
#define PKT_RCVBUF	(16 * 1024 * 1024)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *prog = "gka-kad";

struct tunnel {
	char name[IF_NAMESIZE];
	int ifindex;
	__u32 key;
	__u32 counter;
	int up;
	long long due;
	unsigned char probe[PROBE_LEN];
};

struct kad {
	struct tunnel *t;
	size_t n;
	size_t *heap;		/* indexes into t, earliest due first */
	size_t *by_key;		/* indexes into t, sorted by key */
	struct in_addr local, remote;
	long long interval;
	__u32 retries;
	int raw, pkt, rtnl, tfd;
	unsigned long sent, errors, replies, stray, transitions, dropped;
	__u32 seq;
};

static void bad_usage(void)
{
	fprintf(stderr, "usage: %s DEV LOCAL REMOTE INTERVAL_MS RETRIES FILE\n", prog);
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(3);
}

static unsigned long parse_number(const char *s, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v < min || v > max) {
		fprintf(stderr, "%s: bad number '%s' (%lu..%lu)\n", prog, s, min, max);
		exit(2);
	}
	return v;
}

static struct in_addr parse_address(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "%s: bad IPv4 address '%s'\n", prog, s);
		exit(2);
	}
	return a;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static __u16 ip_checksum(const unsigned char *p, size_t len)
{
	__u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static void put_be16(unsigned char *p, unsigned int v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put_be32(unsigned char *p, __u32 v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v & 0xffff);
}

/*
 * What follows the outer IPv4 header the kernel writes: our GRE header as
 * the tunnel would write it (key, IPv4 inside), then gka_probe_build()'s
 * bytes for a keyed tunnel without checksum.
 */
static void build_probe(struct kad *k, struct tunnel *t)
{
	unsigned char *p = t->probe, *iph = p + 8, *gre = iph + 20;
	__u16 csum;

	memset(p, 0, PROBE_LEN);
	put_be16(p, GRE_KEY_BIT);
	put_be16(p + 2, ETH_P_IP);
	put_be32(p + 4, t->key);
	iph[0] = 0x45;
	iph[1] = 0xc0;
	put_be16(iph + 2, 20 + 8);
	iph[8] = INNER_TTL;
	iph[9] = IPPROTO_GRE;
	memcpy(iph + 12, &k->remote, 4);
	memcpy(iph + 16, &k->local, 4);
	csum = ip_checksum(iph, 20);
	put_be16(iph + 10, csum);
	put_be16(gre, GRE_KEY_BIT);
	put_be32(gre + 4, t->key);
}

/* --- the heap of deadlines ------------------------------------------------ */

static int earlier(struct kad *k, size_t a, size_t b)
{
	return k->t[k->heap[a]].due < k->t[k->heap[b]].due;
}

static void heap_swap(struct kad *k, size_t a, size_t b)
{
	size_t x = k->heap[a];

	k->heap[a] = k->heap[b];
	k->heap[b] = x;
}

static void sift_down(struct kad *k, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < k->n && earlier(k, l, m))
			m = l;
		if (r < k->n && earlier(k, r, m))
			m = r;
		if (m == i)
			return;
		heap_swap(k, i, m);
		i = m;
	}
}

static void heap_build(struct kad *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		k->heap[i] = i;
	for (i = k->n / 2; i-- > 0;)
		sift_down(k, i);
}

/* --- line protocol through rtnetlink --------------------------------------- */

static void set_admin(struct kad *k, struct tunnel *t, int up)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nh.nlmsg_type = RTM_NEWLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nh.nlmsg_seq = ++k->seq,
		.ifi.ifi_family = AF_UNSPEC,
		.ifi.ifi_index = t->ifindex,
		.ifi.ifi_flags = up ? IFF_UP : 0,
		.ifi.ifi_change = IFF_UP,
	};
	char buf[4096];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct nlmsgerr *err;
	ssize_t n;

	if (send(k->rtnl, &req, req.nh.nlmsg_len, 0) < 0)
		die("RTM_NEWLINK");
	n = recv(k->rtnl, buf, sizeof(buf), 0);
	if (n < 0)
		die("RTM_NEWLINK answer");
	err = NLMSG_DATA(nh);
	if (!NLMSG_OK(nh, n) || nh->nlmsg_type != NLMSG_ERROR || err->error)
		fprintf(stderr, "%s: %s: could not set it %s\n", prog, t->name,
			up ? "up" : "down");
	t->up = up;
	k->transitions++;
}

/* --- probes and replies --------------------------------------------------- */

static void send_probe(struct kad *k, struct tunnel *t)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = k->remote };

	if (t->up && t->counter >= k->retries)
		set_admin(k, t, 0);
	if (t->counter < 0xffffffffU)
		t->counter++;
	if (sendto(k->raw, t->probe, PROBE_LEN, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		k->errors++;
	else
		k->sent++;
}

static void on_timer(struct kad *k)
{
	__u64 expirations;
	long long now = now_ns();
	struct itimerspec its = { 0 };
	struct tunnel *t;

	if (read(k->tfd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		die("timerfd");
	while (k->n && (t = &k->t[k->heap[0]])->due <= now) {
		send_probe(k, t);
		t->due += k->interval;
		if (t->due <= now)
			t->due = now + k->interval;
		sift_down(k, 0);
	}
	t = &k->t[k->heap[0]];
	its.it_value.tv_sec = t->due / NS_PER_SEC;
	its.it_value.tv_nsec = t->due % NS_PER_SEC;
	if (timerfd_settime(k->tfd, TFD_TIMER_ABSTIME, &its, NULL))
		die("timerfd_settime");
}

static struct tunnel *find_key(struct kad *k, __u32 key)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		__u32 mk = k->t[k->by_key[mid]].key;

		if (mk == key)
			return &k->t[k->by_key[mid]];
		if (mk < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void on_reply(struct kad *k, const unsigned char *p, ssize_t len)
{
	unsigned int ihl, flags, off;
	struct tunnel *t;
	__u32 key;

	if (len < 20)
		return;
	ihl = (p[0] & 0x0f) * 4;
	if ((size_t)len < ihl + 4 || memcmp(p + 12, &k->remote, 4) ||
	    memcmp(p + 16, &k->local, 4)) {
		k->stray++;
		return;
	}
	flags = p[ihl] << 8 | p[ihl + 1];
	off = ihl + 4 + (flags & GRE_CSUM_BIT ? 4 : 0);
	if (!(flags & GRE_KEY_BIT) || (size_t)len < off + 4) {
		k->stray++;
		return;
	}
	key = (__u32)p[off] << 24 | (__u32)p[off + 1] << 16 | (__u32)p[off + 2] << 8 | p[off + 3];
	t = find_key(k, key);
	if (!t) {
		k->stray++;
		return;
	}
	k->replies++;
	t->counter = 0;
	if (!t->up)
		set_admin(k, t, 1);
}

static void on_packets(struct kad *k)
{
	unsigned char buf[2048];
	ssize_t n;

	for (;;) {
		n = recv(k->pkt, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			die("packet socket");
		}
		on_reply(k, buf, n);
	}
}

static void report(struct kad *k)
{
	struct tpacket_stats st = { 0 };
	socklen_t len = sizeof(st);
	size_t i, down = 0;

	for (i = 0; i < k->n; i++)
		down += !k->t[i].up;
	/* Replies the packet socket had no room for (since the last report). */
	getsockopt(k->pkt, SOL_PACKET, PACKET_STATISTICS, &st, &len);
	k->dropped += st.tp_drops;
	printf("kad tunnels %zu sent %lu errors %lu ", k->n, k->sent, k->errors);
	printf("replies %lu stray %lu transitions %lu down %zu ", k->replies, k->stray,
	       k->transitions, down);
	printf("dropped %lu\n", k->dropped);
	fflush(stdout);
}

/* --- setup ---------------------------------------------------------------- */

static struct kad *sort_k;

static int cmp_key(const void *a, const void *b)
{
	__u32 x = sort_k->t[*(const size_t *)a].key;
	__u32 y = sort_k->t[*(const size_t *)b].key;

	return x < y ? -1 : x > y;
}

static void read_tunnels(struct kad *k, const char *file)
{
	char name[IF_NAMESIZE];
	unsigned long key;
	size_t cap = 0, i;
	FILE *f = fopen(file, "r");

	if (!f)
		die(file);
	while (fscanf(f, "%15s %lu", name, &key) == 2) {
		struct tunnel *t;

		if (k->n == cap) {
			cap = cap ? 2 * cap : 1024;
			k->t = realloc(k->t, cap * sizeof(*k->t));
			if (!k->t)
				die("tunnels");
		}
		t = &k->t[k->n];
		memset(t, 0, sizeof(*t));
		memcpy(t->name, name, sizeof(t->name));
		t->ifindex = (int)if_nametoindex(name);
		if (!t->ifindex)
			die(name);
		t->key = (__u32)key;
		t->up = 1;
		build_probe(k, t);
		k->n++;
	}
	fclose(f);
	if (!k->n) {
		fprintf(stderr, "%s: no tunnel in %s\n", prog, file);
		exit(2);
	}
	k->heap = calloc(k->n, sizeof(*k->heap));
	k->by_key = calloc(k->n, sizeof(*k->by_key));
	if (!k->heap || !k->by_key)
		die("tunnels");
	for (i = 0; i < k->n; i++)
		k->by_key[i] = i;
	sort_k = k;
	qsort(k->by_key, k->n, sizeof(*k->by_key), cmp_key);
}

static void open_sockets(struct kad *k, const char *dev)
{
	struct sock_filter none[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_filter replies[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 6, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_GRE, 0, 4),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 128),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog fnone = { .len = 1, .filter = none };
	struct sock_fprog freplies = {
		.len = ARRAY_SIZE(replies),
		.filter = replies,
	};
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr = k->local };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	int ttl = OUTER_TTL, rcvbuf = PKT_RCVBUF;

	k->raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_GRE);
	if (k->raw < 0)
		die("raw socket");
	if (setsockopt(k->raw, SOL_SOCKET, SO_ATTACH_FILTER, &fnone, sizeof(fnone)) ||
	    setsockopt(k->raw, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) ||
	    bind(k->raw, (struct sockaddr *)&from, sizeof(from)))
		die("raw socket setup");

	sll.sll_ifindex = (int)if_nametoindex(dev);
	if (!sll.sll_ifindex)
		die(dev);
	k->pkt = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (k->pkt < 0)
		die("packet socket");
	if (setsockopt(k->pkt, SOL_SOCKET, SO_ATTACH_FILTER, &freplies, sizeof(freplies)) ||
	    bind(k->pkt, (struct sockaddr *)&sll, sizeof(sll)))
		die("packet socket setup");
	/* Room for a second of replies at 10,000 a second, should we be late. */
	if (setsockopt(k->pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(k->pkt, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	k->rtnl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (k->rtnl < 0 || bind(k->rtnl, (struct sockaddr *)&snl, sizeof(snl)))
		die("rtnetlink socket");

	k->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (k->tfd < 0)
		die("timerfd");
}

int main(int argc, char **argv)
{
	struct kad k = { 0 };
	struct epoll_event ev = { .events = EPOLLIN }, evs[8];
	struct signalfd_siginfo si;
	sigset_t sigs;
	long long now;
	int ep, sfd, i, n;
	size_t j;

	if (argc != 7)
		bad_usage();
	k.local = parse_address(argv[2]);
	k.remote = parse_address(argv[3]);
	k.interval = (long long)parse_number(argv[4], 10, 32767000) * NS_PER_MS;
	k.retries = (__u32)parse_number(argv[5], 1, 255);
	read_tunnels(&k, argv[6]);
	open_sockets(&k, argv[1]);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0)
		die("signalfd, epoll");
	ev.data.fd = k.tfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, k.tfd, &ev))
		die("epoll_ctl");
	ev.data.fd = k.pkt;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, k.pkt, &ev))
		die("epoll_ctl");
	ev.data.fd = sfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev))
		die("epoll_ctl");

	/* Each tunnel starts at a random point of its interval. */
	srandom((unsigned int)now_ns());
	now = now_ns();
	for (j = 0; j < k.n; j++)
		k.t[j].due = now + (long long)((double)random() / ((double)RAND_MAX + 1) *
					       (double)k.interval);
	heap_build(&k);
	on_timer(&k);
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		n = epoll_wait(ep, evs, 8, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == k.tfd) {
				on_timer(&k);
			} else if (evs[i].data.fd == k.pkt) {
				on_packets(&k);
			} else if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				report(&k);
				if (si.ssi_signo != SIGUSR1)
					return 0;
			}
		}
	}
}
