/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_TRUST_H
#define SYSFENCE_LAUNCH_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sysfence/blob.h"

/*
 * The one place that decides what is trusted.
 *
 * A profile NAME (no '/') is read from the trusted store: "/", every
 * folder down to the store and the file itself owned by root and not
 * writable by group or others, no symlink anywhere, the file regular,
 * single-link and small enough, read through the descriptor that was
 * checked.  A profile PATH (contains '/') is untrusted: read with the
 * caller's rights and loaded under no_new_privs.
 *
 * A trusted profile is attached without no_new_privs only for a program
 * it is bound to (trust_program_bound).
 *
 * Everything here runs after the privilege drop, so it reads nothing the
 * caller could not.  Errors never include file contents.
 */

/* NAME.bin must fit a file name: see BLOB_NAME_MAX. */
#define TRUST_NAME_MAX BLOB_NAME_MAX

/*
 * How many times a store file renamed over (or removed) between its open
 * and its fstat is opened again before the last one read is kept.
 */
#define TRUST_REPLACED_RETRIES 8u

enum trust_kind {
	TRUST_STORE_NAME, /* trusted: from the store */
	TRUST_USER_PATH,  /* untrusted: loaded with no_new_privs */
};

struct trust_profile {
	uint8_t *data; /* malloc'ed, free with trust_profile_free */
	size_t len;
	enum trust_kind kind;
	unsigned reopened; /* store file found replaced and opened again */
};

/* A path when it contains '/', otherwise a name. */
enum trust_kind trust_classify(const char *arg);

/* [A-Za-z0-9][A-Za-z0-9._+-]*, at most TRUST_NAME_MAX bytes. */
bool trust_name_valid(const char *name);

/*
 * Checks "/" and every folder of DIR (absolute, without '.' or '..'
 * components), then opens, checks and reads DIR/NAME.bin.  A file found
 * with no link left (renamed over by an atomic upgrade between open and
 * fstat) is opened again, up to TRUST_REPLACED_RETRIES times, so an
 * upgrade never refuses a valid profile: the result is the old file or
 * the new one, each whole.  Returns 0, -ENOENT when a folder or the file
 * does not exist (so the caller may wait), or another negative errno; why
 * always says what failed.
 */
int trust_read_store(const char *dir, const char *name, struct trust_profile *out, char *why,
		     size_t whylen);

/* Reads an untrusted profile by path.  Same contract. */
int trust_read_path(const char *path, struct trust_profile *out, char *why, size_t whylen);

/*
 * Reads exactly `size` bytes from fd: -EIO when the file turns out longer
 * or shorter (it changed under us).  Never reads more than size + 1 bytes;
 * a read returning exactly `size` ends it (a regular file gives all it has
 * up to the count).  *out is malloc'ed.
 */
int trust_read_exact(int fd, size_t size, uint8_t **out);

void trust_profile_free(struct trust_profile *p);

/*
 * May the trusted profile b be attached without no_new_privs for the
 * program the launcher opened as the caller (fd; readable: opened for
 * reading, not O_PATH)?  Only when all of these hold:
 *   - executing it raises privileges (setuid/setgid of another owner or
 *     group, or file capabilities, not on a nosuid mount), so the kernel
 *     runs it in secure-execution mode and the caller cannot steer it;
 *     a root caller (uid 0) needs no such rule;
 *   - it is not a script (#!), whose interpreter runs unprivileged;
 *   - its device and inode are those of a binding, each resolved from '/'
 *     through root-owned folders that are not group/other writable
 *     (root-owned symlinks followed: /bin -> usr/bin), to a regular file
 *     that is root-owned and not group/other writable.
 * why says which way it went and why, for SYSFENCE_DEBUG.  Any doubt is
 * "not bound": the profile then loads with no_new_privs.
 */
bool trust_program_bound(const struct blob *b, int fd, bool readable, uid_t uid, gid_t gid,
			 char *why, size_t whylen);

#endif
