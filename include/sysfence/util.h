/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_UTIL_H
#define SYSFENCE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * FNV-1a, 64 bits: the hash of the compiler's and the tools' open-addressing
 * sets (names, records, serials).  Start from FNV1A64_INIT, chain calls to
 * hash several fields.  Not for anything an attacker must not collide.
 */
#define FNV1A64_INIT UINT64_C(0xcbf29ce484222325)
uint64_t fnv1a64(uint64_t h, const void *p, size_t n);

/*
 * Writes a reason into why (when not NULL) and returns -1: the error
 * convention of the launcher's modules ("return util_fail(why, ...)").
 */
int util_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int util_vfail(char *why, size_t whylen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * Reads into buf[0..room) until at least want bytes are in (want <= room)
 * or the input ends, with at least one read(2); a read a signal
 * interrupts is made again.  Returns the bytes read (fewer than want: the
 * end was reached), or a negative errno.  want 1 is one read's worth.
 */
ssize_t fd_read_upto(int fd, void *buf, size_t want, size_t room);

/*
 * Reads everything from an open descriptor, at most max bytes: stops
 * reading once past max, so an endless input costs max bytes.  Returns 0,
 * or a negative errno (-EFBIG when larger than max).  *buf is malloc'ed
 * with one extra NUL byte after *len.
 */
int fd_read_all(int fd, size_t max, char **buf, size_t *len);

#endif
