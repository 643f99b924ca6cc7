// SPDX-License-Identifier: GPL-2.0
/* KUnit: Cisco's counter/retries state machine over scripted sequences. */
#include <kunit/test.h>

#include "../../src/state.c"

/*
 * A script is a string of events: 's' a probe is sent, 'r' a reply
 * arrives. The expected string has one character per event: '.' no
 * transition, 'D' line down, 'U' line up.
 */
struct script_case {
	const char *name;
	u32 retries;
	const char *events;
	const char *expect;
	u32 counter;		/* counter after the script */
	bool line_up;
};

static const struct script_case script_cases[] = {
	{ "down at the send after 3 unanswered", 3,
	  "ssss", "...D", 4, false },
	{ "stays up with replies", 3,
	  "srsrsrsr", "........", 0, true },
	{ "reply resets the count", 3,
	  "sssrssss", ".......D", 4, false },
	{ "keeps probing while down, one transition", 3,
	  "ssssssss", "...D....", 8, false },
	{ "first reply brings it up", 3,
	  "ssssrs", "...DU.", 1, true },
	{ "retries 1", 1, "ss", ".D", 2, false },
	{ "retries 255", 255, "s", ".", 1, true },
	{ "reply while up is quiet", 3, "rr", "..", 0, true },
	{ "down, up, down again", 2,
	  "sssrsss", "..DU..D", 3, false },
};

static void script_case_desc(const struct script_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(script, script_cases, script_case_desc);

static void state_script(struct kunit *test)
{
	const struct script_case *c = test->param_value;
	char got[32] = {};
	struct gka_state s = {};
	u64 downs = 0, ups = 0, replies = 0;
	size_t i;

	KUNIT_ASSERT_EQ(test, strlen(c->events), strlen(c->expect));
	KUNIT_ASSERT_LT(test, strlen(c->events), sizeof(got));
	gka_state_restart(&s);
	for (i = 0; c->events[i]; i++) {
		enum gka_transition t;

		if (c->events[i] == 's') {
			t = gka_state_on_send(&s, c->retries);
		} else {
			t = gka_state_on_reply(&s);
			replies++;
		}
		got[i] = t == GKA_LINE_DOWN ? 'D' : t == GKA_LINE_UP ? 'U' : '.';
		downs += t == GKA_LINE_DOWN;
		ups += t == GKA_LINE_UP;
	}
	KUNIT_EXPECT_STREQ(test, got, c->expect);
	KUNIT_EXPECT_EQ(test, s.counter, c->counter);
	KUNIT_EXPECT_EQ(test, s.line_up, c->line_up);
	KUNIT_EXPECT_EQ(test, s.transitions, downs + ups);
	KUNIT_EXPECT_EQ(test, s.replies, replies);
}

static void state_restart_brings_line_up(struct kunit *test)
{
	struct gka_state s = { .counter = 9, .line_up = false };

	gka_state_restart(&s);
	KUNIT_EXPECT_EQ(test, s.counter, 0U);
	KUNIT_EXPECT_TRUE(test, s.line_up);
	KUNIT_EXPECT_EQ(test, gka_state_on_send(&s, 1), GKA_STAY);
}

static void state_counter_saturates(struct kunit *test)
{
	struct gka_state s = { .counter = U32_MAX - 1, .line_up = false };

	gka_state_on_send(&s, 3);
	gka_state_on_send(&s, 3);
	KUNIT_EXPECT_EQ(test, s.counter, U32_MAX);
	KUNIT_EXPECT_FALSE(test, s.line_up);
}

static struct kunit_case state_cases[] = {
	KUNIT_CASE_PARAM(state_script, script_gen_params),
	KUNIT_CASE(state_restart_brings_line_up),
	KUNIT_CASE(state_counter_saturates),
	{}
};

static struct kunit_suite state_suite = {
	.name = "gre_keepalive_state",
	.test_cases = state_cases,
};

kunit_test_suite(state_suite);
