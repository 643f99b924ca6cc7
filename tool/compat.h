/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel-style helpers the tool uses. */
#ifndef GK_COMPAT_H
#define GK_COMPAT_H

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

#endif /* GK_COMPAT_H */
