// SPDX-License-Identifier: MIT
#include "sysfence/util.h"

#include <stdio.h>
#include <string.h>

int util_vfail(char *why, size_t whylen, const char *fmt, va_list ap)
{
	if (why && whylen)
		vsnprintf(why, whylen, fmt, ap);
	return -1;
}

int util_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}
