/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_LIBRARY_H
#define SYSFENCE_COMPILE_LIBRARY_H

#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/policy.h"

/*
 * The files @include reads (the I/O behind struct policy_includer) and
 * the library of shipped policies (share/sysfence/include: base.policy,
 * runtime.policy), which bare names (@include base) come from.
 */

/* Where make install puts the library (the Makefile passes DATADIR's). */
#ifndef SYSFENCE_INCLUDE_DIR
#define SYSFENCE_INCLUDE_DIR "/usr/local/share/sysfence/include"
#endif

/*
 * The library folder: $SYSFENCE_INCLUDE_DIR when set and not empty (the
 * build tree's share/include for the tests), else the folder make install
 * fills, compiled in.
 */
const char *library_default_dir(void);

/*
 * policy_includer.read: opens path without blocking and without following
 * a terminal, checks that very descriptor (a regular file of at most max
 * bytes: a folder, a FIFO or a device is refused before anything is read)
 * and reads it.  key is (st_dev, st_ino).
 */
int library_read(void *ctx, const char *path, size_t max, char **text, size_t *len,
		 uint64_t key[2]);

#endif
