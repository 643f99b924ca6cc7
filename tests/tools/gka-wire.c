// SPDX-License-Identifier: GPL-2.0
/*
 * gka-wire: keepalive packets on the wire, for the reflection tests.
 *
 *   gka-wire probe OUTER_DST INNER_SRC INNER_DST [ttl N] [len N] [id N]
 *                  [key N] [tap]
 *	Send one Cisco keepalive probe, byte for byte (see
 *	Documentation/keepalive.md),
 *	as a router would send it through its tunnel: a raw GRE packet to
 *	OUTER_DST (the kernel adds the outer IPv4 header) with protocol type
 *	0x0800 and an inner IPv4 packet INNER_SRC -> INNER_DST carrying an
 *	empty GRE header with protocol type 0. len cuts or pads the inner
 *	packet (its total length follows); key adds a key to the outer GRE
 *	header; tap wraps the inner packet in an Ethernet broadcast frame
 *	(protocol type 0x6558, as gretap carries it).
 *
 *   gka-wire probes
 *	Read probe and probe6 lines (the arguments above, one probe a line)
 *	from standard input and send each, in order: many probes for the
 *	cost of one program start, which is what an integration test pays
 *	most for on a debug kernel. Stops at the first bad line.
 *
 *   gka-wire probe6 OUTER_DST INNER_SRC INNER_DST [hlim N] [flow N] [pt N]
 *	The same over IPv6, as MikroTik sends it through an ip6gre tunnel:
 *	outer GRE type 0x86DD, inner IPv6 INNER_SRC -> INNER_DST (next header
 *	47, hop limit 255, flow label flow) carrying an empty GRE header with
 *	protocol type pt (default 0x86DD).
 *
 *   gka-wire reply SRC DST [key N] [csum] [flags 0xNNNN] [count N] [every MS]
 *                  [pad N] [id N]
 *	Forge a keepalive reply as it arrives at the router that sent the
 *	probe: an IPv4 packet SRC -> DST (any SRC: the IP header is ours,
 *	IP_HDRINCL) with TTL 254, DF clear, protocol 47, carrying a GRE header
 *	whose first 16 bits are flags (default 0, sent as given, reserved and
 *	version bits included; key adds the K bit 0x2000, csum the C bit
 *	0x8000) and protocol type 0, then the checksum (RFC 2784, over the GRE
 *	header and what follows) and 2 reserved bytes if csum, the key if key,
 *	then pad zero bytes. Sent count times (default 1), every MS
 *	milliseconds apart (default 0), with IPv4 id N (default 0: the kernel
 *	picks one for each).
 *
 *   gka-wire capture DEV UNTIL_ID TIMEOUT_MS
 *	Print every IPv4 or IPv6 GRE or ESP packet sent or received on DEV
 *	(AF_PACKET), one line each, until an outgoing one with IPv4 id or
 *	IPv6 flow label UNTIL_ID has been seen (exit 0) or TIMEOUT_MS has
 *	passed (exit 1). Prints "ready" once listening.
 *	IPv4 GRE: dir=in|out src= dst= ttl= len= id= frag= csum=ok|bad
 *	          gre_flags= gre_proto= bytes=
 *	IPv6 GRE: dir=in|out src= dst= hlim= plen= flow= gre_flags= gre_proto=
 *	          bytes=
 *	IPv4 ESP: dir=in|out src= dst= ttl= len= id= esp_spi=0x%08x
 *	IPv6 ESP: dir=in|out src= dst= hlim= plen= flow= esp_spi=0x%08x
 *	(GRE or ESP right after the fixed IPv6 header only.)
 *
 *	UNTIL_ID none: every packet until TIMEOUT_MS (exit 0).
 *
 *   gka-wire capture DEV UNTIL_ID TIMEOUT_MS detail
 *	The same, each GRE line followed (after bytes=) by the outer DS
 *	field (tos= or tclass=), the outer GRE key (gre_key=, with the K
 *	bit), and what the GRE header carries if it is IPv4 or IPv6 with
 *	GRE inside (a probe on its way, the packet the peer decapsulates):
 *	  in_src= in_dst= in_tos= in_ttl= in_id= in_len= (IPv4) or
 *	  in_src= in_dst= in_tclass= in_hlim= in_flow= in_plen= (IPv6),
 *	  then in_gre_flags= in_gre_proto= [in_gre_key=] in_bytes=
 *	(the inner packet's length as captured).
 *
 *   gka-wire timestamps
 *	Turn on the kernel's receive timestamps for every packet (a socket
 *	with SO_TIMESTAMPNS: net_enable_timestamp()), so that received skbs
 *	carry a CLOCK_REALTIME tstamp. Prints "ready" once they are on (seen
 *	on a datagram to itself over 127.0.0.1 where that is up; at once
 *	where it is not), then holds them on until killed.
 *
 *   gka-wire blast DST PORT COUNT
 *	Send COUNT 32-byte UDP datagrams to DST:PORT as fast as possible.
 *
 *   gka-wire sink PORT COUNT TIMEOUT_MS
 *	Receive UDP datagrams on PORT; prints "ready" once bound, then
 *	"received N in T ns" (first to last datagram) once COUNT arrived or
 *	TIMEOUT_MS passed without one.
 *
 * Exit status 2 for a usage error, 3 for a local failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/types.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GRE_CSUM_BIT	0x8000
#define GRE_KEY_BIT	0x2000
#define ETH_P_TEB_GRE	0x6558

static const char *prog = "gka-wire";

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: %s probe OUTER_DST INNER_SRC INNER_DST [ttl N] [len N] [id N] [key N] [tap]\n"
		"       %s probes   (probe or probe6 lines on stdin)\n"
		"       %s probe6 OUTER_DST INNER_SRC INNER_DST [hlim N] [flow N] [pt N]\n"
		"       %s reply SRC DST [key N] [csum] [flags 0xNNNN] [count N] [every MS] [pad N] [id N]\n"
		"       %s capture DEV UNTIL_ID TIMEOUT_MS [detail]\n"
		"       %s timestamps\n"
		"       %s blast DST PORT COUNT\n"
		"       %s sink PORT COUNT TIMEOUT_MS\n",
		prog, prog, prog, prog, prog, prog, prog, prog);
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

static struct in_addr parse_address(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "%s: bad IPv4 address '%s'\n", prog, s);
		exit(2);
	}
	return a;
}

static __u16 ip_checksum(const void *data, size_t len)
{
	const __u8 *p = data;
	__u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (__u32)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static int cmd_probe(int argc, char **argv)
{
	unsigned long ttl = 255, len = 24, id = 0, key = 0;
	int with_key = 0, tap = 0, i, fd;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	__u8 pkt[256] = { 0 }, inner[128] = { 0 };
	struct in_addr isrc, idst;
	size_t off = 0;

	if (argc < 5)
		bad_usage();
	dst.sin_addr = parse_address(argv[2]);
	isrc = parse_address(argv[3]);
	idst = parse_address(argv[4]);
	for (i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "tap")) {
			tap = 1;
		} else if (i + 1 < argc && !strcmp(argv[i], "ttl")) {
			ttl = parse_number(argv[++i], 255);
		} else if (i + 1 < argc && !strcmp(argv[i], "len")) {
			len = parse_number(argv[++i], sizeof(inner));
		} else if (i + 1 < argc && !strcmp(argv[i], "id")) {
			id = parse_number(argv[++i], 0xffff);
		} else if (i + 1 < argc && !strcmp(argv[i], "key")) {
			key = parse_number(argv[++i], 0xffffffffUL);
			with_key = 1;
		} else {
			bad_usage();
		}
	}

	/* The inner packet: IPv4 src dst proto 47 ttl, GRE flags 0 type 0. */
	inner[0] = 0x45;
	put16(inner + 2, (__u16)len);
	put16(inner + 4, (__u16)id);
	inner[8] = (__u8)ttl;
	inner[9] = IPPROTO_GRE;
	memcpy(inner + 12, &isrc, 4);
	memcpy(inner + 16, &idst, 4);
	put16(inner + 10, ip_checksum(inner, 20));

	/* The outer GRE header the sending router's tunnel adds. */
	put16(pkt, with_key ? GRE_KEY_BIT : 0);
	put16(pkt + 2, tap ? ETH_P_TEB_GRE : ETH_P_IP);
	off = 4;
	if (with_key) {
		pkt[4] = key >> 24;
		pkt[5] = key >> 16;
		pkt[6] = key >> 8;
		pkt[7] = key;
		off = 8;
	}
	if (tap) {
		memset(pkt + off, 0xff, ETH_ALEN);		/* broadcast */
		pkt[off + 6] = 0x02;				/* local MAC */
		pkt[off + 11] = 0x01;
		put16(pkt + off + 12, ETH_P_IP);
		off += ETH_HLEN;
	}
	memcpy(pkt + off, inner, len);
	off += len;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	if (fd < 0)
		die("socket");
	if (sendto(fd, pkt, off, 0, (struct sockaddr *)&dst, sizeof(dst)) !=
	    (ssize_t)off)
		die("sendto");
	close(fd);
	return 0;
}

static struct in6_addr parse_address6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1) {
		fprintf(stderr, "%s: bad IPv6 address '%s'\n", prog, s);
		exit(2);
	}
	return a;
}

static int cmd_probe6(int argc, char **argv)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	unsigned long hlim = 255, flow = 0, pt = ETH_P_IPV6;
	struct in6_addr isrc, idst;
	__u8 pkt[4 + 40 + 4] = { 0 };
	__u8 *inner = pkt + 4;
	int i, fd;

	if (argc < 5)
		bad_usage();
	dst.sin6_addr = parse_address6(argv[2]);
	isrc = parse_address6(argv[3]);
	idst = parse_address6(argv[4]);
	for (i = 5; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "hlim"))
			hlim = parse_number(argv[++i], 255);
		else if (i + 1 < argc && !strcmp(argv[i], "flow"))
			flow = parse_number(argv[++i], 0xfffff);
		else if (i + 1 < argc && !strcmp(argv[i], "pt"))
			pt = parse_number(argv[++i], 0xffff);
		else
			bad_usage();
	}

	put16(pkt + 2, ETH_P_IPV6);	/* the outer GRE header */
	inner[0] = 0x60;		/* version 6, traffic class 0 */
	inner[1] = (__u8)(flow >> 16 & 0x0f);
	inner[2] = (__u8)(flow >> 8);
	inner[3] = (__u8)flow;
	put16(inner + 4, 4);		/* payload: the GRE header */
	inner[6] = IPPROTO_GRE;
	inner[7] = (__u8)hlim;
	memcpy(inner + 8, &isrc, 16);
	memcpy(inner + 24, &idst, 16);
	put16(inner + 42, (__u16)pt);

	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_GRE);
	if (fd < 0)
		die("socket");
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
		   sizeof(dst)) != (ssize_t)sizeof(pkt))
		die("sendto");
	close(fd);
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void put32(__u8 *p, __u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void add_ms(struct timespec *at, unsigned long ms)
{
	at->tv_sec += (time_t)(ms / 1000);
	at->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (at->tv_nsec >= 1000000000L) {
		at->tv_nsec -= 1000000000L;
		at->tv_sec++;
	}
}

/* Sleep until CLOCK_MONOTONIC reaches at. */
static void sleep_until(const struct timespec *at)
{
	int err;

	do {
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, at, NULL);
	} while (err == EINTR);
	if (err) {
		errno = err;
		die("clock_nanosleep");
	}
}

/* The IPv4 header, the GRE header and its options, the padding. */
#define REPLY_MAX	65535
#define REPLY_HDRS	(20 + 4 + 4 + 4)

static int cmd_reply(int argc, char **argv)
{
	unsigned long key = 0, flags = 0, count = 1, every = 0, pad = 0, id = 0;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	static __u8 pkt[REPLY_MAX];
	int with_key = 0, csum = 0, i, fd;
	struct in_addr src;
	struct timespec at;
	size_t len, off;
	unsigned long n;
	__u8 *gre;

	if (argc < 4)
		bad_usage();
	src = parse_address(argv[2]);
	dst.sin_addr = parse_address(argv[3]);
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "csum")) {
			csum = 1;
		} else if (i + 1 < argc && !strcmp(argv[i], "key")) {
			key = parse_number(argv[++i], 0xffffffffUL);
			with_key = 1;
		} else if (i + 1 < argc && !strcmp(argv[i], "flags")) {
			flags = parse_number(argv[++i], 0xffff);
		} else if (i + 1 < argc && !strcmp(argv[i], "count")) {
			count = parse_number(argv[++i], 100000000);
		} else if (i + 1 < argc && !strcmp(argv[i], "every")) {
			every = parse_number(argv[++i], 3600000);
		} else if (i + 1 < argc && !strcmp(argv[i], "pad")) {
			pad = parse_number(argv[++i], REPLY_MAX - REPLY_HDRS);
		} else if (i + 1 < argc && !strcmp(argv[i], "id")) {
			id = parse_number(argv[++i], 0xffff);
		} else {
			bad_usage();
		}
	}
	if (csum)
		flags |= GRE_CSUM_BIT;
	if (with_key)
		flags |= GRE_KEY_BIT;

	/* GRE: flags, protocol type 0, [checksum, reserved], [key], pad. */
	gre = pkt + 20;
	put16(gre, (__u16)flags);
	off = 4;
	if (csum)
		off += 4;
	if (with_key) {
		put32(gre + off, (__u32)key);
		off += 4;
	}
	off += pad;
	if (csum)
		put16(gre + 4, ip_checksum(gre, off));
	len = 20 + off;

	/* IPv4: no options, DF clear, TTL 254; id 0 lets the kernel pick. */
	pkt[0] = 0x45;
	put16(pkt + 2, (__u16)len);
	put16(pkt + 4, (__u16)id);
	pkt[8] = 254;
	pkt[9] = IPPROTO_GRE;
	memcpy(pkt + 12, &src, 4);
	memcpy(pkt + 16, &dst.sin_addr, 4);
	put16(pkt + 10, ip_checksum(pkt, 20));

	/* IPPROTO_RAW implies IP_HDRINCL. */
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		die("socket");
	clock_gettime(CLOCK_MONOTONIC, &at);
	for (n = 0; n < count; n++) {
		if (n && every) {
			add_ms(&at, every);
			sleep_until(&at);
		}
		if (sendto(fd, pkt, len, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) != (ssize_t)len)
			die("sendto");
	}
	close(fd);
	return 0;
}

/* capture ... detail */
static int detail;

static size_t gre_hlen(const __u8 *gre)
{
	return 4 + (gre[0] & 0x80 ? 4 : 0) + (gre[0] & 0x20 ? 4 : 0) +
	       (gre[0] & 0x10 ? 4 : 0);
}

/* The key of a complete GRE header that has one. */
static void print_gre_key(const char *prefix, const __u8 *gre)
{
	size_t off = 4 + (gre[0] & 0x80 ? 4 : 0);

	if (gre[0] & 0x20)
		printf(" %sgre_key=0x%02x%02x%02x%02x", prefix, gre[off],
		       gre[off + 1], gre[off + 2], gre[off + 3]);
}

/* The packet a GRE header of @len bytes at @gre carries, if IP with GRE. */
static void print_inner(const __u8 *gre, size_t len)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t hlen, ihl, n;
	const __u8 *p, *g;
	unsigned int proto;

	if (len < 4)
		return;
	hlen = gre_hlen(gre);
	proto = gre[2] << 8 | gre[3];
	if (len < hlen)
		return;
	p = gre + hlen;
	n = len - hlen;
	if (proto == 0x0800 && n >= 20 && p[0] >> 4 == 4 &&
	    p[9] == IPPROTO_GRE) {
		ihl = (size_t)(p[0] & 0x0f) * 4;
		inet_ntop(AF_INET, p + 12, src, sizeof(src));
		inet_ntop(AF_INET, p + 16, dst, sizeof(dst));
		printf(" in_src=%s in_dst=%s in_tos=0x%02x in_ttl=%u in_id=%u in_len=%u",
		       src, dst, p[1], p[8], p[4] << 8 | p[5], p[2] << 8 | p[3]);
	} else if (proto == 0x86dd && n >= 40 && p[0] >> 4 == 6 &&
		   p[6] == IPPROTO_GRE) {
		ihl = 40;
		inet_ntop(AF_INET6, p + 8, src, sizeof(src));
		inet_ntop(AF_INET6, p + 24, dst, sizeof(dst));
		printf(" in_src=%s in_dst=%s in_tclass=0x%02x in_hlim=%u in_flow=%lu in_plen=%u",
		       src, dst, (p[0] & 0x0f) << 4 | p[1] >> 4, p[7],
		       (unsigned long)(p[1] & 0x0f) << 16 |
		       (unsigned long)p[2] << 8 | p[3], p[4] << 8 | p[5]);
	} else {
		return;
	}
	if (n >= ihl + 4) {
		g = p + ihl;
		printf(" in_gre_flags=0x%04x in_gre_proto=0x%04x",
		       g[0] << 8 | g[1], g[2] << 8 | g[3]);
		if (n >= ihl + gre_hlen(g))
			print_gre_key("in_", g);
	}
	printf(" in_bytes=%zu", n);
}

static void print_detail(const __u8 *gre, size_t len)
{
	if (len >= 4 && len >= gre_hlen(gre))
		print_gre_key("", gre);
	print_inner(gre, len);
}

static void print_packet(const __u8 *p, size_t n, int outgoing)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;

	inet_ntop(AF_INET, p + 12, src, sizeof(src));
	inet_ntop(AF_INET, p + 16, dst, sizeof(dst));
	printf("dir=%s src=%s dst=%s ttl=%u len=%u id=%u frag=0x%04x csum=%s",
	       outgoing ? "out" : "in", src, dst, p[8], p[2] << 8 | p[3],
	       p[4] << 8 | p[5], p[6] << 8 | p[7],
	       ip_checksum(p, ihl) == 0 ? "ok" : "bad");
	if (n >= ihl + 4)
		printf(" gre_flags=0x%04x gre_proto=0x%04x",
		       p[ihl] << 8 | p[ihl + 1], p[ihl + 2] << 8 | p[ihl + 3]);
	printf(" bytes=%zu", n);
	if (detail) {
		printf(" tos=0x%02x", p[1]);
		if (n > ihl)
			print_detail(p + ihl, n - ihl);
	}
	printf("\n");
	fflush(stdout);
}

static __u32 get32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 |
	       (__u32)p[2] << 8 | p[3];
}

static void print_esp(const __u8 *p, size_t n, int outgoing)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;

	inet_ntop(AF_INET, p + 12, src, sizeof(src));
	inet_ntop(AF_INET, p + 16, dst, sizeof(dst));
	printf("dir=%s src=%s dst=%s ttl=%u len=%u id=%u",
	       outgoing ? "out" : "in", src, dst, p[8], p[2] << 8 | p[3],
	       p[4] << 8 | p[5]);
	if (n >= ihl + 4)
		printf(" esp_spi=0x%08x", get32(p + ihl));
	printf("\n");
	fflush(stdout);
}

/* GRE or ESP over IPv6; returns the packet's flow label. */
static unsigned long print_packet6(const __u8 *p, size_t n, int outgoing)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	unsigned long flow = (unsigned long)(p[1] & 0x0f) << 16 |
			     (unsigned long)p[2] << 8 | p[3];

	inet_ntop(AF_INET6, p + 8, src, sizeof(src));
	inet_ntop(AF_INET6, p + 24, dst, sizeof(dst));
	printf("dir=%s src=%s dst=%s hlim=%u plen=%u flow=%lu",
	       outgoing ? "out" : "in", src, dst, p[7], p[4] << 8 | p[5], flow);
	if (p[6] == IPPROTO_ESP) {
		if (n >= 44)
			printf(" esp_spi=0x%08x", get32(p + 40));
		printf("\n");
	} else {
		if (n >= 44)
			printf(" gre_flags=0x%04x gre_proto=0x%04x",
			       p[40] << 8 | p[41], p[42] << 8 | p[43]);
		printf(" bytes=%zu", n);
		if (detail) {
			printf(" tclass=0x%02x", (p[0] & 0x0f) << 4 | p[1] >> 4);
			print_detail(p + 40, n - 40);
		}
		printf("\n");
	}
	fflush(stdout);
	return flow;
}

static int cmd_capture(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long until_id, timeout, id;
	long long deadline, left;
	int out;
	__u8 buf[2048];
	struct pollfd pfd;
	socklen_t alen;
	ssize_t n;
	int fd;

	if (argc == 6 && !strcmp(argv[5], "detail"))
		detail = 1;
	else if (argc != 5)
		bad_usage();
	/* "none": until the timeout, which is then no failure. */
	until_id = strcmp(argv[3], "none") ? parse_number(argv[3], 0xffff) :
					      ULONG_MAX;
	timeout = parse_number(argv[4], 600000);
	sll.sll_ifindex = (int)if_nametoindex(argv[2]);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "%s: no device '%s'\n", prog, argv[2]);
		return 2;
	}
	/* Cooked: the network header first, in both directions. */
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0)
		die("socket");
	sll.sll_protocol = htons(ETH_P_ALL);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	printf("ready\n");
	fflush(stdout);

	deadline = now_ns() / 1000000 + (long long)timeout;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		left = deadline - now_ns() / 1000000;
		if (left <= 0) {
			printf("timeout\n");
			return until_id == ULONG_MAX ? 0 : 1;
		}
		if (poll(&pfd, 1, (int)left) < 0)
			die("poll");
		if (!(pfd.revents & POLLIN))
			continue;
		alen = sizeof(sll);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&sll,
			     &alen);
		if (n < 0)
			die("recvfrom");
		out = sll.sll_pkttype == PACKET_OUTGOING;
		if (sll.sll_protocol == htons(ETH_P_IPV6) && n >= 40 &&
		    buf[0] >> 4 == 6 &&
		    (buf[6] == IPPROTO_GRE || buf[6] == IPPROTO_ESP)) {
			id = print_packet6(buf, (size_t)n, out);
		} else if (sll.sll_protocol == htons(ETH_P_IP) && n >= 20 &&
			   buf[0] >> 4 == 4 && buf[9] == IPPROTO_GRE) {
			print_packet(buf, (size_t)n, out);
			id = (unsigned long)(buf[4] << 8 | buf[5]);
		} else if (sll.sll_protocol == htons(ETH_P_IP) && n >= 20 &&
			   buf[0] >> 4 == 4 && buf[9] == IPPROTO_ESP) {
			print_esp(buf, (size_t)n, out);
			id = (unsigned long)(buf[4] << 8 | buf[5]);
		} else {
			continue;
		}
		if (out && id == until_id)
			return 0;
	}
}

static long long timespec_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/*
 * Whether a datagram to ourselves got its timestamp on the way in (inside
 * sendto) rather than from recvmsg, which stamps what came unstamped:
 * 1 yes, 0 no, -1 when it cannot tell (127.0.0.1 unreachable or down).
 */
static int stamped_on_receive(int fd, const struct sockaddr_in *self)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} control;
	struct timespec sent, stamp;
	struct cmsghdr *cmsg;
	struct pollfd pfd;
	struct msghdr msg;
	struct iovec iov;
	char data[8];

	if (sendto(fd, "tstamp", 6, 0, (const struct sockaddr *)self,
		   sizeof(*self)) != 6)
		return -1;
	clock_gettime(CLOCK_REALTIME, &sent);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = data;
	iov.iov_len = sizeof(data);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 200) < 0)
		die("poll");
	if (!(pfd.revents & POLLIN))
		return -1;	/* lost: 127.0.0.1 is down */
	if (recvmsg(fd, &msg, 0) < 0)
		die("recvmsg");
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		memcpy(&stamp, CMSG_DATA(cmsg), sizeof(stamp));
		return timespec_ns(&stamp) <= timespec_ns(&sent);
	}
	return 0;
}

static int cmd_timestamps(int argc, char **argv)
{
	struct sockaddr_in self = { .sin_family = AF_INET };
	socklen_t alen = sizeof(self);
	long long deadline;
	struct timespec at;
	int fd, on = 1;

	(void)argv;
	if (argc != 2)
		bad_usage();
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	/* The first such socket turns the kernel's timestamps on. */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)))
		die("setsockopt SO_TIMESTAMPNS");

	/*
	 * With jump labels the switch is flipped from a work item: wait until
	 * a datagram to ourselves comes stamped from the receive path.
	 */
	self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!bind(fd, (struct sockaddr *)&self, sizeof(self)) &&
	    !getsockname(fd, (struct sockaddr *)&self, &alen)) {
		deadline = now_ns() + 10000000000LL;
		clock_gettime(CLOCK_MONOTONIC, &at);
		while (!stamped_on_receive(fd, &self)) {
			if (now_ns() > deadline) {
				fprintf(stderr, "%s: receive timestamps not on after 10 s\n",
					prog);
				return 3;
			}
			add_ms(&at, 1);
			sleep_until(&at);
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_blast(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long count, i;
	char payload[32] = { 0 };
	int fd;

	if (argc != 5)
		bad_usage();
	dst.sin_addr = parse_address(argv[2]);
	dst.sin_port = htons((__u16)parse_number(argv[3], 65535));
	count = parse_number(argv[4], 100000000);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	for (i = 0; i < count; i++) {
		/* A full queue is the receiver's figure to report, not ours. */
		if (sendto(fd, payload, sizeof(payload), 0,
			   (struct sockaddr *)&dst, sizeof(dst)) < 0 &&
		    errno != ENOBUFS)
			die("sendto");
	}
	close(fd);
	return 0;
}

static int cmd_sink(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	unsigned long count, timeout, got = 0;
	long long first = 0, last = 0;
	int fd, rcvbuf = 8 << 20;
	struct pollfd pfd;
	char buf[64];

	if (argc != 5)
		bad_usage();
	addr.sin_port = htons((__u16)parse_number(argv[2], 65535));
	count = parse_number(argv[3], 100000000);
	timeout = parse_number(argv[4], 600000);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	printf("ready\n");
	fflush(stdout);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < count) {
		if (poll(&pfd, 1, (int)timeout) < 0)
			die("poll");
		if (!(pfd.revents & POLLIN))
			break;
		if (recv(fd, buf, sizeof(buf), 0) < 0)
			die("recv");
		last = now_ns();
		if (!got++)
			first = last;
	}
	printf("received %lu in %lld ns\n", got, last - first);
	return got == count ? 0 : 1;
}

#define PROBES_MAX_ARGS	16

static int cmd_probes(int argc, char **argv)
{
	char line[512], *args[PROBES_MAX_ARGS + 1], *tok;
	int n, err;

	if (argc != 2)
		bad_usage();
	while (fgets(line, sizeof(line), stdin)) {
		n = 0;
		args[n++] = argv[0];
		for (tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
			if (n == PROBES_MAX_ARGS)
				bad_usage();
			args[n++] = tok;
		}
		if (n == 1)
			continue;
		args[n] = NULL;
		if (!strcmp(args[1], "probe"))
			err = cmd_probe(n, args);
		else if (!strcmp(args[1], "probe6"))
			err = cmd_probe6(n, args);
		else
			bad_usage();
		if (err)
			return err;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		bad_usage();
	if (!strcmp(argv[1], "probes"))
		return cmd_probes(argc, argv);
	if (!strcmp(argv[1], "probe"))
		return cmd_probe(argc, argv);
	if (!strcmp(argv[1], "probe6"))
		return cmd_probe6(argc, argv);
	if (!strcmp(argv[1], "reply"))
		return cmd_reply(argc, argv);
	if (!strcmp(argv[1], "capture"))
		return cmd_capture(argc, argv);
	if (!strcmp(argv[1], "timestamps"))
		return cmd_timestamps(argc, argv);
	if (!strcmp(argv[1], "blast"))
		return cmd_blast(argc, argv);
	if (!strcmp(argv[1], "sink"))
		return cmd_sink(argc, argv);
	bad_usage();
	return 2;
}
