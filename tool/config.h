/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gre-keepalive's persistent configuration, /etc/gre-keepalive.conf: one
 * line per tunnel,
 *
 *   TUNNEL [interval SECONDS|MSms] [retries N] [dscp VALUE]
 *          [reflect on|off] [reflect-nat on|off] [reflect-overlay on|off]
 *
 * Each line enables keepalive on TUNNEL; dscp marks its probes (0..63 or a
 * name, cs6 by default); "reflect off" also stops it answering the peer's
 * keepalives (on is the module's default); reflect-nat and reflect-overlay
 * answer the probes of a peer behind NAT, or sent with the tunnel's inner
 * addresses, too (gre tunnels only; off by default). A line is one change
 * for the kernel: all of it takes effect, or none.
 *
 * "#" starts a comment; blank lines are ignored. The words after TUNNEL
 * are KEY VALUE pairs from a table (config.c), so that a new setting is a
 * new table entry.
 */
#ifndef GK_CONFIG_H
#define GK_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

#include "values.h"

#define GK_CONF_DEFAULT	"/etc/gre-keepalive.conf"

/* A line: its settings always enable keepalive (has_enabled, enabled). */
struct gk_conf_line {
	char dev[IF_NAMESIZE];
	unsigned int lineno;
	struct gk_settings set;
};

struct gk_conf {
	const char *file;
	struct gk_conf_line *v;
	size_t n;
	size_t cap;
	/*
	 * v by tunnel name, for a hub's thousands of lines: open addressing,
	 * 2 * cap slots, each an index into v plus one (0: empty).
	 */
	size_t *slots;
	size_t nslots;
};

/*
 * Read and validate the whole of file into c. Every bad line is reported
 * on stderr as "FILE:LINE: message". Returns 0, -1 if the file cannot be
 * read (reported), or -2 if any line is bad (c is then empty).
 */
int gk_conf_read(const char *file, struct gk_conf *c);

/* The line for tunnel dev, or NULL. */
const struct gk_conf_line *gk_conf_find(const struct gk_conf *c,
					const char *dev);

void gk_conf_free(struct gk_conf *c);

/* gre-keepalive's exit statuses, for every command. */
enum {
	GK_EXIT_OK	= 0,
	GK_EXIT_FAIL	= 1,	/* the kernel said no, or could not be asked */
	GK_EXIT_USAGE	= 2,	/* bad command line or configuration file */
};

/* "gre-keepalive apply [-c FILE] [--check|--follow] [DEV...]" */
struct gk_apply_opts {
	const char *file;	/* GK_CONF_DEFAULT unless -c */
	bool follow;
	bool check;
	const char **devs;
	int ndevs;
};

/* Run apply as the command line (gre-keepalive.c) says. Returns the exit status. */
int gk_apply_main(const struct gk_apply_opts *o);

#endif /* GK_CONFIG_H */
