// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer for gre-keepalive's -j and -p output.
 */
#include "json.h"

/* Length of the valid UTF-8 sequence at p, 0 if p does not start one. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2)
		return 0;
	if (p[0] < 0xe0) {
		n = 2;
	} else if (p[0] < 0xf0) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] < 0xf5) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

static void json_escape_char(FILE *f, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", f);
		break;
	case '\\':
		fputs("\\\\", f);
		break;
	case '\b':
		fputs("\\b", f);
		break;
	case '\f':
		fputs("\\f", f);
		break;
	case '\n':
		fputs("\\n", f);
		break;
	case '\r':
		fputs("\\r", f);
		break;
	case '\t':
		fputs("\\t", f);
		break;
	default:
		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p) {
		n = utf8_len(p);
		if (n == 1) {
			json_escape_char(f, *p);
		} else if (n) {
			fwrite(p, 1, n, f);
		} else {
			fputs("\\ufffd", f);
			n = 1;
		}
		p += n;
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma = false;
}

static void json_newline(struct json *j)
{
	unsigned int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* Separator, indentation and key of the next member. */
static void json_member(struct json *j, const char *key)
{
	if (j->need_comma)
		fputc(',', j->f);
	if (j->pretty && j->depth)
		json_newline(j);
	if (key) {
		json_escape(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
	j->need_comma = true;
}

void json_begin(struct json *j, const char *key, char open)
{
	json_member(j, key);
	fputc(open, j->f);
	j->depth++;
	j->need_comma = false;
}

void json_end(struct json *j, char close)
{
	bool empty = !j->need_comma;

	j->depth--;
	if (j->pretty && !empty)
		json_newline(j);
	fputc(close, j->f);
	j->need_comma = true;
}

void json_string(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_escape(j->f, val);
}

void json_u64(struct json *j, const char *key, __u64 val)
{
	json_member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_member(j, key);
	fputs("null", j->f);
}
