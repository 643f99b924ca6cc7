// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of interval, retries, DSCP and on/off (see values.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* The largest DSCP: six bits. */
#define GK_DSCP_MAX	63

/*
 * The DSCPs with names of their own (RFC 2474 class selectors, RFC 2597
 * assured forwarding, RFC 3246 expedited forwarding), as iproute2 and
 * router configurations write them.
 */
static const char * const gk_dscp_names[GK_DSCP_MAX + 1] = {
	[0] = "cs0", [8] = "cs1", [16] = "cs2", [24] = "cs3",
	[32] = "cs4", [40] = "cs5", [48] = "cs6", [56] = "cs7",
	[10] = "af11", [12] = "af12", [14] = "af13",
	[18] = "af21", [20] = "af22", [22] = "af23",
	[26] = "af31", [28] = "af32", [30] = "af33",
	[34] = "af41", [36] = "af42", [38] = "af43",
	[46] = "ef",
};

const char *gk_dscp_name(__u32 dscp)
{
	return dscp <= GK_DSCP_MAX ? gk_dscp_names[dscp] : NULL;
}

const char *gk_fmt_dscp(char *buf, size_t len, __u32 dscp)
{
	const char *name = gk_dscp_name(dscp);

	if (name)
		return name;
	snprintf(buf, len, "%u", dscp);
	return buf;
}

int gk_parse_dscp(const char *s, __u32 *dscp, char *msg, size_t len)
{
	const char *end;
	__u32 i;
	__u64 v;

	if (parse_digits(s, &v, &end) == 0 && !*end) {
		if (v <= GK_DSCP_MAX) {
			*dscp = (__u32)v;
			return 0;
		}
		/* The whole TOS byte, as some configurations write it. */
		if (v <= 255 && !(v & 3) && gk_dscp_names[v >> 2])
			snprintf(msg, len,
				 "dscp must be 0..63 (got '%s'; as a TOS byte, %s is dscp %u, %s)",
				 s, s, (__u32)v >> 2, gk_dscp_names[v >> 2]);
		else
			snprintf(msg, len, "dscp must be 0..63 (got '%s')", s);
		return -1;
	}
	for (i = 0; i <= GK_DSCP_MAX; i++) {
		if (gk_dscp_names[i] && !strcasecmp(s, gk_dscp_names[i])) {
			*dscp = i;
			return 0;
		}
	}
	snprintf(msg, len,
		 "dscp must be 0..63 or a name: cs0..cs7, ef, af11..af43 (got '%s')",
		 s);
	return -1;
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
