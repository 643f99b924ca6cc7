// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /etc/gre-keepalive.conf (format in config.h). The whole file is
 * validated before anything is applied: one bad line refuses the file, and
 * every bad line is reported, each as "FILE:LINE: message".
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <linux/gre_keepalive.h>

#include "compat.h"
#include "config.h"
#include "values.h"

/* Where a line is being parsed, for its messages. */
struct conf_pos {
	const char *file;
	unsigned int lineno;
	int errors;
};

static void __printf(2, 3) conf_error(struct conf_pos *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", p->file, p->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
}

/* The same words, ranges and messages as the command line. */
static int conf_interval(struct conf_pos *p, const char *s,
			 struct gk_conf_line *l)
{
	char msg[GK_VALUE_MSG_LEN];

	if (gk_parse_interval(s, &l->set.interval_ms, msg, sizeof(msg)) < 0) {
		conf_error(p, "%s", msg);
		return -1;
	}
	l->set.has_interval = true;
	return 0;
}

static int conf_retries(struct conf_pos *p, const char *s,
			struct gk_conf_line *l)
{
	char msg[GK_VALUE_MSG_LEN];

	if (gk_parse_retries(s, &l->set.retries, msg, sizeof(msg)) < 0) {
		conf_error(p, "%s", msg);
		return -1;
	}
	l->set.has_retries = true;
	return 0;
}

static int conf_dscp(struct conf_pos *p, const char *s,
		     struct gk_conf_line *l)
{
	char msg[GK_VALUE_MSG_LEN];

	if (gk_parse_dscp(s, &l->set.dscp, msg, sizeof(msg)) < 0) {
		conf_error(p, "%s", msg);
		return -1;
	}
	l->set.has_dscp = true;
	return 0;
}

static int conf_on_off(struct conf_pos *p, const char *key, const char *s,
		       bool *has, bool *on)
{
	char msg[GK_VALUE_MSG_LEN];

	if (gk_parse_on_off(key, s, on, msg, sizeof(msg)) < 0) {
		conf_error(p, "%s", msg);
		return -1;
	}
	*has = true;
	return 0;
}

static int conf_reflect(struct conf_pos *p, const char *s,
			struct gk_conf_line *l)
{
	return conf_on_off(p, "reflect", s, &l->set.has_reflect,
			   &l->set.reflect);
}

static int conf_reflect_nat(struct conf_pos *p, const char *s,
			    struct gk_conf_line *l)
{
	return conf_on_off(p, "reflect-nat", s, &l->set.has_reflect_nat,
			   &l->set.reflect_nat);
}

static int conf_reflect_overlay(struct conf_pos *p, const char *s,
				struct gk_conf_line *l)
{
	return conf_on_off(p, "reflect-overlay", s,
			   &l->set.has_reflect_overlay,
			   &l->set.reflect_overlay);
}

/* The KEY VALUE words a line may carry after its tunnel name. */
static const struct {
	const char *key;
	int (*parse)(struct conf_pos *p, const char *value,
		     struct gk_conf_line *l);
} conf_keys[] = {
	{ "interval",		conf_interval },
	{ "retries",		conf_retries },
	{ "dscp",		conf_dscp },
	{ "reflect",		conf_reflect },
	{ "reflect-nat",	conf_reflect_nat },
	{ "reflect-overlay",	conf_reflect_overlay },
};

#define CONF_KEY_NAMES \
	"interval, retries, dscp, reflect, reflect-nat or reflect-overlay"

/* What the kernel accepts as an interface name (dev_valid_name()). */
static int conf_dev(struct conf_pos *p, const char *s, struct gk_conf_line *l)
{
	if (strlen(s) >= IF_NAMESIZE) {
		conf_error(p, "tunnel name too long (at most %d characters): '%s'",
			   IF_NAMESIZE - 1, s);
		return -1;
	}
	if (!strcmp(s, ".") || !strcmp(s, "..") || strpbrk(s, "/:")) {
		conf_error(p, "'%s' is not a valid tunnel name", s);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		if (!strcmp(s, conf_keys[i].key)) {
			conf_error(p, "missing tunnel name before '%s'", s);
			return -1;
		}
	}
	strcpy(l->dev, s);
	return 0;
}

static char *next_token(char **s)
{
	char *p = *s, *tok;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	tok = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return tok;
}

/* Parse one line (comment already cut); 1 if it holds a tunnel. */
static int conf_line(struct conf_pos *p, char *s, struct gk_conf_line *l)
{
	unsigned int seen = 0;
	char *key, *value;
	size_t i;

	memset(l, 0, sizeof(*l));
	l->lineno = p->lineno;
	l->set.has_enabled = true;
	l->set.enabled = true;
	key = next_token(&s);
	if (!key)
		return 0;
	if (conf_dev(p, key, l) < 0)
		return -1;
	while ((key = next_token(&s))) {
		for (i = 0; i < ARRAY_SIZE(conf_keys); i++)
			if (!strcmp(key, conf_keys[i].key))
				break;
		if (i == ARRAY_SIZE(conf_keys)) {
			conf_error(p, "unknown word '%s' (want " CONF_KEY_NAMES ")",
				   key);
			return -1;
		}
		if (seen & (1U << i)) {
			conf_error(p, "%s given twice", key);
			return -1;
		}
		seen |= 1U << i;
		value = next_token(&s);
		if (!value) {
			conf_error(p, "%s needs a value", key);
			return -1;
		}
		if (conf_keys[i].parse(p, value, l) < 0)
			return -1;
	}
	return 1;
}

/* FNV-1a: tunnel names are short and distinct. */
static size_t name_hash(const char *name)
{
	size_t h = 2166136261u;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h;
}

/* The slot that holds dev, or the empty one where it would go. */
static size_t *conf_slot(const struct gk_conf *c, const char *dev)
{
	size_t i = name_hash(dev) & (c->nslots - 1);

	while (c->slots[i] && strcmp(c->v[c->slots[i] - 1].dev, dev))
		i = (i + 1) & (c->nslots - 1);
	return &c->slots[i];
}

const struct gk_conf_line *gk_conf_find(const struct gk_conf *c,
					const char *dev)
{
	size_t *slot;

	if (!c->nslots)
		return NULL;
	slot = conf_slot(c, dev);
	return *slot ? &c->v[*slot - 1] : NULL;
}

/* Room for cap lines: v and, at twice that, the slots (a power of two). */
static int conf_grow(struct gk_conf *c, size_t cap)
{
	struct gk_conf_line *v;
	size_t i, *slots;

	v = realloc(c->v, cap * sizeof(*v));
	if (!v)
		return -1;
	c->v = v;
	slots = calloc(2 * cap, sizeof(*slots));
	if (!slots)
		return -1;
	free(c->slots);
	c->slots = slots;
	c->nslots = 2 * cap;
	c->cap = cap;
	for (i = 0; i < c->n; i++)
		*conf_slot(c, c->v[i].dev) = i + 1;
	return 0;
}

static int conf_add(struct gk_conf *c, const struct gk_conf_line *l)
{
	if (c->n == c->cap && conf_grow(c, c->cap ? 2 * c->cap : 16) < 0)
		return -1;
	c->v[c->n++] = *l;
	*conf_slot(c, l->dev) = c->n;
	return 0;
}

void gk_conf_free(struct gk_conf *c)
{
	free(c->v);
	free(c->slots);
	c->v = NULL;
	c->slots = NULL;
	c->n = 0;
	c->cap = 0;
	c->nslots = 0;
}

int gk_conf_read(const char *file, struct gk_conf *c)
{
	struct conf_pos p = { .file = file };
	const struct gk_conf_line *dup;
	struct gk_conf_line l;
	size_t len = 0;
	ssize_t n;
	char *buf = NULL, *hash;
	int ret = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	c->file = file;
	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "gre-keepalive: cannot read %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	while ((n = getline(&buf, &len, f)) >= 0) {
		p.lineno++;
		if ((size_t)n != strlen(buf)) {
			conf_error(&p, "line contains a NUL byte");
			continue;
		}
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		if (conf_line(&p, buf, &l) <= 0)
			continue;
		dup = gk_conf_find(c, l.dev);
		if (dup) {
			conf_error(&p, "tunnel '%s' already configured on line %u",
				   l.dev, dup->lineno);
			continue;
		}
		if (conf_add(c, &l) < 0) {
			fprintf(stderr, "gre-keepalive: %s\n", strerror(ENOMEM));
			ret = -1;
			break;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "gre-keepalive: cannot read %s: %s\n", file,
			strerror(errno));
		ret = -1;
	}
	fclose(f);
	free(buf);
	if (!ret && p.errors) {
		fprintf(stderr, "gre-keepalive: %s: %d bad line%s, nothing applied\n",
			file, p.errors, p.errors == 1 ? "" : "s");
		ret = -2;
	}
	if (ret)
		gk_conf_free(c);
	return ret;
}
