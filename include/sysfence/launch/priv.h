/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_PRIV_H
#define SYSFENCE_LAUNCH_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The one place that changes ids, capabilities and no_new_privs.  The
 * privilege state is decided once, from getresuid() at start, and kept in
 * struct priv: never inferred from geteuid() later.
 */
enum priv_mode {
	PRIV_ROOT,   /* real and effective uid 0: the caller is root, stays root */
	PRIV_SETUID, /* setuid root run by another user: drop to that user */
	PRIV_NONE,   /* no privilege (not setuid, or no_new_privs ignored the bit) */
};

struct priv {
	enum priv_mode mode;
	uid_t uid; /* the caller's real ids */
	gid_t gid;
	bool caps_kept; /* PRIV_SETUID: CAP_SYS_ADMIN still permitted */
};

/* Records the caller's ids and decides the mode.  0 or -1 with why. */
int priv_init(struct priv *p, char *why, size_t whylen);

/*
 * PRIV_SETUID: switch real, effective and saved gid then uid to the
 * caller's (verified with getres*id), keep CAP_SYS_ADMIN in the permitted
 * set only (nothing effective, inheritable or ambient), make the process
 * non-dumpable.  Other modes: nothing to do.  0 or -1 with why.
 */
int priv_drop_to_caller(struct priv *p, char *why, size_t whylen);

/* PRIV_SETUID: give up CAP_SYS_ADMIN too (untrusted profiles need none). */
int priv_drop_capabilities(struct priv *p, char *why, size_t whylen);

/*
 * Makes CAP_SYS_ADMIN effective right before a trusted profile is
 * attached without no_new_privs (PRIV_SETUID; root has it already).
 */
int priv_raise_for_load(struct priv *p, char *why, size_t whylen);

/* prctl(PR_SET_NO_NEW_PRIVS), for untrusted profiles. */
int priv_set_no_new_privs(char *why, size_t whylen);

/* Can this process attach a filter without no_new_privs? */
bool priv_can_load_trusted(const struct priv *p);

#endif
