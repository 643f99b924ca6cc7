/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cisco's keepalive counter and the line protocol it drives. Pure: callers
 * hold the tunnel's lock and carry out the returned transition.
 */
#ifndef _GKA_STATE_H
#define _GKA_STATE_H

#include <linux/types.h>

struct gka_state {
	u32 counter;		/* probes sent since the last reply */
	bool line_up;
	u64 transitions;
	u64 replies;
};

enum gka_transition {
	GKA_STAY,
	GKA_LINE_DOWN,
	GKA_LINE_UP,
};

/* Start afresh: counter 0, line protocol up until proven otherwise. */
void gka_state_restart(struct gka_state *s);

/*
 * A probe is about to be sent. The line goes down here, at the send after
 * @retries probes went unanswered, never in between.
 */
enum gka_transition gka_state_on_send(struct gka_state *s, u32 retries);

/* A reply arrived: counter back to 0, and the line comes up if it was down. */
enum gka_transition gka_state_on_reply(struct gka_state *s);

#endif /* _GKA_STATE_H */
