/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_UTIL_H
#define SYSFENCE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Writes a reason into why (when not NULL) and returns -1: the error
 * convention of the launcher's modules ("return util_fail(why, ...)").
 */
int util_fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int util_vfail(char *why, size_t whylen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
