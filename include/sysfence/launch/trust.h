/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LAUNCH_TRUST_H
#define SYSFENCE_LAUNCH_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The one place that decides whether a profile is trusted.
 *
 * A profile NAME (no '/') is read from the trusted store: every folder
 * from '/' down and the file itself owned by root and not writable by
 * group or others, nothing followed through a symlink, the file regular,
 * single-link and small enough, read through the descriptor that was
 * checked.  A profile PATH (contains '/') is untrusted: read with the
 * caller's rights and loaded under no_new_privs.
 *
 * Both readers are called after the privilege drop, so they read nothing
 * the caller could not.  Errors never include file contents.
 */

#define TRUST_NAME_MAX 255u

enum trust_kind {
	TRUST_STORE_NAME, /* trusted: from the store */
	TRUST_USER_PATH,  /* untrusted: loaded with no_new_privs */
};

struct trust_profile {
	uint8_t *data; /* malloc'ed, free with trust_profile_free */
	size_t len;
	enum trust_kind kind;
};

/* A path when it contains '/', otherwise a name. */
enum trust_kind trust_classify(const char *arg);

/* [A-Za-z0-9][A-Za-z0-9._+-]*, at most TRUST_NAME_MAX bytes. */
bool trust_name_valid(const char *name);

/*
 * Opens DIR/NAME.bin walking from '/' (DIR must be absolute, without '.'
 * or '..' components), checks and reads it.  Returns 0, -ENOENT when a
 * folder or the file does not exist (so the caller may wait), or another
 * negative errno; why always says what failed.
 */
int trust_read_store(const char *dir, const char *name, struct trust_profile *out, char *why,
		     size_t whylen);

/* Reads an untrusted profile by path.  Same contract. */
int trust_read_path(const char *path, struct trust_profile *out, char *why, size_t whylen);

/*
 * Reads exactly `size` bytes from fd until end of file: -EIO when the file
 * turns out longer or shorter (it changed under us).  Never reads more than
 * size + 1 bytes.  *out is malloc'ed.
 */
int trust_read_exact(int fd, size_t size, uint8_t **out);

void trust_profile_free(struct trust_profile *p);

#endif
