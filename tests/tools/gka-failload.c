// SPDX-License-Identifier: GPL-2.0
/*
 * gka-failload: fail each allocation of a module load, or of a device
 * creation, in turn, and check what every failure leaves behind.
 *
 *   gka-failload MODULE.KO MODNAME [--params "k=v ..."] [--from N]
 *                [--max N] [--absent PATH]...
 *	For n = N (--from, default 1), N + 1, ...: finit_module(MODULE.KO,
 *	params) with /proc/thread-self/fail-nth set to n, so that the n-th
 *	fault injection point this task passes in the load fails. Prints
 *	  n=N failed errno=NAME
 *	when the load failed; then /sys/module/MODNAME and every --absent
 *	PATH (a glob(3) pattern) must not exist. When it succeeded:
 *	  n=N loaded (fault point reached: yes|no)
 *	("no": the load passed fewer than n injection points), and the module
 *	is removed again (delete_module, O_NONBLOCK), after which the same
 *	must hold. Each thing found left over prints
 *	  VIOLATION n=N: <what>
 *	It stops after a load that succeeded with its fault point not reached
 *	(every injection point of the load from the N-th on has been failed
 *	once) or after --max loads (default 2000), leaves the module
 *	unloaded, and prints
 *	  failload: N iterations, M failed loads, K violations, complete=yes|no
 *	Exit 0 iff no violations and complete=yes, 1 otherwise, 2 for a usage
 *	error, 3 when it cannot start (the module loaded already, an --absent
 *	PATH there before the first load, no fail-nth). A module that will not
 *	unload (delete_module fails, or stays busy for a second) is a
 *	violation, and a load that fails with no fault injected (its fault
 *	point not reached) ends the run incomplete: the loop stops there.
 *
 *   gka-failload MODULE.KO MODNAME --probe [--params "k=v ..."]
 *	One load with fail-nth set so high that nothing fails; prints
 *	  probe: consumed=C result=ok|errno=NAME
 *	C being the number of injection points the load passed, and unloads
 *	the module if it loaded. With parameters that make the module's init
 *	fail before it allocates anything, C is about the number of points
 *	the kernel's loader passes around the init: a sweep that starts a
 *	little before C fails the module's allocations, not the loader's.
 *
 *   gka-failload --newlink NAME LOCAL REMOTE [--max N] [--keep-untracked]
 *	For n = 1, 2, ...: one RTM_NEWLINK creating the gre device NAME from
 *	LOCAL to REMOTE (IPv4) with fail-nth set to n, on a NETLINK_ROUTE
 *	socket opened before. Prints
 *	  n=N created tracked=yes|no
 *	when the device exists afterwards (tracked: it has its keepalive
 *	directory, /sys/class/net/NAME/keepalive), with " (ack: ERRNO)"
 *	added when the answer was lost, or
 *	  n=N failed errno=NAME
 *	A created device is deleted again (RTM_DELLINK, no fault injected)
 *	and must be gone. It stops after a creation with its fault point not
 *	reached, or a failure with none injected, or after --max attempts
 *	(default 2000), and prints
 *	  newlink: N iterations, C created, U created untracked, F failed,
 *	  complete=yes|no
 *	Exit 0 iff complete=yes and no violation. With --keep-untracked it
 *	stops at the first creation that is not tracked, leaves that device
 *	in place and prints "kept NAME untracked" (exit 0).
 *
 * fail-nth counts only the injection points that are compiled in and
 * let through by their own filters, in this task (not in work items or
 * RCU callbacks the load queues). The kernel needs CONFIG_FAULT_INJECTION,
 * CONFIG_FAILSLAB (and CONFIG_FAIL_PAGE_ALLOC for page allocations) with
 * CONFIG_FAULT_INJECTION_DEBUG_FS, and debugfs configured before running:
 *	/sys/kernel/debug/failslab/ignore-gfp-wait = N (else every
 *	    GFP_KERNEL allocation is skipped, which is most of a load)
 *	/sys/kernel/debug/failslab/verbose = 0 (else each injected failure
 *	    prints a stack trace, which the guest runner counts as a splat)
 *	and likewise fail_page_alloc/ignore-gfp-wait = N, min-order = 0 and
 *	verbose = 0 to fail page allocations too. probability and times need
 *	not be set: fail-nth works without them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PROBE_NTH	0x40000000UL	/* 1 << 30 */
#define ACK_TIMEOUT_S	10

static const char *prog = "gka-failload";

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: %s MODULE.KO MODNAME [--params \"k=v ...\"] [--from N] [--max N]\n"
		"          [--absent PATH]... [--probe]\n"
		"       %s --newlink NAME LOCAL REMOTE [--max N] [--keep-untracked]\n",
		prog, prog);
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(3);
}

static const char *errno_name(int e)
{
	static char buf[16];
	const char *name = strerrorname_np(e);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

static unsigned long parse_count(const char *arg)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || !*arg || *end || !v)
		bad_usage();
	return v;
}

/*
 * With usercopy fault injection, the copy of what we write is itself an
 * injection point while fail-nth is not 0, and fails (EFAULT) when it
 * was the last one: fail-nth is 0 then, and the write is tried again.
 */
static void set_fail_nth(int fd, unsigned long n)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%lu", n);
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (pwrite(fd, buf, (size_t)len, 0) == len)
			return;
		if (errno != EFAULT)
			break;
	}
	die("write /proc/thread-self/fail-nth");
}

/*
 * What is left of fail-nth: 0 once the n-th injection point failed. The
 * copy to userspace is itself a point with usercopy fault injection, and
 * fails (EFAULT) when 1 was left: then it was not reached either.
 */
static unsigned long get_fail_nth(int fd)
{
	char buf[24];
	ssize_t len;

	len = pread(fd, buf, sizeof(buf) - 1, 0);
	if (len < 0 && errno == EFAULT)
		return 1;
	if (len <= 0)
		die("read /proc/thread-self/fail-nth");
	buf[len] = '\0';
	return strtoul(buf, NULL, 10);
}

static int open_fail_nth(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open /proc/thread-self/fail-nth");
	return fd;
}

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static unsigned long violations;

/* The module and every --absent pattern must be gone. */
static void check_gone(unsigned long n, const char *sysdir, char **absent,
		       int nabsent)
{
	glob_t g;
	size_t j;
	int i;

	if (exists(sysdir)) {
		printf("VIOLATION n=%lu: %s exists\n", n, sysdir);
		violations++;
	}
	for (i = 0; i < nabsent; i++) {
		if (glob(absent[i], 0, NULL, &g))
			continue;
		for (j = 0; j < g.gl_pathc; j++) {
			printf("VIOLATION n=%lu: %s exists\n", n, g.gl_pathv[j]);
			violations++;
		}
		globfree(&g);
	}
	fflush(stdout);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Remove the module, waiting a little while it is busy: 0 or an errno. */
static int unload(const char *name)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			break;
		sleep_ms(20);
	}
	return errno;
}

/*
 * One load of ko with fail-nth set to n: 0 or the load's errno; *left is
 * what fail-nth counted down to (0: the n-th point was reached).
 */
static int load(int nth, const char *ko, const char *params, unsigned long n,
		unsigned long *left)
{
	int fd, ret, err;

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(ko);
	/* Nothing but the load between these two. */
	set_fail_nth(nth, n);
	ret = (int)syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	*left = get_fail_nth(nth);
	set_fail_nth(nth, 0);
	close(fd);
	return ret ? err : 0;
}

static int load_probe(const char *ko, const char *name, const char *params)
{
	unsigned long left;
	int nth, err;

	nth = open_fail_nth();
	err = load(nth, ko, params, PROBE_NTH, &left);
	printf("probe: consumed=%lu result=%s\n", PROBE_NTH - left,
	       err ? errno_name(err) : "ok");
	if (!err) {
		err = unload(name);
		if (err) {
			fprintf(stderr, "%s: delete_module %s: %s\n", prog,
				name, strerror(err));
			return 1;
		}
	}
	return 0;
}

static int sweep(const char *ko, const char *name, const char *sysdir,
		 const char *params, unsigned long from, unsigned long max,
		 char **absent, int nabsent)
{
	unsigned long n, iterations = 0, failed = 0, left;
	int nth, err, complete = 0;

	nth = open_fail_nth();
	for (n = from; iterations < max; n++) {
		iterations++;
		err = load(nth, ko, params, n, &left);
		if (err) {
			failed++;
			printf("n=%lu failed errno=%s\n", n, errno_name(err));
			fflush(stdout);
			check_gone(n, sysdir, absent, nabsent);
			if (left) {
				/* Nothing was injected: it will not load. */
				fprintf(stderr, "%s: the load fails by itself: %s\n",
					prog, strerror(err));
				break;
			}
			continue;
		}
		printf("n=%lu loaded (fault point reached: %s)\n", n,
		       left ? "no" : "yes");
		fflush(stdout);
		err = unload(name);
		if (err) {
			printf("VIOLATION n=%lu: delete_module %s: %s\n", n,
			       name, errno_name(err));
			violations++;
			break;
		}
		check_gone(n, sysdir, absent, nabsent);
		if (left) {
			complete = 1;
			break;
		}
	}
	printf("failload: %lu iterations, %lu failed loads, %lu violations, complete=%s\n",
	       iterations, failed, violations, complete ? "yes" : "no");
	return violations || !complete;
}

/* rtnetlink requests */

struct nlreq {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[256];
};

static struct rtattr *add_attr(struct nlreq *req, unsigned short type,
			       const void *data, size_t len)
{
	struct rtattr *rta;

	if (NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_SPACE(len) > sizeof(*req)) {
		fprintf(stderr, "%s: request too long\n", prog);
		exit(2);
	}
	rta = (struct rtattr *)((char *)req + NLMSG_ALIGN(req->nh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_SPACE(len);
	return rta;
}

static void end_nest(struct nlreq *req, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)req + req->nh.nlmsg_len -
					 (char *)nest);
}

static void init_req(struct nlreq *req, unsigned short type,
		     unsigned short flags, unsigned int seq, const char *ifname)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(sizeof(req->ifi));
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req->nh.nlmsg_seq = seq;
	req->ifi.ifi_family = AF_UNSPEC;
	add_attr(req, IFLA_IFNAME, ifname, strlen(ifname) + 1);
}

static int rtnl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = ACK_TIMEOUT_S };
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		die("socket NETLINK_ROUTE");
	/* Bound now, not at the first send under fault injection. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind NETLINK_ROUTE");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	return fd;
}

/*
 * Send req and wait for its ack: 0 or a positive errno, the kernel's
 * answer or what the send or the receive failed with (ENOBUFS when the
 * kernel could not allocate the ack, EAGAIN when none came).
 */
static int rtnl_talk(int fd, struct nlreq *req)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[8192];
	struct nlmsghdr *nh;
	struct nlmsgerr *e;
	ssize_t len;

	if (sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return errno;
	for (;;) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != req->nh.nlmsg_seq ||
			    nh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = NLMSG_DATA(nh);
			return -e->error;
		}
	}
}

static int tracked(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s/keepalive", name);
	return exists(path);
}

static int newlink_sweep(const char *name, const char *local,
			 const char *remote, unsigned long max,
			 int keep_untracked)
{
	unsigned long n, iterations = 0, created = 0, untracked = 0;
	unsigned long failed = 0, left;
	struct in_addr saddr, daddr;
	struct rtattr *info, *data;
	int nth, fd, err, complete = 0, kept = 0, is_tracked;
	unsigned int seq = 0;
	char sysdir[128];
	struct nlreq req;

	if (strlen(name) >= IFNAMSIZ || inet_pton(AF_INET, local, &saddr) != 1 ||
	    inet_pton(AF_INET, remote, &daddr) != 1)
		bad_usage();
	snprintf(sysdir, sizeof(sysdir), "/sys/class/net/%s", name);
	if (exists(sysdir)) {
		fprintf(stderr, "%s: %s exists already\n", prog, name);
		return 3;
	}
	nth = open_fail_nth();
	fd = rtnl_open();

	for (n = 1; iterations < max; n++) {
		iterations++;
		init_req(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, ++seq,
			 name);
		info = add_attr(&req, IFLA_LINKINFO, NULL, 0);
		add_attr(&req, IFLA_INFO_KIND, "gre", sizeof("gre"));
		data = add_attr(&req, IFLA_INFO_DATA, NULL, 0);
		add_attr(&req, IFLA_GRE_LOCAL, &saddr, sizeof(saddr));
		add_attr(&req, IFLA_GRE_REMOTE, &daddr, sizeof(daddr));
		end_nest(&req, data);
		end_nest(&req, info);

		/* Nothing but the request between these two. */
		set_fail_nth(nth, n);
		err = rtnl_talk(fd, &req);
		left = get_fail_nth(nth);
		set_fail_nth(nth, 0);

		/* Whatever the answer said, the device is the truth. */
		if (!exists(sysdir)) {
			failed++;
			printf("n=%lu failed errno=%s\n", n,
			       err ? errno_name(err) : "none");
			fflush(stdout);
			if (!err) {
				printf("VIOLATION n=%lu: created, but no %s\n",
				       n, sysdir);
				violations++;
				break;
			}
			if (left) {
				fprintf(stderr, "%s: the creation fails by itself: %s\n",
					prog, strerror(err));
				break;
			}
			continue;
		}
		created++;
		is_tracked = tracked(name);
		if (!is_tracked)
			untracked++;
		printf("n=%lu created tracked=%s", n, is_tracked ? "yes" : "no");
		if (err)
			printf(" (ack: %s)", errno_name(err));
		printf("\n");
		fflush(stdout);
		if (keep_untracked && !is_tracked) {
			printf("kept %s untracked\n", name);
			kept = 1;
			break;
		}

		init_req(&req, RTM_DELLINK, 0, ++seq, name);
		err = rtnl_talk(fd, &req);
		if (err || exists(sysdir)) {
			printf("VIOLATION n=%lu: cannot delete %s: %s\n", n,
			       name, err ? errno_name(err) : "still there");
			violations++;
			break;
		}
		if (left) {
			complete = 1;
			break;
		}
	}
	printf("newlink: %lu iterations, %lu created, ", iterations, created);
	printf("%lu created untracked, %lu failed, complete=%s\n", untracked,
	       failed, complete ? "yes" : "no");
	if (kept)
		return 0;
	return violations || !complete || keep_untracked;
}

int main(int argc, char **argv)
{
	unsigned long from = 1, max = 2000;
	int i, nabsent = 0, do_probe = 0, keep = 0;
	const char *ko, *name, *params = "";
	char **absent, sysdir[256];
	glob_t g;

	if (argc >= 5 && !strcmp(argv[1], "--newlink")) {
		for (i = 5; i < argc; i++) {
			if (!strcmp(argv[i], "--keep-untracked"))
				keep = 1;
			else if (!strcmp(argv[i], "--max") && i + 1 < argc)
				max = parse_count(argv[++i]);
			else
				bad_usage();
		}
		return newlink_sweep(argv[2], argv[3], argv[4], max, keep);
	}
	if (argc < 3 || argv[1][0] == '-')
		bad_usage();
	ko = argv[1];
	name = argv[2];
	absent = calloc((size_t)argc, sizeof(*absent));
	if (!absent)
		die("calloc");
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--probe")) {
			do_probe = 1;
			continue;
		}
		if (i + 1 >= argc)
			bad_usage();
		if (!strcmp(argv[i], "--params"))
			params = argv[++i];
		else if (!strcmp(argv[i], "--max"))
			max = parse_count(argv[++i]);
		else if (!strcmp(argv[i], "--from"))
			from = parse_count(argv[++i]);
		else if (!strcmp(argv[i], "--absent"))
			absent[nabsent++] = argv[++i];
		else
			bad_usage();
	}
	snprintf(sysdir, sizeof(sysdir), "/sys/module/%s", name);
	if (exists(sysdir)) {
		fprintf(stderr, "%s: %s is loaded already\n", prog, name);
		return 3;
	}
	if (do_probe)
		return load_probe(ko, name, params);
	for (i = 0; i < nabsent; i++) {
		if (!glob(absent[i], 0, NULL, &g)) {
			fprintf(stderr, "%s: %s exists before any load\n", prog,
				g.gl_pathv[0]);
			return 3;
		}
	}
	return sweep(ko, name, sysdir, params, from, max, absent, nabsent);
}
