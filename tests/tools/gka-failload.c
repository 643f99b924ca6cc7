// SPDX-License-Identifier: GPL-2.0
/*
 * gka-failload: fail each allocation of a module load in turn, and check
 * that every failed load leaves nothing behind.
 *
 *   gka-failload MODULE.KO MODNAME [--params "k=v ..."] [--max N]
 *                [--absent PATH]...
 *	For n = 1, 2, ...: finit_module(MODULE.KO, params) with
 *	/proc/thread-self/fail-nth set to n, so that the n-th fault
 *	injection point this task passes in the load fails. Prints
 *	  n=N failed errno=NAME
 *	when the load failed; then /sys/module/MODNAME and every --absent
 *	PATH (a glob(3) pattern) must not exist. When it succeeded:
 *	  n=N loaded (fault point reached: yes|no)
 *	("no": the load passed fewer than n injection points), and the module
 *	is removed again (delete_module, O_NONBLOCK), after which the same
 *	must hold. Each thing found left over prints
 *	  VIOLATION n=N: <what>
 *	It stops after a load that succeeded with its fault point not reached
 *	(every injection point of the load has been failed once) or after
 *	--max loads (default 2000), leaves the module unloaded, and prints
 *	  failload: N iterations, M failed loads, K violations, complete=yes|no
 *	Exit 0 iff no violations and complete=yes, 1 otherwise, 2 for a usage
 *	error, 3 when it cannot start (the module loaded already, an --absent
 *	PATH there before the first load, no fail-nth). A module that will not
 *	unload (delete_module fails, or stays busy for a second) is a
 *	violation, and a load that fails with no fault injected (its fault
 *	point not reached) ends the run incomplete: the loop stops there.
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
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "gka-failload";

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: %s MODULE.KO MODNAME [--params \"k=v ...\"] [--max N] [--absent PATH]...\n",
		prog);
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

int main(int argc, char **argv)
{
	unsigned long n, max = 2000, failed = 0, left;
	const char *ko, *name, *params = "";
	int i, nabsent = 0, complete = 0;
	char **absent, sysdir[256];
	int nth, fd, ret, err;
	glob_t g;
	char *end;

	if (argc < 3)
		bad_usage();
	ko = argv[1];
	name = argv[2];
	absent = calloc((size_t)argc, sizeof(*absent));
	if (!absent)
		die("calloc");
	for (i = 3; i < argc; i++) {
		if (i + 1 >= argc)
			bad_usage();
		if (!strcmp(argv[i], "--params")) {
			params = argv[++i];
		} else if (!strcmp(argv[i], "--max")) {
			errno = 0;
			max = strtoul(argv[++i], &end, 0);
			if (errno || !*argv[i] || *end || !max)
				bad_usage();
		} else if (!strcmp(argv[i], "--absent")) {
			absent[nabsent++] = argv[++i];
		} else {
			bad_usage();
		}
	}
	snprintf(sysdir, sizeof(sysdir), "/sys/module/%s", name);
	if (exists(sysdir)) {
		fprintf(stderr, "%s: %s is loaded already\n", prog, name);
		return 3;
	}
	for (i = 0; i < nabsent; i++) {
		if (!glob(absent[i], 0, NULL, &g)) {
			fprintf(stderr, "%s: %s exists before any load\n", prog,
				g.gl_pathv[0]);
			return 3;
		}
	}

	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth < 0)
		die("open /proc/thread-self/fail-nth");

	for (n = 1; n <= max; n++) {
		fd = open(ko, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(ko);
		/* Nothing but the load between these two. */
		set_fail_nth(nth, n);
		ret = (int)syscall(SYS_finit_module, fd, params, 0);
		err = errno;
		left = get_fail_nth(nth);
		set_fail_nth(nth, 0);
		close(fd);

		if (ret) {
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
	if (n > max)
		n = max;
	printf("failload: %lu iterations, %lu failed loads, %lu violations, complete=%s\n",
	       n, failed, violations, complete ? "yes" : "no");
	return violations || !complete;
}
