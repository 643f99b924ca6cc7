// SPDX-License-Identifier: GPL-2.0
/*
 * gka-bench: measuring helpers for the scale bench (tests/bench/scale.sh).
 *
 *   gka-bench probes DEV SECONDS [out|in]
 *	Count the keepalive probes leaving (out, default) or arriving on (in)
 *	DEV for SECONDS: GRE packets carrying an IPv4 packet that carries GRE,
 *	seen through an AF_PACKET TPACKET_V3 ring (a BPF filter passes IPv4
 *	GRE of that direction only; the ring wakes us every 50 ms, not per
 *	packet, so that counting costs almost nothing). Arrival times, from
 *	the kernel's timestamps, go into 10 ms bins. Prints "ready" once
 *	capturing, then
 *	  probes TOTAL bins NBINS max10ms MAX mean10ms MEAN dropped N
 *
 *   gka-bench rtnl DEV SECONDS [GAP_US]
 *	Take RTNL over and over: an RTM_NEWLINK that sets DEV's MTU to what
 *	it is (the kernel takes RTNL for it all the same), waiting GAP_US
 *	(default 1000) between requests, for SECONDS or until SIGTERM or
 *	SIGINT. The latency of a request is at least how long RTNL was held
 *	by someone else when it came. Prints "ready", then
 *	  rtnl requests N max_us MAX p99_us P99 mean_us MEAN over10ms N10
 *	  over100ms N100
 *
 *   gka-bench links PREFIX COUNT up|down TIMEOUT_MS
 *	Listen to rtnetlink's link group in this network namespace and print
 *	"NAME NS" (CLOCK_REALTIME) the first time each interface named PREFIX
 *	and a number is seen down (not IFF_RUNNING: carrier off or
 *	administratively down) or up (IFF_RUNNING), until COUNT of them have
 *	been seen or TIMEOUT_MS has passed since "ready"; then
 *	  links SEEN of COUNT overruns N
 *	Those in that state from the start are printed first, as "already
 *	NAME", and count. Prints "ready" once subscribed and they are known.
 *	After an overrun of the socket (ENOBUFS) a dump catches up, stamped
 *	with the time it is read.
 *
 *   gka-bench kmsg-seq
 *	Write a mark to the kernel log and print its sequence number: two
 *	marks tell how many records were written between them, even if the
 *	log buffer wrapped in the meantime.
 *
 * Exit status 2 for a usage error, 3 for a local failure, 1 if links timed
 * out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_SEC	1000000000LL
#define BIN_NS		10000000LL
#define RING_BLOCK	(1024 * 1024)
#define RING_BLOCKS	8
#define RING_FRAME	2048
#define DRAIN_NS	200000000LL
#define LINKS_RCVBUF	(128 << 20)
#define NL_BUF		65536
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *prog = "gka-bench";

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: %s probes DEV SECONDS [out|in]\n"
		"       %s rtnl DEV SECONDS [GAP_US]\n"
		"       %s links PREFIX COUNT up|down TIMEOUT_MS\n"
		"       %s kmsg-seq\n",
		prog, prog, prog, prog);
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(3);
}

static unsigned long parse_number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v > max) {
		fprintf(stderr, "%s: bad number '%s' (0..%lu)\n", prog, s, max);
		exit(2);
	}
	return v;
}

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static void say_ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

/* --- probes -------------------------------------------------------------- */

/* A keepalive probe: IPv4 GRE carrying IPv4 (0x0800) that carries GRE. */
static int is_probe(const unsigned char *p, unsigned int len)
{
	unsigned int ihl, gre, hlen, flags;

	if (len < ETH_HLEN + 20 || p[12] != 0x08 || p[13] != 0x00)
		return 0;
	p += ETH_HLEN;
	len -= ETH_HLEN;
	ihl = (p[0] & 0x0f) * 4;
	if ((p[0] >> 4) != 4 || ihl < 20 || p[9] != 47 || len < ihl + 4)
		return 0;
	gre = ihl;
	flags = p[gre] << 8 | p[gre + 1];
	if (p[gre + 2] != 0x08 || p[gre + 3] != 0x00)
		return 0;
	hlen = 4 + (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) +
	       (flags & 0x1000 ? 4 : 0);
	if (len < gre + hlen + 20)
		return 0;
	return p[gre + hlen + 9] == 47;
}

static int cmd_probes(int argc, char **argv)
{
	struct sock_filter code[] = {
		/* pkttype: outgoing, or not (k is patched below). */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 5),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, ETH_HLEN + 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 47, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 256),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog fprog = { .len = ARRAY_SIZE(code), .filter = code };
	struct tpacket_req3 req = {
		.tp_block_size = RING_BLOCK,
		.tp_block_nr = RING_BLOCKS,
		.tp_frame_size = RING_FRAME,
		.tp_frame_nr = RING_BLOCK / RING_FRAME * RING_BLOCKS,
		.tp_retire_blk_tov = 50,
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long seconds, nbins, total = 0, max = 0, i;
	long long start, end, t;
	struct tpacket_stats_v3 st;
	socklen_t stlen = sizeof(st);
	int fd, version = TPACKET_V3, out = 1;
	unsigned int *bins, b = 0;
	unsigned char *ring;

	if (argc < 4 || argc > 5)
		bad_usage();
	if (argc == 5) {
		if (!strcmp(argv[4], "in"))
			out = 0;
		else if (strcmp(argv[4], "out"))
			bad_usage();
	}
	seconds = parse_number(argv[3], 86400);
	nbins = seconds * (NS_PER_SEC / BIN_NS) + 1;
	bins = calloc(nbins, sizeof(*bins));
	if (!bins)
		die("bins");
	if (!out) {
		/* Incoming: anything but outgoing; jump over the accept. */
		code[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						       PACKET_OUTGOING, 5, 0);
	}

	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(argv[2]);
	if (!sll.sll_ifindex)
		die(argv[2]);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("AF_PACKET socket");
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)))
		die("SO_ATTACH_FILTER");
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)))
		die("PACKET_VERSION");
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		die("PACKET_RX_RING");
	ring = mmap(NULL, (size_t)RING_BLOCK * RING_BLOCKS, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED)
		die("mmap");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");

	start = now_ns(CLOCK_REALTIME);
	end = start + (long long)seconds * NS_PER_SEC;
	say_ready();
	for (;;) {
		struct tpacket_block_desc *bd;
		struct tpacket3_hdr *h;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		unsigned int n;

		bd = (struct tpacket_block_desc *)(ring + (size_t)b * RING_BLOCK);
		if (!(bd->hdr.bh1.block_status & TP_STATUS_USER)) {
			/* Past the end, a block's time to retire: the last ones in. */
			t = now_ns(CLOCK_REALTIME);
			if (t >= end + DRAIN_NS)
				break;
			poll(&pfd, 1, (int)((end + DRAIN_NS - t) / 1000000 + 1));
			continue;
		}
		h = (struct tpacket3_hdr *)((unsigned char *)bd +
					    bd->hdr.bh1.offset_to_first_pkt);
		for (n = 0; n < bd->hdr.bh1.num_pkts; n++) {
			t = (long long)h->tp_sec * NS_PER_SEC + h->tp_nsec;
			if (t >= start && t < end &&
			    is_probe((unsigned char *)h + h->tp_mac, h->tp_snaplen)) {
				i = (unsigned long)((t - start) / BIN_NS);
				bins[i]++;
				total++;
			}
			h = (struct tpacket3_hdr *)((unsigned char *)h + h->tp_next_offset);
		}
		__sync_synchronize();
		bd->hdr.bh1.block_status = TP_STATUS_KERNEL;
		b = (b + 1) % RING_BLOCKS;
	}
	for (i = 0; i < nbins; i++)
		if (bins[i] > max)
			max = bins[i];
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen))
		st.tp_drops = 0;
	printf("probes %lu bins %lu max10ms %lu mean10ms %.2f dropped %u\n",
	       total, nbins - 1, max, (double)total / (double)(nbins - 1), st.tp_drops);
	return 0;
}

/* --- rtnl ---------------------------------------------------------------- */

struct nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[64];
};

static void add_u32_attr(struct nlmsghdr *nh, unsigned short type, __u32 v)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(sizeof(v));
	memcpy(RTA_DATA(rta), &v, sizeof(v));
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* The MTU of ifindex, from an RTM_GETLINK. */
static __u32 link_mtu(int fd, int ifindex)
{
	struct nl_req req = {
		.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nh.nlmsg_type = RTM_GETLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST,
		.ifi.ifi_family = AF_UNSPEC,
		.ifi.ifi_index = ifindex,
	};
	static char buf[NL_BUF];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta;
	ssize_t n;
	int len;

	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		die("RTM_GETLINK");
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0 || !NLMSG_OK(nh, n) || nh->nlmsg_type != RTM_NEWLINK) {
		fprintf(stderr, "%s: no answer about the device\n", prog);
		exit(3);
	}
	len = IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(NLMSG_DATA(nh)); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_MTU)
			return *(__u32 *)RTA_DATA(rta);
	fprintf(stderr, "%s: the device has no MTU\n", prog);
	exit(3);
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

static int cmd_rtnl(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nl_req req = {
		.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nh.nlmsg_type = RTM_NEWLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.ifi.ifi_family = AF_UNSPEC,
	};
	unsigned long seconds, gap_us = 1000, n = 0, cap = 1 << 16;
	unsigned long over10 = 0, over100 = 0;
	long long end, t0, t1, sum = 0;
	struct timespec gap;
	sigset_t stop, pending;
	char buf[NL_BUF];
	__u32 *lat, mtu, max = 0;
	int fd, ifindex;

	if (argc < 4 || argc > 5)
		bad_usage();
	seconds = parse_number(argv[3], 86400);
	if (argc == 5)
		gap_us = parse_number(argv[4], 1000000);
	gap.tv_sec = gap_us / 1000000;
	gap.tv_nsec = (long)(gap_us % 1000000) * 1000;
	ifindex = (int)if_nametoindex(argv[2]);
	if (!ifindex)
		die(argv[2]);
	lat = malloc(cap * sizeof(*lat));
	if (!lat)
		die("latencies");
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("rtnetlink socket");
	mtu = link_mtu(fd, ifindex);
	req.ifi.ifi_index = ifindex;
	add_u32_attr(&req.nh, IFLA_MTU, mtu);

	end = now_ns(CLOCK_MONOTONIC) + (long long)seconds * NS_PER_SEC;
	say_ready();
	for (;;) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		struct nlmsgerr *err;
		ssize_t len;
		__u32 us;

		sigpending(&pending);
		if (sigismember(&pending, SIGTERM) || sigismember(&pending, SIGINT))
			break;
		t0 = now_ns(CLOCK_MONOTONIC);
		if (t0 >= end)
			break;
		req.nh.nlmsg_seq++;
		if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
			die("RTM_NEWLINK");
		len = recv(fd, buf, sizeof(buf), 0);
		t1 = now_ns(CLOCK_MONOTONIC);
		if (len < 0 || !NLMSG_OK(nh, len) || nh->nlmsg_type != NLMSG_ERROR) {
			fprintf(stderr, "%s: no acknowledgment\n", prog);
			exit(3);
		}
		err = NLMSG_DATA(nh);
		if (err->error) {
			errno = -err->error;
			die("RTM_NEWLINK");
		}
		us = (__u32)((t1 - t0) / 1000);
		if (n == cap) {
			cap *= 2;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat)
				die("latencies");
		}
		lat[n++] = us;
		sum += us;
		if (us > max)
			max = us;
		over10 += us > 10000;
		over100 += us > 100000;
		if (gap_us)
			nanosleep(&gap, NULL);
	}
	qsort(lat, n, sizeof(*lat), cmp_u32);
	printf("rtnl requests %lu max_us %u p99_us %u mean_us %lld over10ms %lu over100ms %lu\n",
	       n, max, n ? lat[(n * 99) / 100] : 0, n ? sum / (long long)n : 0,
	       over10, over100);
	return 0;
}

/* --- links --------------------------------------------------------------- */

struct links {
	const char *prefix;
	size_t plen;
	int want_up;
	unsigned char *seen;	/* by ifindex */
	size_t nseen_cap;
	unsigned long seen_count;
	int initial;		/* reading the first dump */
};

/* One RTM_NEWLINK: print it if it is the first in the wanted state. */
static void link_msg(struct links *l, struct nlmsghdr *nh)
{
	struct ifinfomsg *ifi = NLMSG_DATA(nh);
	const char *name = NULL;
	struct rtattr *rta;
	size_t idx;
	int len, up;

	if (nh->nlmsg_type != RTM_NEWLINK ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) || ifi->ifi_index <= 0)
		return;
	len = IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_IFNAME)
			name = RTA_DATA(rta);
	if (!name || strncmp(name, l->prefix, l->plen) || !name[l->plen] ||
	    strspn(name + l->plen, "0123456789") != strlen(name + l->plen))
		return;
	up = !!(ifi->ifi_flags & IFF_RUNNING);
	if (up != l->want_up)
		return;
	idx = (size_t)ifi->ifi_index;
	if (idx >= l->nseen_cap) {
		size_t cap = idx * 2 + 1024;

		l->seen = realloc(l->seen, cap);
		if (!l->seen)
			die("links");
		memset(l->seen + l->nseen_cap, 0, cap - l->nseen_cap);
		l->nseen_cap = cap;
	}
	if (l->seen[idx])
		return;
	l->seen[idx] = 1;
	l->seen_count++;
	if (l->initial)
		printf("already %s\n", name);
	else
		printf("%s %lld\n", name, now_ns(CLOCK_REALTIME));
}

static void links_dump(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nh.nlmsg_type = RTM_GETLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.ifi.ifi_family = AF_UNSPEC,
	};

	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		die("RTM_GETLINK dump");
}

static int cmd_links(int argc, char **argv)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK,
	};
	struct links l = { 0 };
	unsigned long count, timeout_ms, overruns = 0;
	int fd, rcvbuf = LINKS_RCVBUF;
	static char buf[NL_BUF];
	long long end;

	if (argc != 6)
		bad_usage();
	l.prefix = argv[2];
	l.plen = strlen(argv[2]);
	count = parse_number(argv[3], 1000000);
	if (!strcmp(argv[4], "up"))
		l.want_up = 1;
	else if (strcmp(argv[4], "down"))
		bad_usage();
	timeout_ms = parse_number(argv[5], 86400000);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		die("rtnetlink socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	/* Those in the wanted state already, to begin with. */
	l.initial = 1;
	links_dump(fd);
	while (l.initial) {
		struct nlmsghdr *nh;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0)
			die("RTM_GETLINK dump");
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR)
				l.initial = 0;
			else
				link_msg(&l, nh);
		}
	}
	/* The time starts once they are known. */
	end = now_ns(CLOCK_MONOTONIC) + (long long)timeout_ms * 1000000;
	say_ready();
	while (l.seen_count < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long t = now_ns(CLOCK_MONOTONIC);
		struct nlmsghdr *nh;
		ssize_t n;

		if (t >= end)
			break;
		if (poll(&pfd, 1, (int)((end - t) / 1000000 + 1)) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				overruns++;
				links_dump(fd);
			} else if (errno != EAGAIN && errno != EINTR) {
				die("recv");
			}
			continue;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n))
			link_msg(&l, nh);
	}
	printf("links %lu of %lu overruns %lu\n", l.seen_count, count, overruns);
	return l.seen_count < count;
}

/* --- kmsg-seq ------------------------------------------------------------ */

static int cmd_kmsg_seq(void)
{
	static const char mark[] = "gka-bench: mark\n";
	unsigned long long seq;
	char rec[8192];
	ssize_t n;
	int fd;

	fd = open("/dev/kmsg", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("/dev/kmsg");
	if (lseek(fd, 0, SEEK_END) < 0)
		die("/dev/kmsg seek");
	if (write(fd, mark, sizeof(mark) - 1) < 0)
		die("/dev/kmsg write");
	/* Records of others may come first: read up to our own. */
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EPIPE)
				continue;
			die("/dev/kmsg read");
		}
		rec[n] = '\0';
		if (strstr(rec, ";gka-bench: mark") &&
		    sscanf(rec, "%*u,%llu,", &seq) == 1)
			break;
	}
	printf("%llu\n", seq);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		bad_usage();
	if (!strcmp(argv[1], "probes"))
		return cmd_probes(argc, argv);
	if (!strcmp(argv[1], "rtnl"))
		return cmd_rtnl(argc, argv);
	if (!strcmp(argv[1], "links"))
		return cmd_links(argc, argv);
	if (!strcmp(argv[1], "kmsg-seq") && argc == 2)
		return cmd_kmsg_seq();
	bad_usage();
	return 2;
}
