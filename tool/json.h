/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: compact (one line) or pretty (4-space
 * indentation, like iproute2's -p).
 */
#ifndef GK_JSON_H
#define GK_JSON_H

#include <stdbool.h>
#include <linux/types.h>
#include <stdio.h>

struct json {
	FILE *f;
	bool pretty;
	unsigned int depth;
	bool need_comma;	/* a member was already written at this level */
};

void json_init(struct json *j, FILE *f, bool pretty);
/* key is NULL for array elements and for the top-level value. */
void json_begin(struct json *j, const char *key, char open);
void json_end(struct json *j, char close);
void json_string(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, __u64 val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/* s as a quoted JSON string; invalid UTF-8 becomes U+FFFD. */
void json_escape(FILE *f, const char *s);

#endif /* GK_JSON_H */
