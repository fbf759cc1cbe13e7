/* SPDX-License-Identifier: MIT */
/*
 * libsysfence: load a compiled sysfence profile (a blob written by
 * sysfence-compile) into the calling thread, exactly as sysfence-launch
 * does, with the launcher's own code: the blob is verified (size, format
 * version, SHA-256 digest, a static check of every BPF program, the
 * running architecture), the kernel is asked what it supports, actions it
 * lacks are rewritten to the nearest it has (LOG to ALLOW without
 * SECCOMP_RET_LOG, KILL_PROCESS to KILL_THREAD), and the filters are
 * attached with the best flags it has (SECCOMP_FILTER_FLAG_LOG: denials
 * reach the audit log), after proving that the kernel itself answers the
 * attach.
 *
 * Fail closed: any return but SYSFENCE_OK means "do not run the program".
 * SYSFENCE_ERR_ARGUMENT to SYSFENCE_ERR_NO_NEW_PRIVS and
 * SYSFENCE_ERR_NO_MEMORY leave the process as it was (the blob is verified
 * before anything changes).  SYSFENCE_ERR_ATTACH: no filter is attached
 * (no_new_privs is set when the flag asked for it).  SYSFENCE_ERR_PARTIAL:
 * a filter is attached but not the whole profile.  SYSFENCE_ERR_FAKED: a
 * filter above the process answers seccomp() falsely; nothing about it
 * can be believed.
 *
 * Link with `pkg-config --cflags --libs sysfence`; see libsysfence(3).
 */
#ifndef SYSFENCE_H
#define SYSFENCE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of sysfence_load_fd() and sysfence_load_buffer(). */
/*
 * Set no_new_privs (prctl(PR_SET_NO_NEW_PRIVS)) once the blob has been
 * verified, before attaching.  Without it the caller must have set
 * no_new_privs or hold CAP_SYS_ADMIN, or the kernel refuses the attach.
 */
#define SYSFENCE_LOAD_NO_NEW_PRIVS 0x1u

/* The results: 0, or one of these negative values. */
enum sysfence_result {
	SYSFENCE_OK = 0,
	SYSFENCE_ERR_ARGUMENT = -1,	/* unknown flag, no buffer */
	SYSFENCE_ERR_READ = -2,		/* the descriptor could not be read */
	SYSFENCE_ERR_BLOB = -3,		/* not a valid blob: nothing attached */
	SYSFENCE_ERR_ARCH = -4,		/* not compiled for this architecture */
	SYSFENCE_ERR_KERNEL = -5,	/* seccomp answered outside its contract */
	SYSFENCE_ERR_NO_NEW_PRIVS = -6, /* no_new_privs could not be set */
	SYSFENCE_ERR_ATTACH = -7,	/* the kernel refused the filter: none attached */
	SYSFENCE_ERR_PARTIAL = -8,	/* the first of two filters is attached, not the second */
	SYSFENCE_ERR_FAKED = -9, /* a filter above fakes seccomp(): nothing can be believed */
	SYSFENCE_ERR_NO_MEMORY = -10,
};

/*
 * Reads a blob from fd, from its current offset to the end of the file
 * (a blocking descriptor: a file, a pipe, a memfd; fd is not closed), and
 * loads it as sysfence_load_buffer() does.  A descriptor that cannot be
 * read is SYSFENCE_ERR_READ; more bytes than a blob can hold,
 * SYSFENCE_ERR_BLOB.
 */
int sysfence_load_fd(int fd, unsigned int flags, char *why, size_t whylen);

/*
 * Verifies the len bytes at buf as a blob and attaches its filters to the
 * calling thread (seccomp(2) filters belong to a thread and are inherited
 * by its children and kept across execve: call it in the thread that will
 * exec, before other threads exist).  An unrestricted profile attaches
 * nothing.  Returns SYSFENCE_OK, or a negative sysfence_result with a
 * one-line reason in why (may be NULL).
 */
int sysfence_load_buffer(const void *buf, size_t len, unsigned int flags, char *why, size_t whylen);

/* A short description of a result ("not a valid sysfence profile", ...). */
const char *sysfence_strerror(int result);

/* The library's version, "0.1.0". */
const char *sysfence_version(void);

#ifdef __cplusplus
}
#endif

#endif
