/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LIB_PROBE_H
#define SYSFENCE_LIB_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What the running kernel's seccomp supports, asked exactly as the kernel
 * defines it (see probe.c for the errno contract of each question).
 */
/*
 * The questions probe_kernel() can ask.  A launch asks only what its blob
 * needs (load_questions()); --features asks everything.  The filter
 * question (seccomp(2) and FLAG_LOG) comes first whenever anything is
 * asked: the action questions need seccomp(2).
 */
enum probe_question {
	PROBE_ASK_FILTER = 1u << 0,	  /* seccomp(2)?  SECCOMP_FILTER_FLAG_LOG? */
	PROBE_ASK_LOG = 1u << 1,	  /* SECCOMP_RET_LOG */
	PROBE_ASK_KILL_PROCESS = 1u << 2, /* SECCOMP_RET_KILL_PROCESS */
	PROBE_ASK_ERRNO = 1u << 3,	  /* SECCOMP_RET_ERRNO, reported only */
	PROBE_ASK_ALL = (1u << 4) - 1,
};

/* What was asked; what was not asked is false. */
struct probe_features {
	bool seccomp_syscall;	  /* seccomp(2) exists; else prctl(PR_SET_SECCOMP) */
	bool filter_flag_log;	  /* SECCOMP_FILTER_FLAG_LOG (4.14) */
	bool action_log;	  /* SECCOMP_RET_LOG (4.14) */
	bool action_kill_process; /* SECCOMP_RET_KILL_PROCESS (4.14) */
	bool action_errno;	  /* SECCOMP_RET_ERRNO (3.5), reported only */
};

/* The answer to one question, from a return value and errno. */
enum probe_answer {
	PROBE_ERROR = -1, /* an errno the contract does not allow: fail closed */
	PROBE_NO = 0,
	PROBE_YES = 1,
	PROBE_NOSYS = 2, /* no seccomp(2) system call at all */
};

/* seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, NULL). */
enum probe_answer probe_interpret_flag_log(long rc, int err);
/* seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action). */
enum probe_answer probe_interpret_action_avail(long rc, int err);

/*
 * Asks the running kernel the questions in `ask` (enum probe_question),
 * each once.  Returns 0, or -1 with a reason in why when an answer falls
 * outside the contract (then nothing may be loaded).
 */
int probe_kernel(struct probe_features *f, unsigned ask, char *why, size_t whylen);

/*
 * Copies /proc/sys/kernel/seccomp/actions_avail (one line, without the
 * newline) into buf.  Returns 0, or a negative errno when unreadable.
 */
int probe_actions_avail(char *buf, size_t buflen);

#endif
