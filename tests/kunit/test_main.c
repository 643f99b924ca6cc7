// SPDX-License-Identifier: GPL-2.0
/*
 * gre_keepalive_test: KUnit suites for the side-effect-free parts of the
 * module. Each suite file compiles the source it tests into this module.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for gre_keepalive");
