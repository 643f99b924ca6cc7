// SPDX-License-Identifier: GPL-2.0
/*
 * gre-keepalive: configure and watch Cisco-style keepalive on Linux GRE
 * tunnels through the gre_keepalive generic netlink family.
 *
 *   gre-keepalive [OPTIONS] set DEV [interval SECONDS|MSms] [retries N]
 *                                   [dscp VALUE]
 *   gre-keepalive [OPTIONS] del DEV
 *   gre-keepalive [OPTIONS] reflect DEV [on|off] [nat on|off] [overlay on|off]
 *   gre-keepalive [OPTIONS] show [DEV]
 *   gre-keepalive [OPTIONS] monitor
 *   gre-keepalive apply [-c FILE] [--check|--follow] [DEV...]
 *
 * set, del and reflect are each one TUNNEL_SET request: set sends ENABLED 1
 * with the interval, retries and DSCP given, del ENABLED 0, reflect
 * REFLECT, REFLECT_NAT and REFLECT_OVERLAY as given.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/gre_keepalive.h>

#include "compat.h"
#include "config.h"
#include "json.h"
#include "nl.h"
#include "status.h"
#include "values.h"

#ifndef GK_VERSION
#define GK_VERSION	"unknown"
#endif

#define PROG		"gre-keepalive"

/* Outcome of parsing: go on, a usage error (printed), help/version, or a
 * failure of our own (printed).
 */
enum {
	PARSE_OK,
	PARSE_USAGE,
	PARSE_DONE,
	PARSE_FAIL,
};

enum gk_cmd {
	GK_CMD_NONE,
	GK_CMD_SET,
	GK_CMD_DEL,
	GK_CMD_REFLECT,
	GK_CMD_SHOW,
	GK_CMD_MONITOR,
	GK_CMD_APPLY,
	GK_CMD_HELP,
	GK_CMD_VERSION,
};

struct gk_args {
	enum gk_cmd cmd;
	bool json;
	bool pretty;
	const char *dev;
	struct gk_settings set;		/* set, del, reflect */
	struct gk_apply_opts apply;
};

/*
 * Where an option is accepted: before the command and after every command
 * but apply (SCOPE_MAIN), or after apply, which has options of its own
 * (SCOPE_APPLY).
 */
enum {
	SCOPE_MAIN	= 1 << 0,
	SCOPE_APPLY	= 1 << 1,
};

struct arg_iter {
	int argc;
	char **argv;
	int i;
	bool opts_done;		/* "--" seen */
	unsigned int scope;	/* the options accepted here */
};

/* Usage errors after "apply" say so. */
static const char *usage_prefix = "";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTIONS] COMMAND\n"
		"\n"
		"Commands:\n"
		"  set DEV [interval SECONDS|MSms] [retries N] [dscp VALUE]\n"
		"                 enable keepalive on GRE tunnel DEV, or change it\n"
		"  del DEV        disable keepalive on DEV\n"
		"  reflect DEV [on|off] [nat on|off] [overlay on|off]\n"
		"                 answer (on, the default) or ignore the peer's keepalives;\n"
		"                 nat, overlay: also those of a peer behind NAT, or sent\n"
		"                 with the tunnel's inner addresses (gre only; off by default)\n"
		"  show [DEV]     show keepalive state of DEV, or of every GRE tunnel\n"
		"  monitor        print keepalive events as they happen\n"
		"  apply [-c FILE] [--check|--follow] [DEV...]\n"
		"                 apply " GK_CONF_DEFAULT " (or FILE) to the tunnels\n"
		"                 that exist; --follow: and to every one that appears\n"
		"  help           print this help\n"
		"\n"
		"Options (before or after the command):\n"
		"  -j, --json     JSON output (show: an array; monitor: one object per line)\n"
		"  -p, --pretty   pretty-printed JSON (implies --json)\n"
		"  -h, --help     print this help\n"
		"  -V, --version  print the version\n"
		"\n"
		"interval is 10ms..32767s: a bare integer is seconds, \"100ms\" is\n"
		"milliseconds (default 10 s); retries is 1..255 (default 3); dscp,\n"
		"the probes' DSCP, is 0..63 or cs0..cs7, ef, af11..af43 (default cs6).\n"
		"Cisco \"keepalive 5 4\" is: " PROG " set DEV interval 5 retries 4\n");
}

static int __printf(1, 2) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s", usage_prefix);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " help' for more information.\n", stderr);
	return PARSE_USAGE;
}

static int opt_json(struct gk_args *a, const char *value)
{
	(void)value;
	a->json = true;
	return PARSE_OK;
}

static int opt_pretty(struct gk_args *a, const char *value)
{
	(void)value;
	a->json = true;
	a->pretty = true;
	return PARSE_OK;
}

static int opt_help(struct gk_args *a, const char *value)
{
	(void)value;
	a->cmd = GK_CMD_HELP;
	return PARSE_DONE;
}

static int opt_version(struct gk_args *a, const char *value)
{
	(void)value;
	a->cmd = GK_CMD_VERSION;
	return PARSE_DONE;
}

static int opt_config(struct gk_args *a, const char *value)
{
	if (!*value)
		return usage_error("FILE name is empty");
	a->apply.file = value;
	return PARSE_OK;
}

static int opt_follow(struct gk_args *a, const char *value)
{
	(void)value;
	a->apply.follow = true;
	return PARSE_OK;
}

static int opt_check(struct gk_args *a, const char *value)
{
	(void)value;
	a->apply.check = true;
	return PARSE_OK;
}

/* Every option of every command. */
static const struct gk_option {
	char short_name;
	const char *long_name;
	const char *arg_name;	/* the value it takes, NULL if none */
	unsigned int scope;
	int (*take)(struct gk_args *a, const char *value);
} gk_options[] = {
	{ 'j', "json",		NULL,	SCOPE_MAIN,		opt_json },
	{ 'p', "pretty",	NULL,	SCOPE_MAIN,		opt_pretty },
	{ 'h', "help",		NULL,	SCOPE_MAIN | SCOPE_APPLY, opt_help },
	{ 'V', "version",	NULL,	SCOPE_MAIN,		opt_version },
	{ 'c', "config",	"FILE",	SCOPE_APPLY,		opt_config },
	{ 'f', "follow",	NULL,	SCOPE_APPLY,		opt_follow },
	{ 'n', "check",		NULL,	SCOPE_APPLY,		opt_check },
};

static const struct gk_option *find_option(const struct arg_iter *it,
					   char short_name,
					   const char *long_name, size_t len)
{
	const struct gk_option *o;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gk_options); i++) {
		o = &gk_options[i];
		if (!(o->scope & it->scope))
			continue;
		if (long_name ? strlen(o->long_name) == len &&
				!strncmp(o->long_name, long_name, len) :
				o->short_name == short_name)
			return o;
	}
	return NULL;
}

/* The value of option o, written as name: inline, or the next argument. */
static int take_option(struct arg_iter *it, struct gk_args *a,
		       const struct gk_option *o, const char *name,
		       const char *inline_value)
{
	const char *value = inline_value;

	if (o->arg_name && !value) {
		if (it->i >= it->argc)
			return usage_error("%s needs a %s", name, o->arg_name);
		value = it->argv[it->i++];
	}
	return o->take(a, value);
}

/* "-jp", "-cFILE", "-c FILE". */
static int take_short_options(struct arg_iter *it, const char *arg,
			      struct gk_args *a)
{
	const struct gk_option *o;
	const char *p;
	char name[3] = "-";
	int ret;

	for (p = arg + 1; *p; p++) {
		o = find_option(it, *p, NULL, 0);
		if (!o)
			return usage_error("unknown option '-%c'", *p);
		name[1] = *p;
		ret = take_option(it, a, o, name,
				  o->arg_name && p[1] ? p + 1 : NULL);
		if (ret != PARSE_OK || o->arg_name)
			return ret;
	}
	return PARSE_OK;
}

/* "--json", "--config FILE", "--config=FILE". */
static int take_long_option(struct arg_iter *it, const char *arg,
			    struct gk_args *a)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	const struct gk_option *o = find_option(it, 0, arg + 2, len);
	char name[64];

	if (!o || (eq && !o->arg_name))
		return usage_error("unknown option '%s'", arg);
	snprintf(name, sizeof(name), "--%s", o->long_name);
	return take_option(it, a, o, name, eq ? eq + 1 : NULL);
}

/*
 * The next argument that is not an option, in *word (NULL at the end),
 * taking the options met on the way.
 */
static int next_word(struct arg_iter *it, struct gk_args *a, const char **word)
{
	const char *arg;
	int ret;

	*word = NULL;
	while (it->i < it->argc) {
		arg = it->argv[it->i++];
		if (it->opts_done || arg[0] != '-' || !arg[1]) {
			*word = arg;
			return PARSE_OK;
		}
		if (!strcmp(arg, "--")) {
			it->opts_done = true;
			continue;
		}
		if (arg[1] == '-')
			ret = take_long_option(it, arg, a);
		else
			ret = take_short_options(it, arg, a);
		if (ret != PARSE_OK)
			return ret;
	}
	return PARSE_OK;
}

/* The value of keyword key, taken as is (it may start with '-'). */
static int next_value(struct arg_iter *it, const char *key, const char **value)
{
	if (it->i >= it->argc)
		return usage_error("%s needs a value", key);
	*value = it->argv[it->i++];
	return PARSE_OK;
}

/* A value's problem, as a usage error. */
static int value_error(int err, const char *msg)
{
	return err ? usage_error("%s", msg) : PARSE_OK;
}

static int check_dev(const char *dev)
{
	if (!*dev)
		return usage_error("DEV name is empty");
	if (strlen(dev) >= IF_NAMESIZE)
		return usage_error("DEV name too long (at most %d characters): '%s'",
				   IF_NAMESIZE - 1, dev);
	return PARSE_OK;
}

static int parse_dev(struct arg_iter *it, struct gk_args *a, bool required)
{
	const char *dev;
	int ret;

	ret = next_word(it, a, &dev);
	if (ret != PARSE_OK)
		return ret;
	if (!dev)
		return required ? usage_error("missing DEV") : PARSE_OK;
	a->dev = dev;
	return check_dev(dev);
}

/* Nothing may follow; options still may. */
static int parse_end(struct arg_iter *it, struct gk_args *a)
{
	const char *word;
	int ret;

	ret = next_word(it, a, &word);
	if (ret != PARSE_OK)
		return ret;
	if (word)
		return usage_error("unknown argument '%s'", word);
	return PARSE_OK;
}

/* The KEY VALUE words of set: where in gk_settings each goes. */
#define SET_KEY(key, parse, has, value)					\
	{ key, parse, offsetof(struct gk_settings, has),		\
	  offsetof(struct gk_settings, value) }
static const struct {
	const char *key;
	int (*parse)(const char *s, __u32 *v, char *msg, size_t len);
	size_t has;	/* the bool saying it was given */
	size_t value;	/* the __u32 it sets */
} set_keys[] = {
	SET_KEY("interval", gk_parse_interval, has_interval, interval_ms),
	SET_KEY("retries", gk_parse_retries, has_retries, retries),
	SET_KEY("dscp", gk_parse_dscp, has_dscp, dscp),
};

static bool is_set_key(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(set_keys); i++)
		if (!strcmp(word, set_keys[i].key))
			return true;
	return false;
}

static int parse_set_option(struct arg_iter *it, struct gk_args *a,
			    const char *key)
{
	char msg[GK_VALUE_MSG_LEN];
	const char *value = NULL;
	__u32 *v;
	bool *has;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(set_keys); i++)
		if (!strcmp(key, set_keys[i].key))
			break;
	if (i == ARRAY_SIZE(set_keys))
		return usage_error("unknown argument '%s'", key);
	has = (bool *)((char *)&a->set + set_keys[i].has);
	v = (__u32 *)((char *)&a->set + set_keys[i].value);
	if (*has)
		return usage_error("%s given twice", key);
	ret = next_value(it, key, &value);
	if (ret != PARSE_OK)
		return ret;
	*has = true;
	return value_error(set_keys[i].parse(value, v, msg, sizeof(msg)), msg);
}

/* set enables keepalive, with what else is given, in one change. */
static int parse_set(struct arg_iter *it, struct gk_args *a)
{
	const char *key;
	int ret;

	a->set.has_enabled = true;
	a->set.enabled = true;
	ret = parse_dev(it, a, true);
	if (ret != PARSE_OK)
		return ret;
	/* "set interval 5": the tunnel was forgotten, not named "interval". */
	if (is_set_key(a->dev))
		return usage_error("missing DEV (before '%s')", a->dev);
	for (;;) {
		ret = next_word(it, a, &key);
		if (ret != PARSE_OK || !key)
			return ret;
		ret = parse_set_option(it, a, key);
		if (ret != PARSE_OK)
			return ret;
	}
}

static int parse_del(struct arg_iter *it, struct gk_args *a)
{
	int ret = parse_dev(it, a, true);

	a->set.has_enabled = true;
	a->set.enabled = false;
	return ret == PARSE_OK ? parse_end(it, a) : ret;
}

/* "nat on" or "overlay off" in reflect; key is one of them. */
static int parse_reflect_variant(struct arg_iter *it, struct gk_settings *s,
				 const char *key)
{
	char msg[GK_VALUE_MSG_LEN];
	bool nat = !strcmp(key, "nat");
	bool *has = nat ? &s->has_reflect_nat : &s->has_reflect_overlay;
	const char *value = NULL;
	int ret;

	if (*has)
		return usage_error("%s given twice", key);
	ret = next_value(it, key, &value);
	if (ret != PARSE_OK)
		return ret;
	*has = true;
	return value_error(gk_parse_on_off(key, value, nat ? &s->reflect_nat :
					   &s->reflect_overlay, msg,
					   sizeof(msg)), msg);
}

/* reflect DEV [on|off] [nat on|off] [overlay on|off]: one change. */
static int parse_reflect(struct arg_iter *it, struct gk_args *a)
{
	struct gk_settings *s = &a->set;
	char msg[GK_VALUE_MSG_LEN];
	const char *word;
	int ret;

	ret = parse_dev(it, a, true);
	if (ret != PARSE_OK)
		return ret;
	if (!strcmp(a->dev, "on") || !strcmp(a->dev, "off") ||
	    !strcmp(a->dev, "nat") || !strcmp(a->dev, "overlay"))
		return usage_error("missing DEV (before '%s')", a->dev);
	for (;;) {
		ret = next_word(it, a, &word);
		if (ret != PARSE_OK)
			return ret;
		if (!word)
			break;
		if (!strcmp(word, "nat") || !strcmp(word, "overlay")) {
			ret = parse_reflect_variant(it, s, word);
		} else if (s->has_reflect) {
			if (!strcmp(word, "on") || !strcmp(word, "off"))
				return usage_error("reflect on|off given twice");
			return usage_error("unknown argument '%s'", word);
		} else {
			s->has_reflect = true;
			ret = value_error(gk_parse_on_off("reflect", word,
							  &s->reflect, msg,
							  sizeof(msg)), msg);
		}
		if (ret != PARSE_OK)
			return ret;
	}
	if (!s->has_reflect && !s->has_reflect_nat && !s->has_reflect_overlay)
		return usage_error("reflect needs on or off (or nat on|off, overlay on|off)");
	return PARSE_OK;
}

static int parse_show(struct arg_iter *it, struct gk_args *a)
{
	int ret = parse_dev(it, a, false);

	return ret == PARSE_OK ? parse_end(it, a) : ret;
}

static int parse_no_args(struct arg_iter *it, struct gk_args *a)
{
	return parse_end(it, a);
}

/* apply [-c FILE] [--check|--follow] [DEV...], with options of its own. */
static int parse_apply(struct arg_iter *it, struct gk_args *a)
{
	struct gk_apply_opts *o = &a->apply;
	const char *dev;
	int ret;

	usage_prefix = "apply: ";
	it->scope = SCOPE_APPLY;
	o->file = GK_CONF_DEFAULT;
	o->devs = calloc((size_t)it->argc, sizeof(*o->devs));
	if (!o->devs) {
		fprintf(stderr, PROG ": out of memory\n");
		return PARSE_FAIL;
	}
	for (;;) {
		ret = next_word(it, a, &dev);
		if (ret != PARSE_OK)
			return ret;
		if (!dev)
			break;
		ret = check_dev(dev);
		if (ret != PARSE_OK)
			return ret;
		o->devs[o->ndevs++] = dev;
	}
	if (o->follow && o->ndevs)
		return usage_error("--follow applies the whole file, not DEV '%s'",
				   o->devs[0]);
	if (o->follow && o->check)
		return usage_error("--check and --follow exclude each other");
	return PARSE_OK;
}

static const struct {
	const char *name;
	enum gk_cmd cmd;
	int (*parse)(struct arg_iter *it, struct gk_args *a);
} gk_commands[] = {
	{ "set",	GK_CMD_SET,	parse_set },
	{ "del",	GK_CMD_DEL,	parse_del },
	{ "reflect",	GK_CMD_REFLECT,	parse_reflect },
	{ "show",	GK_CMD_SHOW,	parse_show },
	{ "monitor",	GK_CMD_MONITOR,	parse_no_args },
	{ "apply",	GK_CMD_APPLY,	parse_apply },
	{ "help",	GK_CMD_HELP,	parse_no_args },
};

static int parse_args(int argc, char **argv, struct gk_args *a)
{
	struct arg_iter it = {
		.argc = argc, .argv = argv, .i = 1, .scope = SCOPE_MAIN,
	};
	const char *word;
	size_t i;
	int ret;

	ret = next_word(&it, a, &word);
	if (ret != PARSE_OK)
		return ret;
	if (!word)
		return usage_error("missing command");
	for (i = 0; i < ARRAY_SIZE(gk_commands); i++) {
		if (!strcmp(word, gk_commands[i].name)) {
			a->cmd = gk_commands[i].cmd;
			return gk_commands[i].parse(&it, a);
		}
	}
	return usage_error("unknown command '%s'", word);
}

/* Flush stdout; report a failed write (a full disk, a closed pipe). */
static int flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
	return -1;
}

/* set, del and reflect: one TUNNEL_SET, acknowledged. */
static int cmd_config(const struct gk_args *a)
{
	struct gk_nl_err e;
	struct gk_nl nl;
	int ret;

	if (gk_nl_connect(&nl) < 0)
		return GK_EXIT_FAIL;
	ret = gk_nl_set(&nl, a->dev, &a->set, &e);
	if (ret < 0)
		gk_nl_perror(&e);
	gk_nl_close(&nl);
	return ret < 0 ? GK_EXIT_FAIL : GK_EXIT_OK;
}

/* Dumps interrupted by devices coming and going, before we give up. */
#define SHOW_DUMP_TRIES 5

struct show_list {
	__u16 family;
	struct gk_status *v;
	size_t n;
	size_t cap;
};

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_list *l = data;
	struct gk_status *v;
	size_t cap;

	if (nlh->nlmsg_type != l->family)
		return MNL_CB_OK;
	if (l->n == l->cap) {
		cap = l->cap ? 2 * l->cap : 16;
		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return MNL_CB_ERROR;	/* errno is ENOMEM */
		l->v = v;
		l->cap = cap;
	}
	if (gk_status_parse(nlh, &l->v[l->n]) < 0)
		return MNL_CB_ERROR;
	l->n++;
	return MNL_CB_OK;
}

static void show_print(const struct gk_args *a, const struct show_list *l)
{
	struct json j;
	size_t i;

	if (!a->json) {
		for (i = 0; i < l->n; i++)
			gk_status_print(stdout, &l->v[i]);
		return;
	}
	json_init(&j, stdout, a->pretty);
	json_begin(&j, NULL, '[');
	for (i = 0; i < l->n; i++) {
		json_begin(&j, NULL, '{');
		gk_status_json(&j, &l->v[i]);
		json_end(&j, '}');
	}
	json_end(&j, ']');
	putchar('\n');
}

static int cmd_show(const struct gk_args *a)
{
	struct show_list l = { 0 };
	struct nlmsghdr *nlh;
	struct gk_nl_err e;
	struct gk_nl nl;
	int ret, tries = 0;

	if (gk_nl_connect(&nl) < 0)
		return GK_EXIT_FAIL;
	l.family = nl.family;
	/* A dump that devices came or went during is asked for again. */
	do {
		l.n = 0;
		if (a->dev) {
			nlh = gk_nl_request(&nl, GRE_KEEPALIVE_CMD_TUNNEL_GET,
					    NLM_F_ACK);
			mnl_attr_put_strz(nlh, GRE_KEEPALIVE_A_TUNNEL_IFNAME,
					  a->dev);
		} else {
			/* A dump takes no attributes. */
			nlh = gk_nl_request(&nl, GRE_KEEPALIVE_CMD_TUNNEL_GET,
					    NLM_F_DUMP);
		}
		ret = gk_nl_talk(&nl, nlh, show_cb, &l, &e);
	} while (ret < 0 && e.err == EAGAIN && ++tries < SHOW_DUMP_TRIES);
	gk_nl_close(&nl);
	/* Still changing: what the last one saw, as ip does. */
	if (ret < 0 && e.err == EAGAIN) {
		fprintf(stderr, PROG ": warning: %s\n", e.msg);
		ret = 0;
	}
	if (ret < 0)
		gk_nl_perror(&e);
	else
		show_print(a, &l);
	free(l.v);
	if (ret < 0 || flush_stdout() < 0)
		return GK_EXIT_FAIL;
	return GK_EXIT_OK;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const bool *json = data;
	const struct genlmsghdr *genl;
	struct gk_status st;

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN))
		return MNL_CB_OK;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != GRE_KEEPALIVE_CMD_TUNNEL_CHANGE_NTF)
		return MNL_CB_OK;
	if (gk_status_parse(nlh, &st) < 0) {
		fprintf(stderr, PROG ": ignoring a malformed event\n");
		return MNL_CB_OK;
	}
	if (*json)
		gk_event_json(stdout, &st, now_ns());
	else
		gk_event_print(stdout, &st, now_ns());
	/* Read through pipes: every line must leave now. */
	if (fflush(stdout) != 0 || ferror(stdout))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int cmd_monitor(const struct gk_args *a)
{
	bool json = a->json;
	struct gk_nl nl;
	int ret;

	if (gk_nl_connect(&nl) < 0)
		return GK_EXIT_FAIL;
	ret = gk_nl_listen(&nl, monitor_cb, &json);
	gk_nl_close(&nl);
	return ret < 0 ? GK_EXIT_FAIL : GK_EXIT_OK;
}

static int run(const struct gk_args *a)
{
	switch (a->cmd) {
	case GK_CMD_SET:
	case GK_CMD_DEL:
	case GK_CMD_REFLECT:
		return cmd_config(a);
	case GK_CMD_SHOW:
		return cmd_show(a);
	case GK_CMD_MONITOR:
		return cmd_monitor(a);
	case GK_CMD_APPLY:
		return gk_apply_main(&a->apply);
	case GK_CMD_VERSION:
		printf(PROG " %s (netlink family %s version %d)\n", GK_VERSION,
		       GRE_KEEPALIVE_FAMILY_NAME, GRE_KEEPALIVE_FAMILY_VERSION);
		return flush_stdout() < 0 ? GK_EXIT_FAIL : GK_EXIT_OK;
	case GK_CMD_HELP:
	default:
		usage(stdout);
		return flush_stdout() < 0 ? GK_EXIT_FAIL : GK_EXIT_OK;
	}
}

int main(int argc, char **argv)
{
	struct gk_args a = { .cmd = GK_CMD_NONE };
	int ret;

	switch (parse_args(argc, argv, &a)) {
	case PARSE_USAGE:
		ret = GK_EXIT_USAGE;
		break;
	case PARSE_FAIL:
		ret = GK_EXIT_FAIL;
		break;
	default:
		ret = run(&a);
		break;
	}
	free(a.apply.devs);
	return ret;
}
