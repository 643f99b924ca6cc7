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
 *   gka-wire stream DST PORT PPS DURATION_MS
 *	Send a UDP stream to DST:PORT (IPv4 or IPv6): PPS datagrams a second
 *	for DURATION_MS, each at its own time on an absolute schedule (a
 *	late one goes at once and is counted, and the times it missed are
 *	skipped, not caught up in a burst: the schedule does not slip, and
 *	a datagram lost stands for at most 1/PPS s).
 *	Each carries a magic, a stream id, its sequence number (from 0), the
 *	stream's length and interval, and its send time (CLOCK_REALTIME ns,
 *	the clock the module stamps transitions with). Prints
 *	"sent N late N" at the end (late: sent an interval or more after its
 *	time). SIGTERM or SIGINT ends it early: it then tells the receiver
 *	how many it sent (an end datagram, three times).
 *
 *   gka-wire gaps PORT TIMEOUT_MS [live MS]
 *	Receive such a stream on PORT (IPv6 socket, dual-stack), reading
 *	each datagram's DSCP (IP_RECVTOS, IPV6_RECVTCLASS). Prints "ready"
 *	once bound; ends TIMEOUT_MS after the last datagram, or once the
 *	stream's last one (or its end datagram) arrived and what was missing
 *	then was given a moment to arrive out of order. Then, in sequence
 *	order (reordering
 *	and duplicates tolerated):
 *	  path seq=S ns=T dscp=D	the first datagram, then each whose DSCP
 *				differs from the one before it (T: send time)
 *	  gap first=S last=S lost=N from_ns=T to_ns=T
 *				each run of missing datagrams; T: send times
 *				of the last before and first after it (a
 *				missing end is its scheduled time)
 *	  total sent=N received=N dup=N reorder=N
 *				reorder: arrived after a later one
 *	live MS also prints, as they happen, "live path ..." at each change
 *	of DSCP in arrival order and "live gap ..." at each jump in sequence
 *	(what is missing then, which may still arrive), and "live
 *	received=N dscp=D" every MS milliseconds (0: never).
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
#include <signal.h>
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
		"       %s sink PORT COUNT TIMEOUT_MS\n"
		"       %s stream DST PORT PPS DURATION_MS\n"
		"       %s gaps PORT TIMEOUT_MS [live MS]\n",
		prog, prog, prog, prog, prog, prog, prog, prog, prog, prog);
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

/* stream and gaps: the payload, in network byte order. */
#define STREAM_MAGIC	0x474b4153	/* "GKAS" */
#define STREAM_END	0x474b4145	/* "GKAE": seq is how many were sent */
#define STREAM_LEN	32		/* magic id seq count interval_ns send_ns */
#define STREAM_MAX	4000000UL	/* an hour at 1000/s; gaps keeps 9 bytes each */
/* What gaps waits, after the last datagram, for ones overtaken on the way. */
#define STREAM_LINGER_MS	200

static void put64(__u8 *p, __u64 v)
{
	put32(p, (__u32)(v >> 32));
	put32(p + 4, (__u32)v);
}

static __u64 get64(const __u8 *p)
{
	return (__u64)get32(p) << 32 | get32(p + 4);
}

static long long realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return timespec_ns(&ts);
}

/* DST (IPv4 or IPv6) and PORT into @ss; returns the address length. */
static socklen_t parse_sockaddr(const char *s, const char *port,
				struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	__u16 p = (__u16)parse_number(port, 65535);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(p);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p);
		return sizeof(*sin6);
	}
	fprintf(stderr, "%s: bad address '%s'\n", prog, s);
	exit(2);
}

/* SIGTERM or SIGINT, held back until the stream looks for it. */
static int stop_pending(void)
{
	sigset_t set;

	return !sigpending(&set) &&
	       (sigismember(&set, SIGTERM) || sigismember(&set, SIGINT));
}

static int cmd_stream(int argc, char **argv)
{
	sigset_t stop;
	unsigned long pps, duration, count, n, slot, next, late = 0, failed = 0;
	long long start, due, now, interval;
	struct sockaddr_storage dst;
	__u8 pkt[STREAM_LEN] = { 0 };
	struct timespec at;
	int fd, i, last_err = 0;
	socklen_t dlen;

	if (argc != 6)
		bad_usage();
	dlen = parse_sockaddr(argv[2], argv[3], &dst);
	pps = parse_number(argv[4], 1000000);
	duration = parse_number(argv[5], 3600000);
	count = pps * duration / 1000;
	if (!pps || !count || count > STREAM_MAX) {
		fprintf(stderr, "%s: a stream is 1 to %lu datagrams\n", prog,
			STREAM_MAX);
		return 2;
	}
	interval = 1000000000LL / (long long)pps;
	fd = socket(dst.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	put32(pkt, STREAM_MAGIC);
	put32(pkt + 4, (__u32)(getpid() ^ realtime_ns()));
	put32(pkt + 12, (__u32)count);
	put64(pkt + 16, (__u64)interval);

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	clock_gettime(CLOCK_MONOTONIC, &at);
	start = timespec_ns(&at);
	for (n = 0, slot = 0; slot < count && !stop_pending(); n++) {
		/* From the start, not from the last send: no drift. */
		due = start + (long long)(slot * 1000000000ULL / pps);
		at.tv_sec = (time_t)(due / 1000000000LL);
		at.tv_nsec = (long)(due % 1000000000LL);
		sleep_until(&at);
		now = now_ns();
		if (now - due >= interval)
			late++;
		next = (unsigned long)((unsigned long long)(now - start) * pps /
				       1000000000ULL) + 1;
		slot = next > slot + 1 ? next : slot + 1;
		put32(pkt + 8, (__u32)n);
		put64(pkt + 24, (__u64)realtime_ns());
		/* Unreachable or a full queue: a loss for the receiver to count. */
		if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
			   dlen) < 0) {
			failed++;
			last_err = errno;
		}
	}
	if (n < count) {
		put32(pkt, STREAM_END);
		put32(pkt + 8, (__u32)n);
		for (i = 0; i < 3; i++)
			sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
			       dlen);
	}
	close(fd);
	printf("sent %lu late %lu\n", n, late);
	if (failed)
		fprintf(stderr, "%s: stream: %lu sends failed, the last: %s\n",
			prog, failed, strerror(last_err));
	return 0;
}

struct gaps {
	__u32 id;
	unsigned long count;	/* 0 until the first datagram */
	unsigned long full;	/* as announced; count is less if it ended early */
	long long interval;
	long long *ns;		/* send time by sequence; 0: not received */
	unsigned char *dscp;
	unsigned long received, dup, reorder, top;
	int live, live_dscp;
};

/* The DSCP of a datagram from its control messages; -1 if none came. */
static int msg_dscp(struct msghdr *msg)
{
	struct cmsghdr *c;
	int tclass;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
			return *(unsigned char *)CMSG_DATA(c) >> 2;
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_TCLASS) {
			memcpy(&tclass, CMSG_DATA(c), sizeof(tclass));
			return (tclass & 0xff) >> 2;
		}
	}
	return -1;
}

/* One datagram of the stream; returns 1 if it was the stream's last. */
static int gaps_take(struct gaps *g, const __u8 *p, size_t len, int dscp)
{
	unsigned long seq, count;

	if (len != STREAM_LEN)
		return 0;
	seq = get32(p + 8);
	count = get32(p + 12);
	if (get32(p) == STREAM_END) {
		if (!g->count || get32(p + 4) != g->id || count != g->full ||
		    seq > g->count)
			return 0;
		g->count = seq;
		return 1;
	}
	if (get32(p) != STREAM_MAGIC)
		return 0;
	if (!g->count) {
		if (!count || count > STREAM_MAX || seq >= count)
			return 0;
		g->id = get32(p + 4);
		g->count = count;
		g->full = count;
		g->interval = (long long)get64(p + 16);
		g->ns = calloc(count, sizeof(*g->ns));
		g->dscp = calloc(count, 1);
		if (!g->ns || !g->dscp)
			die("calloc");
	}
	/* Another stream's, or not one at all. */
	if (get32(p + 4) != g->id || count != g->full || seq >= g->count)
		return 0;
	if (g->ns[seq]) {
		g->dup++;
		return 0;
	}
	g->ns[seq] = (long long)get64(p + 24);
	g->dscp[seq] = (unsigned char)dscp;
	if (g->received && seq < g->top)
		g->reorder++;
	if (g->live) {
		if (!g->received || dscp != g->live_dscp)
			printf("live path seq=%lu ns=%lld dscp=%d\n", seq,
			       g->ns[seq], dscp);
		if (g->received && seq > g->top + 1)
			printf("live gap first=%lu last=%lu lost=%lu from_ns=%lld to_ns=%lld\n",
			       g->top + 1, seq - 1, seq - g->top - 1,
			       g->ns[g->top], g->ns[seq]);
		fflush(stdout);
		g->live_dscp = dscp;
	}
	if (!g->received || seq > g->top)
		g->top = seq;
	g->received++;
	return seq == g->count - 1;
}

static void gaps_report(const struct gaps *g)
{
	unsigned long s, first, last;
	long long from, to;
	int dscp = -1;

	for (s = 0; s < g->count; s++) {
		if (g->ns[s] && g->dscp[s] != dscp) {
			dscp = g->dscp[s];
			printf("path seq=%lu ns=%lld dscp=%d\n", s, g->ns[s],
			       dscp);
		}
	}
	for (s = 0; g->received && s < g->count; s++) {
		if (g->ns[s])
			continue;
		first = s;
		while (s + 1 < g->count && !g->ns[s + 1])
			s++;
		last = s;
		/* A missing end is when the schedule had it. */
		if (first)
			from = g->ns[first - 1];
		else
			from = g->ns[last + 1] - (long long)(last + 2) * g->interval;
		if (last + 1 < g->count)
			to = g->ns[last + 1];
		else
			to = from + (long long)(last - first + 2) * g->interval;
		printf("gap first=%lu last=%lu lost=%lu from_ns=%lld to_ns=%lld\n",
		       first, last, last - first + 1, from, to);
	}
	printf("total sent=%lu received=%lu dup=%lu reorder=%lu\n", g->count,
	       g->received, g->dup, g->reorder);
}

static int cmd_gaps(int argc, char **argv)
{
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6 };
	union {
		char buf[CMSG_SPACE(sizeof(int)) * 2];
		struct cmsghdr align;
	} control;
	long long now, end, beat = 0, wait;
	unsigned long timeout, every = 0;
	int fd, on = 1, off = 0, rcvbuf = 8 << 20, ending = 0;
	struct gaps g = { 0 };
	struct pollfd pfd;
	struct msghdr msg;
	struct iovec iov;
	__u8 buf[64];
	ssize_t n;

	if (argc == 6 && !strcmp(argv[4], "live")) {
		g.live = 1;
		every = parse_number(argv[5], 3600000);
	} else if (argc != 4) {
		bad_usage();
	}
	addr.sin6_port = htons((__u16)parse_number(argv[2], 65535));
	timeout = parse_number(argv[3], 3600000);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	/* A slow reader under a debug kernel must not make losses of its own. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on)) ||
	    setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on)))
		die("setsockopt");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	printf("ready\n");
	fflush(stdout);

	now = now_ns() / 1000000;
	end = now + (long long)timeout;
	if (every)
		beat = now + (long long)every;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		now = now_ns() / 1000000;
		if (every && now >= beat) {
			printf("live received=%lu dscp=%d\n", g.received,
			       g.received ? g.live_dscp : -1);
			fflush(stdout);
			beat += (long long)every;
			continue;
		}
		if (now >= end)
			break;
		wait = end - now;
		if (every && beat - now < wait)
			wait = beat - now;
		if (poll(&pfd, 1, (int)wait) < 0)
			die("poll");
		if (!(pfd.revents & POLLIN))
			continue;
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		n = recvmsg(fd, &msg, 0);
		if (n < 0)
			die("recvmsg");
		now = now_ns() / 1000000;
		if (!ending)
			end = now + (long long)timeout;
		if (gaps_take(&g, buf, (size_t)n, msg_dscp(&msg)) && !ending) {
			ending = 1;
			if (timeout > STREAM_LINGER_MS)
				end = now + STREAM_LINGER_MS;
		}
		if (g.count && g.received == g.count)
			break;
	}
	close(fd);
	gaps_report(&g);
	return 0;
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
	if (!strcmp(argv[1], "stream"))
		return cmd_stream(argc, argv);
	if (!strcmp(argv[1], "gaps"))
		return cmd_gaps(argc, argv);
	bad_usage();
	return 2;
}
