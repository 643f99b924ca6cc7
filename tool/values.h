/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The values gre-keepalive takes, on its command line and in
 * /etc/gre-keepalive.conf alike: the same words, ranges and messages.
 */
#ifndef GK_VALUES_H
#define GK_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

/*
 * A change to one tunnel's keepalive, as the command line and a line of
 * /etc/gre-keepalive.conf give it: what is not given keeps its value. The
 * kernel applies it as one change, all of it or nothing (gk_nl_set()).
 */
struct gk_settings {
	bool has_enabled;
	bool enabled;
	bool has_interval;
	__u32 interval_ms;
	bool has_retries;
	__u32 retries;
	bool has_reflect;
	bool reflect;
	bool has_dscp;
	__u32 dscp;
	bool has_reflect_nat;
	bool reflect_nat;
	bool has_reflect_overlay;
	bool reflect_overlay;
};

/* Long enough for every message below with a value quoted in it. */
#define GK_VALUE_MSG_LEN	256

/*
 * Each returns 0, or -1 with a message naming the problem (and quoting s)
 * in msg.
 */
/* "5" and "5s" are seconds, "100ms" milliseconds; 10ms..32767s. */
int gk_parse_interval(const char *s, __u32 *ms, char *msg, size_t len);
/* 1..255. */
int gk_parse_retries(const char *s, __u32 *retries, char *msg, size_t len);
/* 0..63, or a name: cs0..cs7, ef, af11..af43, in any case. */
int gk_parse_dscp(const char *s, __u32 *dscp, char *msg, size_t len);
/* "on" or "off", for the setting named key. */
int gk_parse_on_off(const char *key, const char *s, bool *on, char *msg,
		    size_t len);

/* dscp's name ("cs6", "ef", "af41"), or NULL if it has none. */
const char *gk_dscp_name(__u32 dscp);

/*
 * dscp as written back to the user: its name if it has one, else the
 * number. Returns buf or a constant.
 */
const char *gk_fmt_dscp(char *buf, size_t len, __u32 dscp);

#endif /* GK_VALUES_H */
