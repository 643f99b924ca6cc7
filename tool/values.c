// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of interval, retries and on/off (see values.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/gre_keepalive.h>

#include "values.h"

/* Leading decimal digits of s, saturating above UINT32_MAX; -1 if none. */
static int parse_digits(const char *s, __u64 *val, const char **end)
{
	__u64 v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (__u64)(*p - '0');
		if (v > UINT32_MAX)
			v = (__u64)UINT32_MAX + 1;
	}
	*end = p;
	*val = v;
	return p == s ? -1 : 0;
}

int gk_parse_interval(const char *s, __u32 *ms, char *msg, size_t len)
{
	const char *end;
	__u64 v;

	if (parse_digits(s, &v, &end) < 0 && *s != '.' && *s != ',')
		goto bad;
	if (*end == '.' || *end == ',') {
		snprintf(msg, len,
			 "interval must be an integer, e.g. 1500ms for 1.5 s (got '%s')",
			 s);
		return -1;
	}
	if (!*end || !strcmp(end, "s"))
		v *= 1000;
	else if (strcmp(end, "ms"))
		goto bad;
	if (v < GRE_KEEPALIVE_INTERVAL_MS_MIN ||
	    v > GRE_KEEPALIVE_INTERVAL_MS_MAX) {
		snprintf(msg, len, "interval must be 10ms..32767s (got '%s')", s);
		return -1;
	}
	*ms = (__u32)v;
	return 0;
bad:
	snprintf(msg, len,
		 "interval must be SECONDS or MSms, e.g. 5 or 100ms (got '%s')", s);
	return -1;
}

int gk_parse_retries(const char *s, __u32 *retries, char *msg, size_t len)
{
	const char *end;
	__u64 v;

	if (parse_digits(s, &v, &end) < 0 || *end ||
	    v < GRE_KEEPALIVE_RETRIES_MIN || v > GRE_KEEPALIVE_RETRIES_MAX) {
		snprintf(msg, len, "retries must be 1..255 (got '%s')", s);
		return -1;
	}
	*retries = (__u32)v;
	return 0;
}

int gk_parse_on_off(const char *key, const char *s, bool *on, char *msg,
		    size_t len)
{
	if (strcmp(s, "on") && strcmp(s, "off")) {
		snprintf(msg, len, "%s must be on or off (got '%s')", key, s);
		return -1;
	}
	*on = !strcmp(s, "on");
	return 0;
}
