// SPDX-License-Identifier: GPL-2.0
/*
 * Counter semantics as Cisco documents them (Documentation/keepalive.md):
 * every probe sent increments the counter, a reply resets it; the line
 * protocol stays up while counter < retries and goes down the next time a
 * probe is due.
 */
#include <linux/limits.h>

#include "state.h"

void gka_state_restart(struct gka_state *s)
{
	s->counter = 0;
	s->line_up = true;
}

enum gka_transition gka_state_on_send(struct gka_state *s, u32 retries)
{
	enum gka_transition t = GKA_STAY;

	if (s->line_up && s->counter >= retries) {
		s->line_up = false;
		s->transitions++;
		t = GKA_LINE_DOWN;
	}
	/* A router that runs for years must not wrap back to "fresh". */
	if (s->counter < U32_MAX)
		s->counter++;
	return t;
}

enum gka_transition gka_state_on_reply(struct gka_state *s)
{
	s->counter = 0;
	s->replies++;
	if (s->line_up)
		return GKA_STAY;
	s->line_up = true;
	s->transitions++;
	return GKA_LINE_UP;
}
