// SPDX-License-Identifier: GPL-2.0
/*
 * gka-pktfuzz: crafted GRE packets into live tunnels, judged by an oracle
 * of its own (t-81-packet-fuzz).
 *
 *   gka-pktfuzz run OPTIONS TUNNEL...
 *	Send a seeded stream of cases (a case: one datagram, or its
 *	fragments) from a packet socket on the WAN side of router A (--wdev,
 *	in --netns-w) to A's underlay device, and judge what A does with
 *	them. For each case the oracle below decides, with its own model of
 *	the rules in Documentation/design.md and of the stack around them
 *	(ip_rcv, routing, reassembly, gre_demux, ip_gre's and ip6gre's
 *	tunnel lookup; not the module's code), whether it is a keepalive
 *	reply to be credited to a tunnel, a peer's probe to be reflected to a
 *	tunnel's peer, or something that at most counts as "passed" on the
 *	tunnels it comes out of.
 *	--mode all	every case, the module loaded. Each tunnel's replies,
 *			reflected and passed counters must grow as predicted;
 *			each predicted reflection must leave A (captured on
 *			--wdev) once, byte for byte but for TTL and checksum, on
 *			the route to that tunnel's peer; what A delivers to raw
 *			GRE sockets opened in it must be what the model says,
 *			none of the credited replies. Without --forwarding, A
 *			must send no GRE but those and its own probes.
 *	--mode rest	the cases the module does not take (neither a
 *			credited reply nor a reflected probe), for a run
 *			without the module.
 *	Both write to --obs what else A sent (normalised: IPv4 ids, header
 *	and GRE checksums, flow labels zeroed), what it delivered to its raw
 *	GRE sockets (less what the taken cases deliver: the outer packet of a
 *	reflected probe), and the deltas of its SNMP, netstat and device
 *	counters, marking "aggvol" those the taken cases move too (received,
 *	delivered, sent, octets); "compare" says whether the stack did the
 *	same with everything else.
 *	--seed N --count N	the stream (a case is a function of the seed and
 *			its number alone); --case N runs case N only.
 *	--netns-a PATH --netns-w PATH	A's and the WAN's namespaces
 *	--sys-a DIR	a sysfs mounted in A (tunnels' ifindex, MAC, counters)
 *	--adev DEV --wdev DEV	A's underlay device, and ours facing it
 *	--ours LIST --ours6 LIST	A's own addresses (comma separated)
 *	--bcast LIST	broadcast addresses A takes as local
 *	--peers LIST	more peer addresses (for NBMA tunnels)
 *	--forwarding	A forwards and accepts its own addresses as source on
 *			its tunnels (what it delivers locally changes)
 *	--obs FILE	the observations
 *   TUNNEL is NAME,KIND,LOCAL,REMOTE[,key=N][,csum][,ka][,over=NAME]
 *	[,link=DEV][,noroute], KIND gre, gretap or ip6gre, LOCAL "any" for
 *	local any, REMOTE "any" for an NBMA tunnel; key and csum are both
 *	directions; ka: keepalive is running on it; over: it runs inside
 *	that tunnel; noroute: the route to its remote leads into itself.
 *
 *   gka-pktfuzz show OPTIONS TUNNEL...
 *	Print the cases (--case N, or --count N from 0) in hex with the
 *	oracle's verdict; sends nothing, needs no namespace.
 *   gka-pktfuzz dry OPTIONS TUNNEL...
 *	The oracle's statistics and predicted counters for the stream.
 *
 *   gka-pktfuzz compare FILE1 FILE2
 *	The observations of two runs as multisets, "aggvol" lines left out;
 *	prints lines found in one and not the other (with the case after
 *	which they were seen).
 *
 * Output of run: "key value" lines: seed, count, cases, frames, skipped,
 * seconds, class NAME N, captured..., expect DEV COUNTER EXPECTED ACTUAL,
 * violation TEXT, violations N, result ok|fail. Exit status 0 when all
 * held, 1 when not, 2 for a usage error, 3 for a local failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *prog = "gka-pktfuzz";

/* ------------------------------------------------------------------ */
/* Utilities                                                          */

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(3);
}

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see the comment at the top of gka-pktfuzz.c)\n");
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("calloc");
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		die("realloc");
	return p;
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* RFC 1071: the value to store; 0 over data that carries a right one. */
static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned long long parse_u64(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end)
		usage_error("bad %s '%s'", what, s);
	return v;
}

static uint32_t parse4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		usage_error("bad IPv4 address '%s'", s);
	return ntohl(a.s_addr);
}

static struct in6_addr parse6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		usage_error("bad IPv6 address '%s'", s);
	return a;
}

static void parse_mac(const char *s, uint8_t *mac)
{
	unsigned int m[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6)
		usage_error("bad MAC address '%s'", s);
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
}

/* Read the first line of a file; 0 when it does not exist. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (!fgets(buf, (int)size, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* The seeded stream                                                  */

static uint64_t rng;

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)(splitmix(&rng) % n) : 0;
}

static int chance(unsigned int per_mille)
{
	return rnd(1000) < per_mille;
}

/* ------------------------------------------------------------------ */
/* Router A as the fuzzer knows it                                    */

#define GRE_C		0x8000
#define GRE_R		0x4000
#define GRE_K		0x2000
#define GRE_S		0x1000
#define GRE_VER		0x0007
/* What no keepalive carries (design.md): R, S, the reserved bits, a version. */
#define GRE_NOT_KA	(GRE_R | GRE_S | 0x0ff8 | GRE_VER)
/* The longest GRE part, header and payload, of a keepalive (src/probe.h). */
#define KA_GRE_MAX	64

#define PT_IP		0x0800
#define PT_IPV6		0x86dd
#define PT_TEB		0x6558

#define MAXT		32
#define MAXA		32
#define MAXFRAME	1600
#define MAXFRAMES	6
#define MAXDEPTH	6

enum kind { K_GRE, K_GRETAP, K_IP6GRE };

struct tun {
	char name[IFNAMSIZ];
	enum kind kind;
	uint32_t local, remote;		/* host order, 0 for any */
	struct in6_addr local6, remote6;
	int keyed;
	uint32_t key;
	int csum;
	int ka;
	int over;			/* the tunnel it runs inside, or -1 */
	char linkname[IFNAMSIZ];
	int link;			/* ifindex it is bound to, or 0 */
	int noroute;
	int ifindex;
	uint8_t mac[6];
	/* counters: at the start of the run, predicted growth, at the end */
	unsigned long long base[3], pred[3], got[3];
	int have_counters;
};

enum { C_REPLIES, C_REFLECTED, C_PASSED };
static const char *const counter_name[] = { "replies", "reflected", "passed" };

static struct tun tun[MAXT];
static int ntun;
static uint32_t ours4[MAXA], bcast4[MAXA], peers4[MAXA];
static int nours4, nbcast4, npeers4;
static struct in6_addr ours6[MAXA], peers6[MAXA];
static int nours6, npeers6;
static int forwarding;
static int adev_ifindex;
static int dry;

static const uint32_t foreign4[] = {
	0xc6336463,	/* 198.51.100.99 */
	0x0ac80001,	/* 10.200.0.1 */
};

static const uint32_t special4[] = {
	0x00000000, 0x7f000001, 0xffffffff,
};

static struct in6_addr foreign6[2], special6[2];

static int in_list4(uint32_t a, const uint32_t *l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (l[i] == a)
			return 1;
	return 0;
}

static int is_ours4(uint32_t a)
{
	return in_list4(a, ours4, nours4);
}

static int is_ours6(const struct in6_addr *a)
{
	int i;

	for (i = 0; i < nours6; i++)
		if (!memcmp(a, &ours6[i], 16))
			return 1;
	return 0;
}

static int zero6(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return !memcmp(a, &any, 16);
}

static int is_mcast4(uint32_t a)
{
	return (a >> 28) == 0xe;
}

/* A tunnel with a single peer to answer: point-to-point gre, or ip6gre. */
static int has_peer(const struct tun *t)
{
	if (t->kind == K_GRE)
		return t->remote && !is_mcast4(t->remote);
	if (t->kind == K_IP6GRE)
		return !zero6(&t->remote6);
	return 0;
}

static int find_tun(const char *name)
{
	int i;

	for (i = 0; i < ntun; i++)
		if (!strcmp(tun[i].name, name))
			return i;
	return -1;
}

static void parse_list4(char *s, uint32_t *l, int *n)
{
	char *tok;

	for (tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		if (*n >= MAXA)
			usage_error("too many addresses");
		l[(*n)++] = parse4(tok);
	}
}

static void parse_list6(char *s, struct in6_addr *l, int *n)
{
	char *tok;

	for (tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		if (*n >= MAXA)
			usage_error("too many addresses");
		l[(*n)++] = parse6(tok);
	}
}

static void parse_tunnel(char *spec)
{
	char *f[12], *save = NULL, *tok;
	struct tun *t;
	int n = 0, i;

	if (ntun >= MAXT)
		usage_error("too many tunnels");
	for (tok = strtok_r(spec, ",", &save); tok && n < 12;
	     tok = strtok_r(NULL, ",", &save))
		f[n++] = tok;
	if (n < 4)
		usage_error("bad tunnel '%s'", spec);
	t = &tun[ntun];
	memset(t, 0, sizeof(*t));
	t->over = -1;
	snprintf(t->name, sizeof(t->name), "%s", f[0]);
	if (!strcmp(f[1], "gre"))
		t->kind = K_GRE;
	else if (!strcmp(f[1], "gretap"))
		t->kind = K_GRETAP;
	else if (!strcmp(f[1], "ip6gre"))
		t->kind = K_IP6GRE;
	else
		usage_error("bad tunnel kind '%s'", f[1]);
	if (t->kind == K_IP6GRE) {
		t->local6 = parse6(f[2]);
		t->remote6 = parse6(f[3]);
	} else {
		t->local = strcmp(f[2], "any") ? parse4(f[2]) : 0;
		t->remote = strcmp(f[3], "any") ? parse4(f[3]) : 0;
	}
	i = 4;
	for (; i < n; i++) {
		if (!strncmp(f[i], "key=", 4)) {
			t->keyed = 1;
			t->key = (uint32_t)parse_u64(f[i] + 4, "key");
		} else if (!strcmp(f[i], "csum")) {
			t->csum = 1;
		} else if (!strcmp(f[i], "ka")) {
			t->ka = 1;
		} else if (!strcmp(f[i], "noroute")) {
			t->noroute = 1;
		} else if (!strncmp(f[i], "over=", 5)) {
			t->over = find_tun(f[i] + 5);
			if (t->over < 0)
				usage_error("over=%s: name it first", f[i] + 5);
		} else if (!strncmp(f[i], "link=", 5)) {
			snprintf(t->linkname, sizeof(t->linkname), "%s",
				 f[i] + 5);
		} else {
			usage_error("bad tunnel option '%s'", f[i]);
		}
	}
	ntun++;
}

/* ------------------------------------------------------------------ */
/* Packet building                                                    */

struct frame {
	uint16_t ethertype;
	uint16_t len;
	uint8_t b[MAXFRAME];
};

struct gre {
	unsigned int flags, pt;
	uint32_t key, seq;
	int bad_csum;
};

static size_t gre_hlen(unsigned int flags)
{
	return 4 + (flags & GRE_C ? 4 : 0) + (flags & GRE_K ? 4 : 0) +
	       (flags & GRE_S ? 4 : 0);
}

/* GRE header (options in RFC 2890 order) and payload; returns the length. */
static size_t gre_put(uint8_t *o, const struct gre *g, const uint8_t *pl,
		      size_t plen)
{
	size_t h = 4;
	uint16_t c;

	/* The payload may be where the header goes: move it first. */
	memmove(o + gre_hlen(g->flags), pl, plen);
	put16(o, g->flags);
	put16(o + 2, g->pt);
	if (g->flags & GRE_C) {
		put32(o + h, 0);
		h += 4;
	}
	if (g->flags & GRE_K) {
		put32(o + h, g->key);
		h += 4;
	}
	if (g->flags & GRE_S) {
		put32(o + h, g->seq);
		h += 4;
	}
	if (g->flags & GRE_C) {
		c = csum(o, h + plen);
		if (g->bad_csum)
			c ^= 0x0f0f;
		put16(o + 4, c);
	}
	return h + plen;
}

struct ip4 {
	uint32_t src, dst;
	uint8_t ttl, tos, proto;
	uint16_t id, frag;
	uint8_t opt[40];
	size_t optlen;
};

static size_t ip4_put(uint8_t *o, const struct ip4 *h, const uint8_t *pl,
		      size_t plen)
{
	size_t hl = 20 + h->optlen;

	memmove(o + hl, pl, plen);
	memset(o, 0, hl);
	o[0] = (uint8_t)(0x40 | hl / 4);
	o[1] = h->tos;
	put16(o + 2, (unsigned int)(hl + plen));
	put16(o + 4, h->id);
	put16(o + 6, h->frag);
	o[8] = h->ttl;
	o[9] = h->proto;
	put32(o + 12, h->src);
	put32(o + 16, h->dst);
	memcpy(o + 20, h->opt, h->optlen);
	put16(o + 10, csum(o, hl));
	return hl + plen;
}

static void ip4_fix_csum(uint8_t *o)
{
	size_t hl = (size_t)(o[0] & 0xf) * 4;

	put16(o + 10, 0);
	put16(o + 10, csum(o, hl));
}

struct ip6 {
	struct in6_addr src, dst;
	uint8_t hlim, tclass, next;
	uint32_t flow;
};

static size_t ip6_put(uint8_t *o, const struct ip6 *h, const uint8_t *pl,
		      size_t plen)
{
	memmove(o + 40, pl, plen);
	o[0] = (uint8_t)(0x60 | h->tclass >> 4);
	o[1] = (uint8_t)(h->tclass << 4 | (h->flow >> 16 & 0xf));
	put16(o + 2, h->flow & 0xffff);
	put16(o + 4, (unsigned int)plen);
	o[6] = h->next;
	o[7] = h->hlim;
	memcpy(o + 8, &h->src, 16);
	memcpy(o + 24, &h->dst, 16);
	return 40 + plen;
}

/* ------------------------------------------------------------------ */
/* The generator                                                      */

/* What the case was built as, for the statistics. */
enum shape {
	SH_REPLY, SH_REPLY_NESTED, SH_PROBE, SH_PROBE_OTHER, SH_PROBE_NESTED,
	SH_GARBAGE, SH_MAX
};

static const char *const shape_name[] = {
	"reply", "reply-through-tunnel", "probe", "probe-for-other-tunnel",
	"probe-gre-in-gre", "garbage",
};

struct ccase {
	unsigned long idx;
	enum shape shape;
	int nframes;
	int fragmented, orphan, mutated;
	struct frame f[MAXFRAMES];
};

static uint32_t pick4(void)
{
	switch (rnd(5)) {
	case 0:
		return ours4[rnd((unsigned int)nours4)];
	case 1:
		return peers4[rnd((unsigned int)npeers4)];
	case 2:
		return foreign4[rnd(2)];
	case 3:
		return special4[rnd(3)];
	default:
		return nbcast4 ? bcast4[rnd((unsigned int)nbcast4)] :
				 ours4[0];
	}
}

static struct in6_addr pick6(void)
{
	switch (rnd(4)) {
	case 0:
		return ours6[rnd((unsigned int)nours6)];
	case 1:
		return peers6[rnd((unsigned int)npeers6)];
	case 2:
		return foreign6[rnd(2)];
	default:
		return special6[rnd(2)];
	}
}

static const unsigned int pt_list[] = {
	0x0000, 0x0800, 0x86dd, 0x6558, 0x0001, 0x8847, 0xffff,
};

static unsigned int pick_pt(void)
{
	return pt_list[rnd(ARRAY_SIZE(pt_list))];
}

static uint32_t pick_key(void)
{
	int i = (int)rnd((unsigned int)ntun + 2);

	if (i < ntun && tun[i].keyed)
		return tun[i].key;
	return rnd(3) ? rnd(0x100) : (uint32_t)splitmix(&rng);
}

/* A GRE header that claims to be a keepalive, then perhaps broken. */
static int mutate_gre(struct gre *g, size_t *payload, int wide)
{
	int m = 0;

	if (chance(wide ? 90 : 50)) {	/* one bit anywhere in the flags */
		g->flags ^= 1u << rnd(16);
		m = 1;
	}
	if (chance(30)) {
		g->flags = (g->flags & ~GRE_VER) | (1 + rnd(7));
		m = 1;
	}
	if (chance(wide ? 80 : 30)) {
		g->flags ^= GRE_K;
		g->key = pick_key();
		m = 1;
	}
	if (chance(wide ? 80 : 30) && (g->flags & GRE_K)) {
		g->key = pick_key();
		m = 1;
	}
	if (chance(wide ? 80 : 30)) {
		g->flags ^= GRE_C;
		m = 1;
	}
	if (chance(wide ? 60 : 30) && (g->flags & GRE_C)) {
		g->bad_csum = 1;
		m = 1;
	}
	if (chance(wide ? 90 : 40)) {
		*payload = 1 + rnd(rnd(4) ? 12 : 72);
		m = 1;
	}
	if (chance(wide ? 50 : 20)) {
		g->pt = pick_pt();
		m = 1;
	}
	if (chance(30)) {
		g->flags = rnd(0x10000);
		m = 1;
	}
	return m;
}

/* IPv4 options: NOPs (valid), or a broken one. */
static void put_options(struct ip4 *h, int bad)
{
	size_t n = 4 * (1 + rnd(3));

	memset(h->opt, 1, n);			/* NOP */
	if (!bad && rnd(2))
		memset(h->opt + n - 1 - rnd(3), 0, 1 + rnd(1));	/* END */
	if (!bad) {
		/* After an END only zeros: the stack rewrites anything else. */
		size_t i;

		for (i = 0; i < n && h->opt[i]; i++)
			;
		for (; i < n; i++)
			h->opt[i] = 0;
	}
	if (bad) {
		size_t at = rnd((unsigned int)n - 1);

		h->opt[at] = 0x44;			/* timestamp */
		h->opt[at + 1] = (uint8_t)rnd(2);	/* length 0 or 1 */
	}
	h->optlen = n;
}

/* Break an IPv4 packet's header in a way the stack notices. */
static int break_ip4(uint8_t *p, size_t *len)
{
	switch (rnd(5)) {
	case 0:
		put16(p + 10, get16(p + 10) ^ 0x0101);	/* checksum */
		return 1;
	case 1:
		put16(p + 2, (unsigned int)*len + 1 + rnd(9));	/* too long */
		ip4_fix_csum(p);
		return 1;
	case 2:
		p[0] = (uint8_t)(0x40 | rnd(5));		/* IHL < 5 */
		put16(p + 10, 0);
		put16(p + 10, csum(p, 20));
		return 1;
	case 3:
		p[0] = (uint8_t)((p[0] & 0xf) | (rnd(2) ? 0x60 : 0x50));
		return 1;
	default:
		put16(p + 2, (unsigned int)rnd(20));		/* < IHL */
		ip4_fix_csum(p);
		return 1;
	}
}

/* The address a packet from tunnel t's peer is sent to. */
static uint32_t local_of(const struct tun *t)
{
	if (t->local)
		return t->local;
	return ours4[rnd((unsigned int)nours4)];
}

static uint32_t remote_of(const struct tun *t)
{
	if (t->remote)
		return t->remote;
	return peers4[rnd((unsigned int)npeers4)];
}

static uint16_t next_id;	/* IPv4 ids: unique within a case */

/*
 * Wrap @in (an IP packet, or an Ethernet frame for gretap) as tunnel t's
 * peer sends it to us; @mut: break the outer headers now and then.
 * Returns the new length in @out (which may be @in).
 */
static size_t encap(const struct tun *t, uint8_t *out, const uint8_t *in,
		    size_t len, unsigned int pt, int mut, int *mutated)
{
	static uint8_t tmp[MAXFRAME];
	struct gre g = {
		.flags = (t->csum ? GRE_C : 0) | (t->keyed ? GRE_K : 0),
		.pt = pt,
		.key = t->keyed ? t->key : 0,
	};
	size_t n, pad = 0;

	memcpy(tmp, in, len);
	if (mut && chance(120)) {
		switch (rnd(9)) {
		case 0:
			g.flags ^= GRE_K;
			g.key = pick_key();
			break;
		case 1:
			g.key = pick_key();
			break;
		case 2:
			g.flags ^= GRE_C;
			break;
		case 3:
			g.flags |= GRE_C;
			g.bad_csum = 1;
			break;
		case 4:
			g.flags |= GRE_S;
			g.seq = (uint32_t)splitmix(&rng);
			break;
		case 5:
			g.flags |= rnd(2) ? GRE_R : (1 + rnd(7));
			break;
		case 6:
			g.flags |= 0x0008u << rnd(8);	/* reserved, s, recur */
			break;
		case 7:
			g.pt = pick_pt();
			break;
		default:
			pad = 1 + rnd(8);
			memset(tmp + len, 0, pad);
			break;
		}
		*mutated = 1;
	}
	n = gre_put(tmp, &g, tmp, len + pad);
	if (t->kind == K_IP6GRE) {
		struct ip6 h = {
			.src = t->remote6, .dst = t->local6, .hlim = 64,
			.next = 47, .flow = rnd(0x100000),
		};

		if (mut && chance(40)) {
			if (rnd(2))
				h.src = pick6();
			else
				h.dst = pick6();
			*mutated = 1;
		}
		return ip6_put(out, &h, tmp, n);
	}
	{
		struct ip4 h = {
			.src = remote_of(t), .dst = local_of(t), .ttl = 64,
			.proto = 47, .id = next_id++,
		};

		if (mut && chance(60)) {
			switch (rnd(5)) {
			case 0:
				h.src = pick4();
				break;
			case 1:
				h.dst = pick4();
				break;
			case 2:
				h.ttl = (uint8_t)rnd(3);
				break;
			case 3:
				put_options(&h, 0);
				break;
			default:
				h.frag = 0x4000;	/* DF */
				break;
			}
			*mutated = 1;
		}
		n = ip4_put(out, &h, tmp, n);
		if (mut && chance(10)) {
			size_t nl = n;

			break_ip4(out, &nl);
			*mutated = 1;
		}
		return n;
	}
}

/* An Ethernet header for a frame into gretap t. */
static size_t eth_wrap(const struct tun *t, uint8_t *buf, size_t len,
		       unsigned int ethertype)
{
	memmove(buf + 14, buf, len);
	switch (rnd(5)) {
	case 0:
	case 1:
		memset(buf, 0xff, 6);
		break;
	case 2:
	case 3:
		memcpy(buf, t->mac, 6);
		break;
	default:
		buf[0] = 0x02;
		buf[1] = 0x00;
		put32(buf + 2, (uint32_t)splitmix(&rng) | 1);
		break;
	}
	buf[6] = 0x02;
	put32(buf + 7, 0x47455046);
	buf[11] = 0x01;
	put16(buf + 12, ethertype);
	return len + 14;
}

/* A keepalive probe as tunnel t's peer sends it into its own tunnel. */
static size_t probe4(const struct tun *t, uint8_t *o, int *mutated)
{
	struct gre g = { 0 };
	struct ip4 h = {
		.ttl = 255, .proto = 47, .id = next_id++,
	};
	size_t payload = 0, n;
	uint8_t pl[128] = { 0 };

	h.src = t->kind == K_IP6GRE ? ours4[0] : local_of(t);
	h.dst = t->kind == K_IP6GRE ? peers4[0] : remote_of(t);
	if (rnd(4) == 0) {		/* what the peer's receive side wants */
		g.flags = (t->csum ? GRE_C : 0) | (t->keyed ? GRE_K : 0);
		g.key = t->key;
	}
	if (chance(450)) {
		*mutated = 1;
		if (chance(150))
			h.ttl = (uint8_t)rnd(3);
		if (chance(150))
			h.src = pick4();
		if (chance(200))
			h.dst = pick4();
		if (chance(100))
			h.tos = (uint8_t)rnd(256);
		if (chance(60))
			put_options(&h, chance(400));
		if (chance(80))
			h.frag |= 0x2000;			/* MF */
		if (chance(60))
			h.frag |= (uint16_t)(1 + rnd(100));	/* offset */
		if (chance(60))
			h.frag |= 0x4000;			/* DF */
		mutate_gre(&g, &payload, 0);
		if (payload)
			for (n = 1; n < payload; n++)
				pl[n] = (uint8_t)rnd(256);
	}
	n = gre_put(o + 60, &g, pl, payload);
	if (chance(60)) {		/* cut off inside the GRE header */
		n = rnd((unsigned int)n);
		*mutated = 1;
	}
	n = ip4_put(o, &h, o + 60, n);
	if (chance(25)) {
		break_ip4(o, &n);
		*mutated = 1;
	}
	return n;
}

/* MikroTik's probe over IPv6 (type 0x86DD, nothing behind), or type 0. */
static size_t probe6(const struct tun *t, uint8_t *o, int *mutated)
{
	struct gre g = { .pt = rnd(3) ? PT_IPV6 : 0 };
	struct ip6 h = {
		.hlim = 255, .next = 47, .flow = rnd(0x100000),
	};
	size_t payload = 0, n, hop = 0, i;
	uint8_t pl[128] = { 0 }, body[200];

	h.src = t->kind == K_IP6GRE ? t->local6 : ours6[0];
	h.dst = t->kind == K_IP6GRE ? t->remote6 : peers6[0];
	if (rnd(4) == 0 && t->keyed) {
		g.flags = GRE_K;
		g.key = t->key;
	}
	if (chance(450)) {
		*mutated = 1;
		if (chance(150))
			h.hlim = (uint8_t)rnd(3);
		if (chance(150))
			h.src = pick6();
		if (chance(200))
			h.dst = pick6();
		if (chance(100))
			h.tclass = (uint8_t)rnd(256);
		mutate_gre(&g, &payload, 0);
		for (i = 1; i < payload; i++)
			pl[i] = (uint8_t)rnd(256);
		if (chance(60))
			hop = 8;	/* a hop-by-hop header, PadN */
	}
	memset(body, 0, hop);
	if (hop) {
		body[0] = 47;
		body[2] = 1;	/* PadN, 4 bytes of padding */
		body[3] = 4;
		h.next = 0;
	}
	n = hop + gre_put(body + hop, &g, pl, payload);
	n = ip6_put(o, &h, body, n);
	if (chance(60)) {		/* payload length cut short */
		/* (0 behind a hop-by-hop header would mean a jumbogram) */
		put16(o + 4, rnd(get16(o + 4) + 1) | (hop ? 1 : 0));
		*mutated = 1;
	}
	if (chance(20)) {
		put16(o + 4, get16(o + 4) + 1 + rnd(8));	/* too long */
		*mutated = 1;
	}
	return n;
}

/* A keepalive reply as tunnel t's peer reflects it to us. */
static size_t reply4(const struct tun *t, uint8_t *o, int *mutated)
{
	struct gre g = {
		.flags = (t->csum ? GRE_C : 0) | (t->keyed ? GRE_K : 0),
		.key = t->key,
	};
	struct ip4 h = {
		.ttl = 254, .proto = 47, .id = next_id++,
	};
	size_t payload = 0, n;
	uint8_t pl[128] = { 0 };

	h.src = remote_of(t);
	h.dst = local_of(t);
	if (!t->local && rnd(3) == 0 && nbcast4)
		h.dst = rnd(2) ? 0xffffffff : bcast4[0];
	if (t->kind != K_GRE) {		/* no keepalive there: anything */
		g.flags = rnd(2) ? GRE_K : 0;
		g.key = pick_key();
	}
	if (chance(500)) {
		*mutated = 1;
		if (chance(150))
			h.src = pick4();
		if (chance(150))
			h.dst = pick4();
		if (chance(50))
			h.ttl = (uint8_t)rnd(2);
		if (chance(50))
			put_options(&h, chance(300));
		if (chance(50))
			h.tos = (uint8_t)rnd(256);
		mutate_gre(&g, &payload, 1);
		if (payload)
			for (n = 1; n < payload; n++)
				pl[n] = rnd(3) ? 0 : (uint8_t)rnd(256);
	}
	n = gre_put(o + 60, &g, pl, payload);
	if (chance(50)) {
		n = rnd((unsigned int)n);
		*mutated = 1;
	}
	n = ip4_put(o, &h, o + 60, n);
	if (chance(20)) {
		break_ip4(o, &n);
		*mutated = 1;
	}
	return n;
}

/* Ordinary traffic, or GRE that is nobody's. */
static size_t garbage(uint8_t *o, int *v6)
{
	uint8_t pl[128];
	size_t n = rnd(80), i;
	struct gre g = { .flags = rnd(0x10000), .pt = pick_pt(),
			 .key = pick_key() };

	for (i = 0; i < n; i++)
		pl[i] = (uint8_t)rnd(256);
	if (n)
		pl[0] &= 0x0f;	/* no IP packet by accident */
	if (rnd(4) == 0) {
		struct ip6 h = { .src = pick6(), .dst = pick6(), .hlim = 64,
				 .next = 47 };

		if (rnd(2))
			h.dst = ours6[0];
		*v6 = 1;
		n = gre_put(pl, &g, pl, n > 40 ? 40 : n);
		return ip6_put(o, &h, pl, n);
	}
	{
		struct ip4 h = { .src = pick4(), .dst = pick4(), .ttl = 64,
				 .proto = rnd(4) ? 47 : 17,
				 .id = next_id++ };

		if (rnd(2))
			h.dst = ours4[rnd((unsigned int)nours4)];
		*v6 = 0;
		if (h.proto == 47)
			n = gre_put(pl, &g, pl, n > 40 ? 40 : n);
		return ip4_put(o, &h, pl, n);
	}
}

/* Split an IPv4 datagram into fragments (8-byte multiples); maybe lose one. */
static int fragment4(struct ccase *c, const uint8_t *p, size_t len, int orphan)
{
	size_t hl = (size_t)(p[0] & 0xf) * 4, plen = len - hl, off = 0;
	size_t pieces = 2 + rnd(2), step;
	int n = 0, lose = orphan ? (int)rnd((unsigned int)pieces) : -1, i;

	step = (plen / pieces + 7) & ~(size_t)7;
	if (!step)
		step = 8;
	for (i = 0; off < plen && n < MAXFRAMES; i++) {
		size_t sz = plen - off > step ? step : plen - off;
		int last = off + sz >= plen;
		struct frame *f = &c->f[n];
		size_t fhl = i ? 20 : hl;

		memcpy(f->b, p, 20);
		if (!i)
			memcpy(f->b, p, hl);
		f->b[0] = (uint8_t)(0x40 | fhl / 4);
		memcpy(f->b + fhl, p + hl + off, sz);
		put16(f->b + 2, (unsigned int)(fhl + sz));
		put16(f->b + 6, (get16(p + 6) & 0x4000) | (last ? 0 : 0x2000) |
			       (unsigned int)(off / 8));
		ip4_fix_csum(f->b);
		f->len = (uint16_t)(fhl + sz);
		f->ethertype = ETH_P_IP;
		off += sz;
		if (i != lose)
			n++;
	}
	return n;
}

static int fragment6(struct ccase *c, const uint8_t *p, size_t len,
		     int orphan, uint32_t id)
{
	size_t plen = len - 40, off = 0, pieces = 2 + rnd(2), step;
	int n = 0, lose = orphan ? (int)rnd((unsigned int)pieces) : -1, i;

	step = (plen / pieces + 7) & ~(size_t)7;
	if (!step)
		step = 8;
	for (i = 0; off < plen && n < MAXFRAMES; i++) {
		size_t sz = plen - off > step ? step : plen - off;
		int last = off + sz >= plen;
		struct frame *f = &c->f[n];

		memcpy(f->b, p, 40);
		f->b[6] = 44;
		f->b[40] = p[6];
		f->b[41] = 0;
		put16(f->b + 42, (unsigned int)(off | (last ? 0 : 1)));
		put32(f->b + 44, id);
		memcpy(f->b + 48, p + 40 + off, sz);
		put16(f->b + 4, (unsigned int)(8 + sz));
		f->len = (uint16_t)(48 + sz);
		f->ethertype = ETH_P_IPV6;
		off += sz;
		if (i != lose)
			n++;
	}
	return n;
}

static int pick_tun(int (*ok)(const struct tun *))
{
	int i, tries;

	for (tries = 0; tries < 100; tries++) {
		i = (int)rnd((unsigned int)ntun);
		if (!ok || ok(&tun[i]))
			return i;
	}
	return 0;
}

static int is_p2p_gre(const struct tun *t)
{
	return t->kind == K_GRE && t->remote;
}

static int is_p2p(const struct tun *t)
{
	return has_peer(t);
}

/* Wrap into t as its peer sends it, and into what t runs over. */
static size_t encap_path(int ti, uint8_t *buf, size_t n, int v6, int mut,
			 int *mutated)
{
	const struct tun *t = &tun[ti];
	unsigned int pt = v6 ? PT_IPV6 : PT_IP;

	if (t->kind == K_GRETAP) {
		n = eth_wrap(t, buf, n, v6 ? ETH_P_IPV6 : ETH_P_IP);
		pt = PT_TEB;
	}
	n = encap(t, buf, buf, n, pt, mut, mutated);
	while (t->over >= 0) {
		pt = t->kind == K_IP6GRE ? PT_IPV6 : PT_IP;
		t = &tun[t->over];
		n = encap(t, buf, buf, n, pt, mut, mutated);
	}
	return n;
}

static void gen_case(uint64_t seed, unsigned long idx, struct ccase *c)
{
	static uint8_t buf[MAXFRAME];
	unsigned int r;
	size_t n = 0;
	int v6 = 0, ti, outer_v6;

	memset(c, 0, sizeof(*c));
	c->idx = idx;
	rng = seed ^ (idx * 0xd1b54a32d192ed03ULL);
	splitmix(&rng);
	next_id = (uint16_t)(idx * 4);
	r = rnd(100);
	if (r < 32) {
		/* A reply: mostly to a tunnel that runs keepalive. */
		ti = pick_tun(rnd(5) ? is_p2p_gre : NULL);
		c->shape = SH_REPLY;
		n = reply4(&tun[ti], buf, &c->mutated);
		if (tun[ti].over >= 0 || chance(60)) {
			int ui = tun[ti].over >= 0 && rnd(8) ?
				 tun[ti].over : pick_tun(is_p2p);

			n = encap_path(ui, buf, n, 0, 1, &c->mutated);
			c->shape = SH_REPLY_NESTED;
		}
	} else if (r < 90) {
		/* A peer's probe, out of a tunnel: its own, or another's. */
		int pi;

		ti = pick_tun(NULL);
		pi = ti;
		c->shape = tun[ti].over >= 0 ? SH_PROBE_NESTED : SH_PROBE;
		if (rnd(4) == 0) {
			pi = pick_tun(NULL);
			if (pi != ti)
				c->shape = SH_PROBE_OTHER;
		}
		v6 = tun[pi].kind == K_IP6GRE;
		if (rnd(10) == 0)
			v6 = !v6;
		n = v6 ? probe6(&tun[pi], buf, &c->mutated) :
			 probe4(&tun[pi], buf, &c->mutated);
		n = encap_path(ti, buf, n, v6, 1, &c->mutated);
	} else {
		c->shape = SH_GARBAGE;
		n = garbage(buf, &v6);
		if (rnd(2)) {
			ti = pick_tun(NULL);
			n = encap_path(ti, buf, n, v6, 0, &c->mutated);
		}
	}
	outer_v6 = buf[0] >> 4 == 6;
	c->nframes = 0;
	if (n > 28 && chance(80)) {
		c->fragmented = 1;
		c->orphan = chance(250);
		if (outer_v6 && n > 56)
			c->nframes = fragment6(c, buf, n, c->orphan,
					       (uint32_t)(idx * 2 + 1));
		else if (!outer_v6 && (buf[0] & 0xf) >= 5 &&
			 get16(buf + 2) == n && !(get16(buf + 6) & 0x3fff))
			c->nframes = fragment4(c, buf, n, c->orphan);
		if (!c->nframes) {
			c->fragmented = 0;
			c->orphan = 0;
		}
	}
	if (!c->nframes) {
		memcpy(c->f[0].b, buf, n);
		c->f[0].len = (uint16_t)n;
		c->f[0].ethertype = outer_v6 ? ETH_P_IPV6 : ETH_P_IP;
		c->nframes = 1;
	}
}

/* ------------------------------------------------------------------ */
/* The oracle: router A, the stack and the module, modelled           */

struct refl {
	int t;				/* the tunnel */
	uint16_t len;
	uint8_t b[MAXFRAME];		/* the packet as it must leave */
};

struct verdict {
	int credit[MAXT], reflect[MAXT], pass[MAXT];
	int consumed;
	int nrefl;
	struct refl refl[MAXFRAMES * 2];
	/* GRE delivered to A's raw sockets: (v6, bytes) */
	int nraw;
	struct {
		int v6;
		uint16_t len;
		uint8_t src[16];
		uint8_t b[MAXFRAME];
	} raw[MAXFRAMES * 3];
};

/* Reassembly: one datagram's pieces (the generator never overlaps). */
struct reasm {
	int used, v6;
	uint8_t key[40];		/* src, dst, id, proto */
	uint8_t hdr[60];		/* the first fragment's header */
	size_t hlen, total;
	int have_first, have_last;
	uint8_t data[MAXFRAME];
	uint8_t have[MAXFRAME / 8 + 1];
};

static struct reasm rq[8];

static void rx4(const uint8_t *p, size_t len, int iif, int depth,
		struct verdict *v);
static void rx6(const uint8_t *p, size_t len, int iif, int depth,
		struct verdict *v);

static int iif_index(int iif)
{
	return iif < 0 ? adev_ifindex : tun[iif].ifindex;
}

/* Add a fragment; returns the reassembled datagram's length, or 0. */
static size_t reasm_add(int v6, const uint8_t *key, size_t keylen,
			const uint8_t *hdr, size_t hlen, size_t off,
			const uint8_t *data, size_t dlen, int more,
			uint8_t *out)
{
	struct reasm *q = NULL;
	size_t i, end = off + dlen;
	int j;

	for (j = 0; j < 8; j++)
		if (rq[j].used && rq[j].v6 == v6 &&
		    !memcmp(rq[j].key, key, keylen))
			q = &rq[j];
	if (!q) {
		for (j = 0; j < 8 && rq[j].used; j++)
			;
		if (j == 8 || end > MAXFRAME)
			return 0;
		q = &rq[j];
		memset(q, 0, sizeof(*q));
		q->used = 1;
		q->v6 = v6;
		memcpy(q->key, key, keylen);
	}
	if (end > MAXFRAME)
		return 0;
	memcpy(q->data + off, data, dlen);
	for (i = off / 8; i < (end + 7) / 8; i++)
		q->have[i] = 1;
	if (!off) {
		q->have_first = 1;
		memcpy(q->hdr, hdr, hlen);
		q->hlen = hlen;
	}
	if (!more) {
		q->have_last = 1;
		q->total = end;
	}
	if (!q->have_first || !q->have_last)
		return 0;
	for (i = 0; i < (q->total + 7) / 8; i++)
		if (!q->have[i])
			return 0;
	memcpy(out, q->hdr, q->hlen);
	memcpy(out + q->hlen, q->data, q->total);
	q->used = 0;
	if (v6) {
		put16(out + 4, (unsigned int)(q->hlen - 40 + q->total));
	} else {
		put16(out + 2, (unsigned int)(q->hlen + q->total));
		put16(out + 6, get16(out + 6) & 0x4000);
		ip4_fix_csum(out);
	}
	return q->hlen + q->total;
}

/* Would A deliver an IPv4 packet from src to dst, arriving on iif, locally? */
static int local_in4(uint32_t src, uint32_t dst, int iif)
{
	int accept_local = forwarding && iif >= 0;

	if (is_mcast4(src) || src == 0xffffffff)
		return 0;
	if (is_mcast4(dst))
		return 0;		/* the generator sends none */
	if (dst == 0xffffffff) {
		/* fib_validate_source(): lo's address is one of ours too */
		if (src && !accept_local &&
		    (is_ours4(src) || src == 0x7f000001))
			return 0;
		return 1;
	}
	if (!src && !dst)
		return 1;	/* taken as a broadcast, unchecked */
	if ((src >> 24) == 0 || (dst >> 24) == 0)
		return 0;
	if ((dst >> 24) == 127 || (src >> 24) == 127)
		return 0;
	if (!is_ours4(dst) && !in_list4(dst, bcast4, nbcast4))
		return 0;		/* forwarded or dropped */
	/* rp_filter 0: only our own addresses are martian sources. */
	if (!accept_local && is_ours4(src))
		return 0;
	return 1;
}

/* The stack's IPv4 option check, for the options the generator makes. */
static int options_ok(const uint8_t *p, size_t hl)
{
	size_t i = 20;

	while (i < hl) {
		if (p[i] == 0)
			return 1;
		if (p[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hl || p[i + 1] < 2 || p[i + 1] > hl - i)
			return 0;
		i += p[i + 1];
	}
	return 1;
}

/* The module's reflection hook, IPv4, for a packet out of tunnel ti. */
enum { R_NONE, R_PASS, R_REFLECT };

static int bad_source4(uint32_t a)
{
	return (a >> 24) == 0 || (a >> 24) == 127 || is_mcast4(a) ||
	       a == 0xffffffff;
}

static int reflect4(const uint8_t *p, size_t len, int ti)
{
	const struct tun *t = &tun[ti];
	size_t hl = (size_t)(p[0] & 0xf) * 4, glen, hlen;
	unsigned int frag = get16(p + 6), flags;
	uint32_t src = get32(p + 12), dst = get32(p + 16);

	if (!has_peer(t))
		return R_NONE;		/* gretap, NBMA: not even looked at */
	if (p[9] != 47 || (frag & 0x1fff))
		return R_NONE;
	/* design.md: no keepalive has IPv4 options; with them, untouched. */
	if (hl > 20)
		return R_NONE;
	glen = len - hl;
	if (glen < 4)
		return R_PASS;
	if (get16(p + hl + 2) != 0)
		return R_NONE;
	flags = get16(p + hl);
	hlen = gre_hlen(flags);
	if (glen < hlen)
		return R_PASS;
	/* A stamp behind the header (OpenBSD's) is fine, up to 64 in all. */
	if ((flags & GRE_NOT_KA) || (frag & 0x2000) || glen > KA_GRE_MAX)
		return R_PASS;
	if (t->kind != K_GRE)
		return R_PASS;		/* an ip6gre has no IPv4 peer */
	if (dst != t->remote)
		return R_PASS;
	if (t->local ? src != t->local : bad_source4(src))
		return R_PASS;
	if (p[8] <= 1)
		return R_PASS;
	/* The route back: from one of ours, not into the tunnel itself. */
	if (!is_ours4(src) || t->noroute)
		return R_PASS;
	return R_REFLECT;
}

static int bad_source6(const struct in6_addr *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const struct in6_addr lo = { .s6_addr = { [15] = 1 } };

	return zero6(a) || !memcmp(a, &lo, 16) || a->s6_addr[0] == 0xff ||
	       !memcmp(a, mapped, 12);
}

static int reflect6(const uint8_t *p, size_t len, int ti)
{
	const struct tun *t = &tun[ti];
	size_t glen = len - 40, hlen;
	unsigned int flags, pt = 0;
	struct in6_addr src, dst;

	if (!has_peer(t))
		return R_NONE;
	if (p[6] != 47)
		return R_NONE;
	if (glen >= 4) {
		pt = get16(p + 42);
		if (pt && pt != PT_IPV6)
			return R_NONE;
	}
	if (glen < 4)
		return R_PASS;
	flags = get16(p + 40);
	hlen = gre_hlen(flags);
	if (pt && glen != hlen)
		return R_NONE;		/* IPv6 in GRE: traffic */
	if (glen < hlen)
		return R_PASS;
	if ((flags & GRE_NOT_KA) || glen > KA_GRE_MAX)
		return R_PASS;
	if (t->kind != K_IP6GRE)
		return R_PASS;		/* a gre tunnel has no IPv6 peer */
	memcpy(&src, p + 8, 16);
	memcpy(&dst, p + 24, 16);
	if (memcmp(&dst, &t->remote6, 16))
		return R_PASS;
	if (zero6(&t->local6) ? bad_source6(&src) :
	    memcmp(&src, &t->local6, 16))
		return R_PASS;
	if (p[7] <= 1)
		return R_PASS;
	if (!is_ours6(&src) || t->noroute)
		return R_PASS;
	return R_REFLECT;
}

static void expect_reflection(struct verdict *v, int ti, const uint8_t *p,
			      size_t len, int v6)
{
	struct refl *r;

	v->reflect[ti]++;
	v->consumed = 1;
	if (v->nrefl >= (int)ARRAY_SIZE(v->refl))
		return;
	r = &v->refl[v->nrefl++];
	r->t = ti;
	r->len = (uint16_t)len;
	memcpy(r->b, p, len);
	if (v6) {
		r->b[7]--;
	} else {
		r->b[8]--;
		ip4_fix_csum(r->b);
	}
}

/*
 * The reply hook, at LOCAL_IN: a bare GRE header with protocol type 0
 * (padding allowed up to 64 bytes in all), then the tunnel ip_gre would
 * give it to, which must have keepalive running.
 */
static int reply_hook(const uint8_t *p, size_t len, int iif, struct verdict *v)
{
	size_t hl = (size_t)(p[0] & 0xf) * 4, glen = len - hl, hlen;
	const uint8_t *g = p + hl;
	uint32_t src = get32(p + 12), dst = get32(p + 16), key = 0;
	unsigned int flags, rank, best_rank = 0;
	int i, best = -1, k, c;

	if (glen < 4 || get16(g + 2) != 0 || glen > 64)
		return 0;
	flags = get16(g);
	if (flags & GRE_NOT_KA)
		return 0;
	k = !!(flags & GRE_K);
	c = !!(flags & GRE_C);
	hlen = gre_hlen(flags);
	if (glen < hlen)
		return 0;
	if (k)
		key = get32(g + hlen - 4);
	if (c && csum(g, glen))
		return 0;
	for (i = 0; i < ntun; i++) {
		const struct tun *t = &tun[i];

		if (!is_p2p_gre(t) || t->remote != src ||
		    (t->local && t->local != dst) || t->keyed != k ||
		    (k && t->key != key) || t->csum != c)
			continue;
		if (t->local)
			rank = t->link == iif_index(iif) ? 4 : 2;
		else
			rank = t->link == iif_index(iif) ? 3 : 1;
		if (rank > best_rank) {
			best_rank = rank;
			best = i;
		}
	}
	if (best < 0 || !tun[best].ka)
		return 0;
	v->credit[best]++;
	v->consumed = 1;
	return 1;
}

static void note_raw(struct verdict *v, int v6, const uint8_t *src,
		     const uint8_t *p, size_t len)
{
	int n = v->nraw;

	if (n >= (int)ARRAY_SIZE(v->raw))
		return;
	v->raw[n].v6 = v6;
	v->raw[n].len = (uint16_t)len;
	memcpy(v->raw[n].src, src, v6 ? 16 : 4);
	memcpy(v->raw[n].b, p, len);
	v->nraw++;
}

/* ip_tunnel_key_match(): a keyed tunnel wants its key, the others none. */
static int key_ok(const struct tun *t, int k, uint32_t key)
{
	return t->keyed ? k && key == t->key : !k;
}

/* ip_gre's ip_tunnel_lookup() over the tunnels of one kind. */
static int lookup4(enum kind kind, int link, int k, uint32_t remote,
		   uint32_t local, uint32_t key)
{
	int i, cand = -1;

	for (i = 0; i < ntun; i++) {
		const struct tun *t = &tun[i];

		if (t->kind != kind || local != t->local ||
		    remote != t->remote || !key_ok(t, k, key))
			continue;
		if (t->link == link)
			return i;
		cand = i;
	}
	for (i = 0; i < ntun; i++) {
		const struct tun *t = &tun[i];

		if (t->kind != kind || remote != t->remote || t->local ||
		    !key_ok(t, k, key))
			continue;
		if (t->link == link)
			return i;
		if (cand < 0)
			cand = i;
	}
	for (i = 0; i < ntun; i++) {
		const struct tun *t = &tun[i];

		if (t->kind != kind)
			continue;
		if ((local != t->local || t->remote) &&
		    (local != t->remote || !is_mcast4(local)))
			continue;
		if (!key_ok(t, k, key))
			continue;
		if (t->link == link)
			return i;
		if (cand < 0)
			cand = i;
	}
	for (i = 0; i < ntun; i++) {
		const struct tun *t = &tun[i];

		if (t->kind != kind || (k && t->key != key) || t->local ||
		    t->remote)
			continue;
		if (t->link == link)
			return i;
		if (cand < 0)
			cand = i;
	}
	return cand;
}

static int lookup6(const uint8_t *remote, const uint8_t *local, uint32_t key)
{
	int i;

	for (i = 0; i < ntun; i++) {
		const struct tun *t = &tun[i];

		if (t->kind == K_IP6GRE && !memcmp(local, &t->local6, 16) &&
		    !memcmp(remote, &t->remote6, 16) &&
		    key == (t->keyed ? t->key : 0))
			return i;
	}
	return -1;
}

/* What comes out of tunnel ti after decapsulation. */
static void deliver_inner(int ti, unsigned int pt, const uint8_t *in,
			  size_t ilen, int depth, struct verdict *v)
{
	const struct tun *t = &tun[ti];

	if (t->kind == K_GRETAP) {
		unsigned int et;

		if (pt != PT_TEB || ilen < 14)
			return;
		/* Not for us: PACKET_OTHERHOST, which ip_rcv drops. */
		if (!(in[0] & 1) && memcmp(in, t->mac, 6))
			return;
		et = get16(in + 12);
		in += 14;
		ilen -= 14;
		if (et == ETH_P_IP)
			rx4(in, ilen, ti, depth + 1, v);
		else if (et == ETH_P_IPV6)
			rx6(in, ilen, ti, depth + 1, v);
		return;
	}
	if (pt == PT_IP && ilen >= 20)
		rx4(in, ilen, ti, depth + 1, v);
	else if (pt == PT_IPV6 && ilen >= 40)
		rx6(in, ilen, ti, depth + 1, v);
}

/* GRE delivered locally over IPv4: gre_demux, then ip_gre. */
static void gre4(const uint8_t *p, size_t len, int iif, int depth,
		 struct verdict *v)
{
	size_t hl = (size_t)(p[0] & 0xf) * 4, glen = len - hl, hlen;
	const uint8_t *g = p + hl;
	unsigned int flags, pt;
	uint32_t key;
	int ti, k;

	if (glen < 12 || (g[1] & 0x7f))
		return;			/* gre_demux: short, or version != 0 */
	flags = get16(g);
	if (flags & (GRE_VER | GRE_R))
		return;
	hlen = gre_hlen(flags);
	if (glen < hlen)
		return;
	if ((flags & GRE_C) && csum(g, glen))
		return;
	pt = get16(g + 2);
	k = !!(flags & GRE_K);
	key = k ? get32(g + 4 + (flags & GRE_C ? 4 : 0)) : 0;
	ti = -1;
	if (pt == PT_TEB)
		ti = lookup4(K_GRETAP, iif_index(iif), k, get32(p + 12),
			     get32(p + 16), key);
	if (ti < 0) {
		ti = lookup4(K_GRE, iif_index(iif), k, get32(p + 12),
			     get32(p + 16), key);
		if (ti >= 0 && pt == PT_TEB)
			return;		/* raw Ethernet into a gre device */
	}
	if (ti < 0 || !!(flags & GRE_C) != tun[ti].csum)
		return;
	deliver_inner(ti, pt, g + hlen, glen - hlen, depth, v);
}

static void gre6(const uint8_t *p, size_t len, int depth, struct verdict *v)
{
	size_t glen = len - 40, hlen;
	const uint8_t *g = p + 40;
	unsigned int flags, pt;
	uint32_t key;
	int ti;

	if (glen < 4)
		return;
	flags = get16(g);
	if (flags & (GRE_VER | GRE_R))
		return;
	hlen = gre_hlen(flags);
	if (glen < hlen)
		return;
	if ((flags & GRE_C) && csum(g, glen))
		return;
	pt = get16(g + 2);
	key = flags & GRE_K ? get32(g + 4 + (flags & GRE_C ? 4 : 0)) : 0;
	ti = lookup6(p + 8, p + 24, key);
	if (ti < 0 || !!(flags & GRE_C) != tun[ti].csum || pt == PT_TEB)
		return;
	deliver_inner(ti, pt, g + hlen, glen - hlen, depth, v);
}

static void rx4(const uint8_t *p, size_t len, int iif, int depth,
		struct verdict *v)
{
	static uint8_t whole[MAXDEPTH + 1][MAXFRAME];
	size_t hl, tot;
	unsigned int frag;
	int r;

	if (depth > MAXDEPTH)
		return;
	/* ip_rcv_core() */
	if (len < 20 || p[0] >> 4 != 4 || (p[0] & 0xf) < 5)
		return;
	hl = (size_t)(p[0] & 0xf) * 4;
	tot = get16(p + 2);
	if (len < hl || csum(p, hl) || tot > len || tot < hl)
		return;
	len = tot;
	/* PRE_ROUTING: the reflection hook, for what comes out of a tunnel */
	if (iif >= 0) {
		r = reflect4(p, len, iif);
		if (r == R_REFLECT) {
			expect_reflection(v, iif, p, len, 0);
			return;
		}
		if (r == R_PASS)
			v->pass[iif]++;
	}
	if (!local_in4(get32(p + 12), get32(p + 16), iif))
		return;
	if (hl > 20 && !options_ok(p, hl))
		return;
	frag = get16(p + 6);
	if (frag & 0x3fff) {
		uint8_t key[16];

		memcpy(key, p + 12, 8);
		memcpy(key + 8, p + 4, 2);
		key[10] = p[9];
		len = reasm_add(0, key, 11, p, hl, (frag & 0x1fff) * 8,
				p + hl, len - hl, !!(frag & 0x2000),
				whole[depth]);
		if (!len)
			return;
		p = whole[depth];
	}
	if (p[9] != 47)
		return;
	/* LOCAL_IN: the reply hook */
	if (reply_hook(p, len, iif, v))
		return;
	note_raw(v, 0, p + 12, p, len);
	gre4(p, len, iif, depth, v);
}

static void rx6(const uint8_t *p, size_t len, int iif, int depth,
		struct verdict *v)
{
	static uint8_t whole[MAXDEPTH + 1][MAXFRAME];
	size_t plen, off = 40;
	unsigned int next;
	int r;

	if (depth > MAXDEPTH)
		return;
	/* ipv6_rcv() */
	if (len < 40 || p[0] >> 4 != 6)
		return;
	plen = get16(p + 4);
	if (plen || p[6] == 0) {
		if (40 + plen > len)
			return;
		len = 40 + plen;
	} else {
		len = 40;
	}
	if (p[8] == 0xff || p[24] == 0xff)
		return;		/* the generator sends no multicast */
	{
		static const uint8_t lo[16] = { [15] = 1 };

		if (!memcmp(p + 8, lo, 16) || !memcmp(p + 24, lo, 16))
			return;
	}
	next = p[6];
	if (next == 0) {	/* hop-by-hop: PadN only, from us */
		if (len < 48)
			return;
		next = p[40];
		off = 48;
	}
	if (iif >= 0) {
		r = reflect6(p, len, iif);
		if (r == R_REFLECT) {
			expect_reflection(v, iif, p, len, 1);
			return;
		}
		if (r == R_PASS)
			v->pass[iif]++;
	}
	if (!is_ours6((const struct in6_addr *)(p + 24)))
		return;
	if (next == 44) {
		unsigned int fo;
		uint8_t key[40];

		if (off != 40 || len < 48)
			return;
		fo = get16(p + 42);
		if (!(fo & 0xfff9))
			return;		/* atomic: the generator sends none */
		if ((fo & 1) && ((len - 48) & 7))
			return;
		memcpy(key, p + 8, 32);
		memcpy(key + 32, p + 44, 4);
		{
			uint8_t hdr[40];

			memcpy(hdr, p, 40);
			hdr[6] = p[40];
			len = reasm_add(1, key, 36, hdr, 40, fo & 0xfff8,
					p + 48, len - 48, fo & 1,
					whole[depth]);
		}
		if (!len)
			return;
		p = whole[depth];
		next = p[6];
		off = 40;
	}
	if (next != 47)
		return;
	note_raw(v, 1, p + 8, p + off, len - off);
	if (off == 40)
		gre6(p, len, depth, v);
}

/* The oracle's verdict on a whole case. */
static void judge(const struct ccase *c, struct verdict *v)
{
	int i;

	memset(v, 0, offsetof(struct verdict, refl));
	v->nrefl = 0;
	v->nraw = 0;
	memset(rq, 0, sizeof(rq));
	for (i = 0; i < c->nframes; i++) {
		if (c->f[i].ethertype == ETH_P_IP)
			rx4(c->f[i].b, c->f[i].len, -1, 0, v);
		else
			rx6(c->f[i].b, c->f[i].len, -1, 0, v);
	}
}

/* ------------------------------------------------------------------ */
/* What A sends: reflections, its own probes, ICMP errors             */

/* Tunnel t's encapsulation as A sends it: the payload, or NULL. */
static const uint8_t *peel(const struct tun *t, const uint8_t *p, size_t len,
			   size_t *ilen, unsigned int *pt)
{
	unsigned int want = (t->csum ? GRE_C : 0) | (t->keyed ? GRE_K : 0);
	size_t hl, glen, hlen = gre_hlen(want);
	const uint8_t *g;

	if (t->kind == K_IP6GRE) {
		if (len < 44 || p[0] >> 4 != 6 || p[6] != 47 ||
		    memcmp(p + 8, &t->local6, 16) ||
		    memcmp(p + 24, &t->remote6, 16))
			return NULL;
		hl = 40;
		glen = len - 40;
	} else {
		if (len < 24 || p[0] >> 4 != 4 || p[9] != 47)
			return NULL;
		hl = (size_t)(p[0] & 0xf) * 4;
		if (get32(p + 16) != t->remote ||
		    (t->local ? get32(p + 12) != t->local :
				!is_ours4(get32(p + 12))))
			return NULL;
		glen = len - hl;
	}
	g = p + hl;
	/*
	 * Not the GRE checksum: A leaves it to be completed (CHECKSUM_PARTIAL),
	 * and the capture across the veth sees it unfinished.
	 */
	if (glen < hlen || get16(g) != want ||
	    (t->keyed && get32(g + hlen - 4) != t->key))
		return NULL;
	*pt = get16(g + 2);
	*ilen = glen - hlen;
	if (*pt == PT_IP && *ilen >= 20 && g[hlen] >> 4 == 4)
		return g + hlen;
	if (*pt == PT_IPV6 && *ilen >= 40 && g[hlen] >> 4 == 6)
		return g + hlen;
	if (*pt == PT_TEB && *ilen >= 34)
		return g + hlen;
	return NULL;
}

/* Peel any of A's encapsulations, outermost first. */
static const uint8_t *peel_any(const uint8_t *p, size_t len, size_t *ilen,
			       int *layers)
{
	const uint8_t *in;
	unsigned int pt;
	size_t n;
	int i, again = 1;

	*layers = 0;
	*ilen = len;
	while (again && *layers < MAXDEPTH) {
		again = 0;
		for (i = 0; i < ntun; i++) {
			in = peel(&tun[i], p, *ilen, &n, &pt);
			if (!in)
				continue;
			if (pt == PT_TEB) {
				in += 14;
				n -= 14;
			}
			p = in;
			*ilen = n;
			(*layers)++;
			again = 1;
			break;
		}
	}
	return p;
}

/* Is this tunnel t's own keepalive probe (the innermost packet)? */
static int own_probe(const struct tun *t, const uint8_t *p, size_t len)
{
	unsigned int want = (t->csum ? GRE_C : 0) | (t->keyed ? GRE_K : 0);
	size_t hl;

	if (!t->ka || len < 24 || p[0] >> 4 != 4 || p[9] != 47)
		return 0;
	hl = (size_t)(p[0] & 0xf) * 4;
	if (get32(p + 12) != t->remote ||
	    (t->local ? get32(p + 16) != t->local : !is_ours4(get32(p + 16))))
		return 0;
	if (len - hl != gre_hlen(want) || get16(p + hl) != want ||
	    get16(p + hl + 2) != 0 ||
	    (t->keyed && get32(p + len - 4) != t->key) ||
	    (t->csum && csum(p + hl, len - hl)))
		return 0;
	return 1;
}

static int own_probe_any(const uint8_t *p, size_t len, int layers)
{
	int i, depth;
	const struct tun *t;

	for (i = 0; i < ntun; i++) {
		if (!own_probe(&tun[i], p, len))
			continue;
		for (depth = 1, t = &tun[i]; t->over >= 0; t = &tun[t->over])
			depth++;
		if (depth == layers)
			return 1;
	}
	return 0;
}

/* Expected reflections, by content: a small hash table. */
struct want {
	struct want *next;
	unsigned long idx;
	int t, left;
	uint16_t len;
	uint8_t b[];
};

#define WANT_BUCKETS 65536
static struct want **wanted;
static unsigned long wanted_left;

static uint32_t hash_bytes(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Compare without the IPv4 header checksum (checked on its own). */
static void norm_refl(uint8_t *b, size_t len)
{
	if (len >= 20 && b[0] >> 4 == 4)
		put16(b + 10, 0);
}

static void want_add(unsigned long idx, const struct refl *r)
{
	struct want *w, **head;
	uint8_t b[MAXFRAME];

	memcpy(b, r->b, r->len);
	norm_refl(b, r->len);
	head = &wanted[hash_bytes(b, r->len) % WANT_BUCKETS];
	for (w = *head; w; w = w->next)
		if (w->t == r->t && w->len == r->len &&
		    !memcmp(w->b, b, r->len)) {
			w->left++;
			wanted_left++;
			return;
		}
	w = xcalloc(1, sizeof(*w) + r->len);
	w->idx = idx;
	w->t = r->t;
	w->left = 1;
	w->len = r->len;
	memcpy(w->b, b, r->len);
	w->next = *head;
	*head = w;
	wanted_left++;
}

/* Found and taken: the reflection's tunnel, or -1. */
static int want_take(const uint8_t *p, size_t len, int *t)
{
	uint8_t b[MAXFRAME];
	struct want *w;

	if (len > MAXFRAME)
		return 0;
	memcpy(b, p, len);
	norm_refl(b, len);
	for (w = wanted[hash_bytes(b, len) % WANT_BUCKETS]; w; w = w->next)
		if (w->left && w->len == len && !memcmp(w->b, b, len)) {
			w->left--;
			wanted_left--;
			*t = w->t;
			return 1;
		}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The run                                                            */

enum mode { M_ALL, M_REST };

static struct {
	enum mode mode;
	uint64_t seed;
	unsigned long count;
	long one_case;
	const char *netns_a, *netns_w, *sys_a, *adev, *wdev, *obs;
	uint8_t amac[6];
} opt = { .one_case = -1 };

static int fd_tx, fd_cap, fd_raw4, fd_raw6;
static int fd_snmp, fd_netstat, fd_snmp6, fd_dev, fd_sockstat, fd_sockstat6;
static int fd_raw4_proc, fd_raw6_proc;
static int w_ifindex;
static FILE *obs;

static unsigned long n_violations, n_own_probes, n_frames,
		     n_cases, n_skipped, n_markers, n_refl_seen;
static unsigned long n_shape[SH_MAX], n_frag, n_orphan, n_mutated;
static unsigned long n_credited, n_reflected, n_passed, n_untouched;
static unsigned long last_case;

static void report(const char *fmt, ...)
{
	va_list ap;

	n_violations++;
	if (n_violations > 30)
		return;
	printf("violation ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void hexline(FILE *f, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	char buf[2 * MAXFRAME + 1];
	size_t i;

	if (n > MAXFRAME)
		n = MAXFRAME;
	for (i = 0; i < n; i++) {
		buf[2 * i] = hx[p[i] >> 4];
		buf[2 * i + 1] = hx[p[i] & 15];
	}
	fwrite(buf, 1, 2 * n, f);
}

static int started;

static void obs_add(const char *kind, const uint8_t *p, size_t n,
		    const char *extra)
{
	if (obs && started) {
		fprintf(obs, "%s ", kind);
		if (extra)
			fprintf(obs, "%s", extra);
		hexline(obs, p, n);
		fprintf(obs, "\tcase %lu\n", last_case);
	}
}

/* Oracle mode: what the model says reaches the raw sockets, and what did. */
static char **pred_raw, **seen_raw;
static size_t n_pred_raw, n_seen_raw, cap_pred_raw, cap_seen_raw;

/*
 * What the cases the module takes deliver to the raw sockets (the outer
 * packet of a reflected probe, for one) is not in a run without them:
 * kept out of the observations, by content.
 */
struct taken {
	struct taken *next;
	int left;
	char key[];
};

#define TAKEN_BUCKETS 4096
static struct taken *taken_raw[TAKEN_BUCKETS];

static void taken_add(const char *key)
{
	uint32_t h = hash_bytes((const uint8_t *)key, strlen(key));
	struct taken *t;

	for (t = taken_raw[h % TAKEN_BUCKETS]; t; t = t->next)
		if (!strcmp(t->key, key)) {
			t->left++;
			return;
		}
	t = xcalloc(1, sizeof(*t) + strlen(key) + 1);
	strcpy(t->key, key);
	t->left = 1;
	t->next = taken_raw[h % TAKEN_BUCKETS];
	taken_raw[h % TAKEN_BUCKETS] = t;
}

static int taken_take(const char *key)
{
	uint32_t h = hash_bytes((const uint8_t *)key, strlen(key));
	struct taken *t;

	for (t = taken_raw[h % TAKEN_BUCKETS]; t; t = t->next)
		if (t->left && !strcmp(t->key, key)) {
			t->left--;
			return 1;
		}
	return 0;
}

static char *raw_key(int v6, const uint8_t *src, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	char *s = xcalloc(1, 2 * (n + 16) + 8), *q = s;
	uint8_t b[MAXFRAME];
	size_t i;

	if (n > MAXFRAME)
		n = MAXFRAME;
	memcpy(b, p, n);
	if (!v6 && n >= 20) {	/* reassembled: checksum, fragment field */
		put16(b + 6, 0);
		put16(b + 10, 0);
	}
	*q++ = v6 ? '6' : '4';
	for (i = 0; v6 && i < 16; i++) {
		*q++ = hx[src[i] >> 4];
		*q++ = hx[src[i] & 15];
	}
	*q++ = ' ';
	for (i = 0; i < n; i++) {
		*q++ = hx[b[i] >> 4];
		*q++ = hx[b[i] & 15];
	}
	return s;
}

static void push(char ***arr, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		*arr = xrealloc(*arr, *cap * sizeof(char *));
	}
	(*arr)[(*n)++] = s;
}

/* Zero what A chooses freely: IPv4 id and checksums, flow labels. */
static void normalise(uint8_t *p, size_t len, int depth)
{
	size_t hl, glen;
	uint8_t *g;
	unsigned int flags, pt;

	if (depth > MAXDEPTH)
		return;
	if (len >= 20 && p[0] >> 4 == 4) {
		hl = (size_t)(p[0] & 0xf) * 4;
		put16(p + 4, 0);
		put16(p + 10, 0);
		if (p[9] != 47 || len < hl + 4)
			return;
		g = p + hl;
		glen = len - hl;
	} else if (len >= 40 && p[0] >> 4 == 6) {
		p[1] &= 0xf0;
		p[2] = 0;
		p[3] = 0;
		if (p[6] != 47 || len < 44)
			return;
		g = p + 40;
		glen = len - 40;
	} else {
		return;
	}
	flags = get16(g);
	pt = get16(g + 2);
	if (flags & ~(GRE_C | GRE_K | GRE_S) || glen < gre_hlen(flags))
		return;
	if (flags & GRE_C)
		put16(g + 4, 0);
	if (pt == PT_IP || pt == PT_IPV6)
		normalise(g + gre_hlen(flags), glen - gre_hlen(flags),
			  depth + 1);
}

/* One frame A sent on its underlay. */
static int marker_seen(const uint8_t *p, size_t n, unsigned int *seq)
{
	size_t hl;

	if (n < 28 || p[0] >> 4 != 4 || p[9] != 1)
		return 0;
	hl = (size_t)(p[0] & 0xf) * 4;
	if (n < hl + 8 || p[hl] != 0 || get16(p + hl + 4) != 0x474b)
		return 0;
	*seq = get16(p + hl + 6);
	return 1;
}

static unsigned int last_marker_seen;

static unsigned long n_captured, n_cap_other;

static void captured(const uint8_t *p, size_t n)
{
	const uint8_t *in;
	size_t ilen;
	int layers, t;
	unsigned int seq;
	uint8_t b[MAXFRAME];

	if (n > MAXFRAME)
		n = MAXFRAME;
	if (marker_seen(p, n, &seq)) {
		last_marker_seen = seq;
		return;
	}
	n_captured++;
	in = peel_any(p, n, &ilen, &layers);
	if (own_probe_any(in, ilen, layers)) {
		n_own_probes++;
		return;
	}
	/*
	 * A reflection leaves on the route to the tunnel's peer: directly,
	 * or through the tunnel that route leads into (GRE in GRE).
	 */
	for (t = -1; opt.mode == M_ALL && t < ntun; t++) {
		const uint8_t *q = p;
		size_t qn = n;
		unsigned int pt;
		int rt, j, seen = 0;

		if (t >= 0) {
			for (j = 0; j < ntun; j++)
				if (tun[j].over == t)
					seen = 1;
			if (!seen)
				continue;
			q = peel(&tun[t], p, n, &qn, &pt);
			if (!q)
				continue;
		}
		if (qn < 20 || !want_take(q, qn, &rt))
			continue;
		if (tun[rt].over != t)
			report("reflection for %s left through %s",
			       tun[rt].name,
			       t < 0 ? "the underlay" : tun[t].name);
		if (q[0] >> 4 == 4 && csum(q, (size_t)(q[0] & 0xf) * 4))
			report("reflection for %s: bad IPv4 header checksum",
			       tun[rt].name);
		n_refl_seen++;
		return;
	}
	/* The rest is the stack's doing, to be compared with a run without us. */
	n_cap_other++;
	memcpy(b, p, n);
	normalise(b, n, 0);
	obs_add("cap", b, n, NULL);
	if (forwarding)
		return;
	/* A router that does not forward sends no GRE but ours. */
	if ((ilen >= 20 && in[0] >> 4 == 4 && in[9] == 47) ||
	    (ilen >= 40 && in[0] >> 4 == 6 && in[6] == 47)) {
		char hex[2 * 96 + 1];
		size_t i;

		for (i = 0; i < n && i < 96; i++)
			sprintf(hex + 2 * i, "%02x", p[i]);
		report("A sent GRE, not a reflection nor a probe of its own (after case %lu): %s",
		       last_case, hex);
	}
}

static void drain(void)
{
	static uint8_t buf[65536];
	char *key;
	struct sockaddr_ll sll;
	struct sockaddr_in6 s6;
	socklen_t alen;
	ssize_t n;

	for (;;) {
		alen = sizeof(sll);
		n = recvfrom(fd_cap, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &alen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			die("recvfrom (capture)");
		}
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (sll.sll_protocol != htons(ETH_P_IP) &&
		    sll.sll_protocol != htons(ETH_P_IPV6))
			continue;
		captured(buf, (size_t)n);
	}
	for (;;) {
		n = recv(fd_raw4, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			die("recv (raw4)");
		}
		key = raw_key(0, NULL, buf, (size_t)n);
		if (!taken_take(key))
			obs_add("raw4", buf, (size_t)n, NULL);
		if (opt.mode == M_ALL)
			push(&seen_raw, &n_seen_raw, &cap_seen_raw, key);
		else
			free(key);
	}
	for (;;) {
		alen = sizeof(s6);
		n = recvfrom(fd_raw6, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&s6, &alen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			die("recv (raw6)");
		}
		key = raw_key(1, s6.sin6_addr.s6_addr, buf, (size_t)n);
		if (!taken_take(key)) {
			char src[48];

			inet_ntop(AF_INET6, &s6.sin6_addr, src, sizeof(src));
			strcat(src, " ");
			obs_add("raw6", buf, (size_t)n, src);
		}
		if (opt.mode == M_ALL)
			push(&seen_raw, &n_seen_raw, &cap_seen_raw, key);
		else
			free(key);
	}
}

static void send_frame(const struct frame *f)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = w_ifindex,
		.sll_protocol = htons(f->ethertype),
		.sll_halen = 6,
	};

	memcpy(sll.sll_addr, opt.amac, 6);
	while (sendto(fd_tx, f->b, f->len, 0, (struct sockaddr *)&sll,
		      sizeof(sll)) != f->len) {
		if (errno != ENOBUFS && errno != EAGAIN)
			die("sendto");
		drain();
	}
}

/* Wait until A has been silent for a while (it settles after setup). */
static void quiet(void)
{
	long long deadline = now_ms() + 10000, since = now_ms();
	unsigned long seen;

	while (now_ms() < deadline && now_ms() - since < 1500) {
		seen = n_captured;
		usleep(100000);
		drain();
		if (n_captured != seen)
			since = now_ms();
	}
	if (n_captured)
		printf("before-start %lu\n", n_captured);
	n_captured = 0;
	n_cap_other = 0;
	n_own_probes = 0;
}

/*
 * Everything sent before has been dealt with once A's answer to an echo
 * request sent after it is back: one CPU, one backlog, in order.
 */
static void sync_marker(void)
{
	struct frame f = { .ethertype = ETH_P_IP };
	struct ip4 h = { .src = peers4[0], .dst = ours4[0], .ttl = 64,
			 .proto = 1, .id = 0x474b };
	uint8_t icmp[16] = { 8, 0, 0, 0, 0x47, 0x4b };
	unsigned int seq = (unsigned int)(++n_markers & 0xffff);
	long long deadline = now_ms() + 20000;
	struct pollfd pfd = { .fd = fd_cap, .events = POLLIN };

	put16(icmp + 6, seq);
	memcpy(icmp + 8, "gka-fuzz", 8);
	put16(icmp + 2, csum(icmp, sizeof(icmp)));
	f.len = (uint16_t)ip4_put(f.b, &h, icmp, sizeof(icmp));
	send_frame(&f);
	while (last_marker_seen != seq) {
		if (now_ms() > deadline) {
			fprintf(stderr, "%s: A did not answer marker %u\n",
				prog, seq);
			exit(3);
		}
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			die("poll");
		drain();
	}
	drain();
}

/* ---- counters ---- */

static size_t read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		die("lseek");
	while (got + 1 < size) {
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0)
			die("read");
		if (!n)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	return got;
}

/*
 * Counters that the replies and probes the module takes move too (they
 * are received, delivered, reflected): not compared between a run with
 * all cases and one without those. Errors, drops, ICMP, forwarding,
 * failed reassembly: compared.
 */
static int is_volume(const char *name)
{
	static const char *const vol[] = {
		"InReceives", "InDelivers", "OutRequests", "Octets", "ECT",
		"CEPkts", "BcastPkts", "McastPkts", "ReasmReqds", "ReasmOKs",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vol); i++)
		if (strstr(name, vol[i]))
			return 1;
	return 0;
}

#define MAXAGG 4096
struct agg {
	char name[80];
	long long v;
	int tx;
};

static struct agg agg0[MAXAGG], agg1[MAXAGG];
static int nagg0, nagg1;

static void agg_put(struct agg *a, int *n, const char *name, long long v,
		    int tx)
{
	if (*n >= MAXAGG)
		return;
	snprintf(a[*n].name, sizeof(a[*n].name), "%s", name);
	a[*n].v = v;
	a[*n].tx = tx;
	(*n)++;
}

/* "Ip: Forwarding DefaultTTL ..." then "Ip: 1 64 ...". */
static void agg_pairs(int fd, struct agg *a, int *n)
{
	static char buf[65536];
	char *lines[256], *save = NULL, *l;
	int nl = 0, i;

	read_all(fd, buf, sizeof(buf));
	for (l = strtok_r(buf, "\n", &save); l && nl < 256;
	     l = strtok_r(NULL, "\n", &save))
		lines[nl++] = l;
	for (i = 0; i + 1 < nl; i += 2) {
		char *s1 = NULL, *s2 = NULL, *k, *v, *pfx;
		char name[80];

		pfx = strtok_r(lines[i], " ", &s1);
		strtok_r(lines[i + 1], " ", &s2);
		while ((k = strtok_r(NULL, " ", &s1)) &&
		       (v = strtok_r(NULL, " ", &s2))) {
			snprintf(name, sizeof(name), "%s%s", pfx, k);
			agg_put(a, n, name, strtoll(v, NULL, 10),
				is_volume(name));
		}
	}
}

/* "Ip6InReceives 5" */
static void agg_lines(int fd, struct agg *a, int *n)
{
	static char buf[65536];
	char *save = NULL, *l, name[80];
	long long v;

	read_all(fd, buf, sizeof(buf));
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (sscanf(l, "%60s %lld", name, &v) == 2)
			agg_put(a, n, name, v, is_volume(name));
}

/* /proc/net/dev: 8 receive and 8 transmit columns per device. */
static void agg_dev(int fd, struct agg *a, int *n)
{
	static char buf[65536];
	char *save = NULL, *l, *colon, name[80];
	long long v[16];
	int i;

	read_all(fd, buf, sizeof(buf));
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		colon = strchr(l, ':');
		if (!colon)
			continue;
		*colon = 0;
		while (*l == ' ')
			l++;
		if (sscanf(colon + 1,
			   "%lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13],
			   &v[14], &v[15]) != 16)
			continue;
		for (i = 0; i < 16; i++) {
			snprintf(name, sizeof(name), "dev:%s:%d", l, i);
			/* packets and bytes, received and sent */
			agg_put(a, n, name, v[i],
				i == 0 || i == 1 || i == 8 || i == 9);
		}
	}
}

static void agg_read(struct agg *a, int *n)
{
	*n = 0;
	agg_pairs(fd_snmp, a, n);
	agg_pairs(fd_netstat, a, n);
	agg_lines(fd_snmp6, a, n);
	agg_dev(fd_dev, a, n);
}

/* Fragments A still holds (they expire after ipfrag_time). */
static long frags_held(void)
{
	char buf[4096], *p;
	long total = 0;

	read_all(fd_sockstat, buf, sizeof(buf));
	p = strstr(buf, "FRAG: inuse ");
	if (p)
		total += strtol(p + 12, NULL, 10);
	read_all(fd_sockstat6, buf, sizeof(buf));
	p = strstr(buf, "FRAG6: inuse ");
	if (p)
		total += strtol(p + 13, NULL, 10);
	return total;
}

/* Drops on A's raw sockets: the last column of /proc/net/raw{,6}. */
static long long raw_drops(void)
{
	static char buf[16384];
	char *save = NULL, *l, *last;
	long long total = 0;
	int fds[2] = { fd_raw4_proc, fd_raw6_proc }, i;

	for (i = 0; i < 2; i++) {
		read_all(fds[i], buf, sizeof(buf));
		for (l = strtok_r(buf, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			last = strrchr(l, ' ');
			if (last && strchr(l, ':'))
				total += strtoll(last + 1, NULL, 10);
		}
	}
	return total;
}

/* Packets the kernel dropped for want of backlog (softnet_stat column 2). */
static long long backlog_drops(void)
{
	char buf[8192], *save = NULL, *l;
	long long total = 0;
	unsigned int a, b;
	FILE *f = fopen("/proc/net/softnet_stat", "r");

	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f)) {
		l = strtok_r(buf, "\n", &save);
		if (l && sscanf(l, "%x %x", &a, &b) == 2)
			total += b;
	}
	fclose(f);
	return total;
}

static void read_counters(int which)
{
	char path[512], line[64];
	int i, c;

	for (i = 0; i < ntun; i++) {
		tun[i].have_counters = 1;
		for (c = 0; c < 3; c++) {
			snprintf(path, sizeof(path),
				 "%.256s/class/net/%.16s/keepalive/%s", opt.sys_a,
				 tun[i].name, counter_name[c]);
			if (!read_line(path, line, sizeof(line))) {
				tun[i].have_counters = 0;
				continue;
			}
			if (which)
				tun[i].got[c] = strtoull(line, NULL, 10);
			else
				tun[i].base[c] = strtoull(line, NULL, 10);
		}
	}
}

static void read_topology(void)
{
	char path[512], line[64];
	int i;

	snprintf(path, sizeof(path), "%.256s/class/net/%.16s/ifindex", opt.sys_a,
		 opt.adev);
	if (!read_line(path, line, sizeof(line)))
		usage_error("no %s", path);
	adev_ifindex = atoi(line);
	snprintf(path, sizeof(path), "%.256s/class/net/%.16s/address", opt.sys_a,
		 opt.adev);
	if (!read_line(path, line, sizeof(line)))
		usage_error("no %s", path);
	parse_mac(line, opt.amac);
	for (i = 0; i < ntun; i++) {
		snprintf(path, sizeof(path), "%.256s/class/net/%.16s/ifindex",
			 opt.sys_a, tun[i].name);
		if (!read_line(path, line, sizeof(line)))
			usage_error("no tunnel %s in A", tun[i].name);
		tun[i].ifindex = atoi(line);
		if (tun[i].kind == K_GRETAP) {
			snprintf(path, sizeof(path), "%.256s/class/net/%.16s/address",
				 opt.sys_a, tun[i].name);
			if (read_line(path, line, sizeof(line)))
				parse_mac(line, tun[i].mac);
		}
		if (tun[i].linkname[0]) {
			snprintf(path, sizeof(path), "%.256s/class/net/%.16s/ifindex",
				 opt.sys_a, tun[i].linkname);
			if (!read_line(path, line, sizeof(line)))
				usage_error("no device %s in A",
					    tun[i].linkname);
			tun[i].link = atoi(line);
		}
	}
}

/* Without A (show, dry): made-up interface numbers, underlay first. */
static void fake_topology(void)
{
	int i;

	adev_ifindex = 2;
	for (i = 0; i < ntun; i++) {
		tun[i].ifindex = 10 + i;
		if (tun[i].linkname[0])
			tun[i].link = 2;
		tun[i].mac[0] = 0x02;
		tun[i].mac[5] = (uint8_t)i;
	}
}

static int open_ro(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

static void enter(const char *ns)
{
	int fd = open_ro(ns);

	if (setns(fd, CLONE_NEWNET))
		die("setns");
	close(fd);
}

static void open_everything(void)
{
	int big = 64 << 20, one = 1;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };

	/* In A: raw GRE sockets and A's counters (bound to A when opened). */
	enter(opt.netns_a);
	fd_raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	fd_raw6 = socket(AF_INET6, SOCK_RAW, IPPROTO_GRE);
	if (fd_raw4 < 0 || fd_raw6 < 0)
		die("raw socket in A");
	setsockopt(fd_raw4, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(fd_raw6, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	fd_snmp = open_ro("/proc/self/net/snmp");
	fd_netstat = open_ro("/proc/self/net/netstat");
	fd_snmp6 = open_ro("/proc/self/net/snmp6");
	fd_dev = open_ro("/proc/self/net/dev");
	fd_sockstat = open_ro("/proc/self/net/sockstat");
	fd_sockstat6 = open_ro("/proc/self/net/sockstat6");
	fd_raw4_proc = open_ro("/proc/self/net/raw");
	fd_raw6_proc = open_ro("/proc/self/net/raw6");

	/* On the WAN: send and capture on the device facing A. */
	enter(opt.netns_w);
	w_ifindex = (int)if_nametoindex(opt.wdev);
	if (!w_ifindex)
		usage_error("no device %s in the WAN namespace", opt.wdev);
	fd_tx = socket(AF_PACKET, SOCK_DGRAM, 0);
	fd_cap = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd_tx < 0 || fd_cap < 0)
		die("packet socket");
	setsockopt(fd_cap, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(fd_tx, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
#ifdef PACKET_IGNORE_OUTGOING
	setsockopt(fd_cap, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		   sizeof(one));
#endif
	(void)one;
	sll.sll_ifindex = w_ifindex;
	sll.sll_protocol = htons(ETH_P_ALL);
	if (bind(fd_cap, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind (capture)");
}

/* Lines compare up to a tab: what follows is a note (the case). */
static int cmp_key(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (!*a || *a == '\t')
			return 0;
	if ((!*a || *a == '\t') && (!*b || *b == '\t'))
		return 0;
	return (*a == '\t' ? 0 : (unsigned char)*a) -
	       (*b == '\t' ? 0 : (unsigned char)*b);
}

static int cmp_str(const void *a, const void *b)
{
	return cmp_key(*(char *const *)a, *(char *const *)b);
}

/* Multiset difference of two sorted arrays; prints the first few lines. */
static unsigned long show_diffs = 10;

static unsigned long multiset_diff(char **a, size_t na, char **b, size_t nb,
				   const char *what_a, const char *what_b)
{
	size_t i = 0, j = 0;
	unsigned long diff = 0;
	int c;

	qsort(a, na, sizeof(char *), cmp_str);
	qsort(b, nb, sizeof(char *), cmp_str);
	while (i < na || j < nb) {
		c = i == na ? 1 : j == nb ? -1 : cmp_key(a[i], b[j]);
		if (!c) {
			i++;
			j++;
			continue;
		}
		if (++diff <= show_diffs)
			printf("  %s only: %.300s\n", c < 0 ? what_a : what_b,
			       c < 0 ? a[i] : b[j]);
		if (c < 0)
			i++;
		else
			j++;
	}
	return diff;
}

static void print_case(const struct ccase *c, const struct verdict *v)
{
	int i;

	printf("case %lu shape %s%s%s%s\n", c->idx, shape_name[c->shape],
	       c->mutated ? " mutated" : "", c->fragmented ? " fragmented" : "",
	       c->orphan ? " orphan" : "");
	for (i = 0; i < c->nframes; i++) {
		printf("  frame %s ", c->f[i].ethertype == ETH_P_IP ? "ipv4" : "ipv6");
		hexline(stdout, c->f[i].b, c->f[i].len);
		printf("\n");
	}
	for (i = 0; i < ntun; i++) {
		if (v->credit[i])
			printf("  oracle: reply credited to %s\n", tun[i].name);
		if (v->reflect[i])
			printf("  oracle: reflected by %s\n", tun[i].name);
		if (v->pass[i])
			printf("  oracle: passed on by %s (%d)\n", tun[i].name,
			       v->pass[i]);
	}
	for (i = 0; i < v->nrefl; i++) {
		printf("  expected reflection: ");
		hexline(stdout, v->refl[i].b, v->refl[i].len);
		printf("\n");
	}
	if (!v->consumed)
		printf("  oracle: not the module's to take\n");
}

static int fuzz(int show)
{
	static struct ccase c;
	static struct verdict v;
	unsigned long i, first = 0, last = opt.count;
	long long t0, t1, bd0, bd1, rd;
	struct tpacket_stats ps;
	socklen_t pslen = sizeof(ps);
	int fail = 0, k;

	if (opt.one_case >= 0) {
		first = (unsigned long)opt.one_case;
		last = first + 1;
	}
	if (show == 1) {
		for (i = first; i < last; i++) {
			gen_case(opt.seed, i, &c);
			judge(&c, &v);
			print_case(&c, &v);
		}
		return 0;
	}
	wanted = xcalloc(WANT_BUCKETS, sizeof(*wanted));
	if (!dry)
		open_everything();
	if (opt.obs && !dry) {
		obs = fopen(opt.obs, "w");
		if (!obs)
			die(opt.obs);
		setvbuf(obs, NULL, _IOFBF, 1 << 20);
	}
	printf("seed %llu\ncount %lu\nmode %s\n", (unsigned long long)opt.seed,
	       opt.count, opt.mode == M_ALL ? "all" : "rest");
	fflush(stdout);

	memset(&ps, 0, sizeof(ps));
	bd0 = 0;
	bd1 = 0;
	rd = 0;
	if (!dry) {
		quiet();
		started = 1;
		sync_marker();
		read_counters(0);
		agg_read(agg0, &nagg0);
		bd0 = backlog_drops();
		getsockopt(fd_cap, SOL_PACKET, PACKET_STATISTICS, &ps, &pslen);
	}
	t0 = now_ms();
	for (i = first; i < last; i++) {
		gen_case(opt.seed, i, &c);
		judge(&c, &v);
		last_case = i;
		/* At the same cases in both modes: A answers as many. */
		if (!dry && i != first && (i - first) % 128 == 0)
			sync_marker();
		if (opt.mode == M_REST && v.consumed) {
			n_skipped++;
			continue;
		}
		n_cases++;
		n_shape[c.shape]++;
		n_frag += (unsigned long)c.fragmented;
		n_orphan += (unsigned long)c.orphan;
		n_mutated += (unsigned long)c.mutated;
		for (k = 0; k < ntun; k++) {
			tun[k].pred[C_REPLIES] += (unsigned long long)v.credit[k];
			tun[k].pred[C_REFLECTED] += (unsigned long long)v.reflect[k];
			tun[k].pred[C_PASSED] += (unsigned long long)v.pass[k];
		}
		{
			int cr = 0, rf = 0, ps_ = 0;

			for (k = 0; k < ntun; k++) {
				cr += v.credit[k];
				rf += v.reflect[k];
				ps_ += v.pass[k];
			}
			if (cr)
				n_credited++;
			if (rf)
				n_reflected++;
			if (ps_ && !cr && !rf)
				n_passed++;
			if (!cr && !rf && !ps_)
				n_untouched++;
		}
		if (opt.mode == M_ALL) {
			for (k = 0; k < v.nrefl; k++)
				want_add(i, &v.refl[k]);
			for (k = 0; k < v.nraw; k++) {
				char *key = raw_key(v.raw[k].v6, v.raw[k].src,
						    v.raw[k].b, v.raw[k].len);

				if (v.consumed)
					taken_add(key);
				push(&pred_raw, &n_pred_raw, &cap_pred_raw,
				     key);
			}
		}
		n_frames += (unsigned long)c.nframes;
		if (dry)
			continue;
		for (k = 0; k < c.nframes; k++)
			send_frame(&c.f[k]);
		if (n_cases % 16 == 0)
			drain();
	}
	if (dry)
		goto report;
	sync_marker();
	/* Let what A holds of the fragments expire (ipfrag_time). */
	{
		long long deadline = now_ms() + 60000;

		while (frags_held() > 0 && now_ms() < deadline) {
			usleep(200000);
			drain();
		}
		if (frags_held() > 0)
			report("A still holds fragments after 60 s");
	}
	sync_marker();
	bd1 = backlog_drops();
	agg_read(agg1, &nagg1);
	read_counters(1);
	rd = raw_drops();
	pslen = sizeof(ps);
	getsockopt(fd_cap, SOL_PACKET, PACKET_STATISTICS, &ps, &pslen);
report:
	t1 = now_ms();

	printf("cases %lu\nframes %lu\nskipped %lu\nmarkers %lu\nseconds %.1f\n",
	       n_cases, n_frames, n_skipped, n_markers, (double)(t1 - t0) / 1000);
	for (k = 0; k < SH_MAX; k++)
		printf("class shape:%s %lu\n", shape_name[k], n_shape[k]);
	printf("class mutated %lu\nclass fragmented %lu\nclass orphan-fragments %lu\n",
	       n_mutated, n_frag, n_orphan);
	printf("class outcome:credited-reply %lu\nclass outcome:reflected %lu\n"
	       "class outcome:passed-on-counted %lu\nclass outcome:untouched %lu\n",
	       n_credited, n_reflected, n_passed, n_untouched);
	printf("captured %lu\ncaptured:own-probes %lu\ncaptured:reflections %lu\n"
	       "captured:other %lu\n", n_captured, n_own_probes, n_refl_seen,
	       n_cap_other);
	if (bd1 != bd0)
		report("%lld packets dropped for want of backlog: this proves nothing",
		       bd1 - bd0);
	if (ps.tp_drops)
		report("the capture socket dropped %u packets", ps.tp_drops);
	if (rd)
		report("A's raw sockets dropped %lld packets", rd);

	for (k = 0; k < ntun; k++) {
		int cc;

		if (!tun[k].have_counters)
			continue;
		for (cc = 0; cc < 3; cc++)
			printf("expect %s %s %llu %llu\n", tun[k].name,
			       counter_name[cc], tun[k].pred[cc],
			       tun[k].got[cc] - tun[k].base[cc]);
	}
	if (dry) {
		for (k = 0; k < ntun; k++)
			printf("predict %s %llu %llu %llu\n", tun[k].name,
			       tun[k].pred[0], tun[k].pred[1], tun[k].pred[2]);
		printf("raw-predicted %zu\nreflections-predicted %lu\n",
		       n_pred_raw, wanted_left);
		return 0;
	}
	if (opt.mode == M_ALL) {
		unsigned long b, d;
		struct want *w;

		for (b = 0; b < WANT_BUCKETS; b++)
			for (w = wanted[b]; w; w = w->next)
				if (w->left)
					report("%d reflection(s) for %s missing (first: case %lu)",
					       w->left, tun[w->t].name, w->idx);
		printf("raw-delivered %zu\nraw-predicted %zu\n", n_seen_raw,
		       n_pred_raw);
		d = multiset_diff(pred_raw, n_pred_raw, seen_raw, n_seen_raw,
				  "predicted", "delivered");
		if (d)
			report("%lu GRE packet(s) delivered locally other than predicted",
			       d);
	}
	if (obs) {
		for (k = 0; k < nagg1; k++) {
			int j;

			for (j = 0; j < nagg0; j++)
				if (!strcmp(agg0[j].name, agg1[k].name))
					break;
			fprintf(obs, "agg%s %s %lld\n",
				agg1[k].tx ? "vol" : "", agg1[k].name,
				agg1[k].v - (j < nagg0 ? agg0[j].v : 0));
		}
		if (fclose(obs))
			die(opt.obs);
	}
	printf("violations %lu\n", n_violations);
	for (k = 0; k < ntun; k++)
		if (tun[k].have_counters) {
			int cc;

			for (cc = 0; cc < 3; cc++)
				if (tun[k].pred[cc] !=
				    tun[k].got[cc] - tun[k].base[cc])
					fail = 1;
		}
	if (n_violations)
		fail = 1;
	printf("result %s\n", fail ? "fail" : "ok");
	return fail;
}

/* ---- compare ---- */

static size_t load_lines(const char *path, char ***out)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0, acap = 0;

	if (!f)
		die(path);
	*out = NULL;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "aggvol ", 7))
			push(out, &n, &acap, strdup(line));
	}
	free(line);
	fclose(f);
	return n;
}

static int compare(const char *a, const char *b)
{
	char **la, **lb;
	unsigned long d;
	size_t na, nb;

	show_diffs = 60;
	na = load_lines(a, &la);
	nb = load_lines(b, &lb);
	printf("lines %zu %zu\n", na, nb);
	d = multiset_diff(la, na, lb, nb, a, b);
	printf("differences %lu\n", d);
	return d ? 1 : 0;
}

int main(int argc, char **argv)
{
	int i, show = 0;

	inet_pton(AF_INET6, "2001:db8:2::77", &foreign6[0]);
	inet_pton(AF_INET6, "2001:db8:3::9", &foreign6[1]);
	inet_pton(AF_INET6, "::", &special6[0]);
	inet_pton(AF_INET6, "::1", &special6[1]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage_error("no command");
	if (!strcmp(argv[1], "compare")) {
		if (argc != 4)
			usage_error("compare FILE1 FILE2");
		return compare(argv[2], argv[3]);
	}
	if (!strcmp(argv[1], "show")) {
		show = 1;

	} else if (!strcmp(argv[1], "dry")) {
		show = 2;
		dry = 1;
	} else if (strcmp(argv[1], "run")) {
		usage_error("unknown command '%s'", argv[1]);
	}
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--forwarding")) {
			forwarding = 1;
			continue;
		}
		if (a[0] != '-' || a[1] != '-') {
			char *spec = strdup(a);

			parse_tunnel(spec);
			continue;
		}
		if (!val)
			usage_error("%s wants a value", a);
		i++;
		if (!strcmp(a, "--mode")) {
			if (!strcmp(val, "all"))
				opt.mode = M_ALL;
			else if (!strcmp(val, "rest"))
				opt.mode = M_REST;
			else
				usage_error("bad mode '%s'", val);
		} else if (!strcmp(a, "--seed")) {
			opt.seed = parse_u64(val, "seed");
		} else if (!strcmp(a, "--count")) {
			opt.count = (unsigned long)parse_u64(val, "count");
		} else if (!strcmp(a, "--case")) {
			opt.one_case = (long)parse_u64(val, "case");
		} else if (!strcmp(a, "--netns-a")) {
			opt.netns_a = val;
		} else if (!strcmp(a, "--netns-w")) {
			opt.netns_w = val;
		} else if (!strcmp(a, "--sys-a")) {
			opt.sys_a = val;
		} else if (!strcmp(a, "--adev")) {
			opt.adev = val;
		} else if (!strcmp(a, "--wdev")) {
			opt.wdev = val;
		} else if (!strcmp(a, "--obs")) {
			opt.obs = val;
		} else if (!strcmp(a, "--ours")) {
			parse_list4(strdup(val), ours4, &nours4);
		} else if (!strcmp(a, "--ours6")) {
			parse_list6(strdup(val), ours6, &nours6);
		} else if (!strcmp(a, "--bcast")) {
			parse_list4(strdup(val), bcast4, &nbcast4);
		} else if (!strcmp(a, "--peers")) {
			parse_list4(strdup(val), peers4, &npeers4);
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	for (i = 0; i < ntun; i++) {
		if (tun[i].kind == K_IP6GRE) {
			int j, dup = 0;

			for (j = 0; j < npeers6; j++)
				if (!memcmp(&peers6[j], &tun[i].remote6, 16))
					dup = 1;
			if (!dup && npeers6 < MAXA)
				peers6[npeers6++] = tun[i].remote6;
		} else if (tun[i].remote && !in_list4(tun[i].remote, peers4,
						      npeers4) &&
			   npeers4 < MAXA) {
			peers4[npeers4++] = tun[i].remote;
		}
	}
	if (!ntun || !nours4 || !nours6 || !npeers4 || !npeers6)
		usage_error("tunnels, --ours and --ours6 are needed");
	if (!dry && !show &&
	    (!opt.netns_a || !opt.netns_w || !opt.sys_a || !opt.adev || !opt.wdev))
		usage_error("--netns-a, --netns-w, --sys-a, --adev, --wdev are needed");
	if (!dry && !show && !opt.obs)
		usage_error("diff needs --obs");
	if (!opt.count && opt.one_case < 0)
		usage_error("--count or --case");
	if (show == 1 || show == 2) {
		if (opt.sys_a && opt.adev)
			read_topology();
		else
			fake_topology();
	} else {
		read_topology();
	}
	return fuzz(show);
}
