/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_ARGTYPES_H
#define SYSFENCE_COMPILE_ARGTYPES_H

#include <stdbool.h>

/*
 * How many low bits of a syscall argument the kernel reads.  An argument
 * declared int, unsigned int, pid_t, uid_t, gid_t, ... in the kernel's
 * SYSCALL_DEFINE is truncated to 32 bits by the syscall wrapper; umode_t to
 * 16.  Comparing all 64 bits of such an argument lets a caller set the upper
 * bits to slip past a rule (CVE-2019-7303: ioctl(fd, (1<<32)|TIOCSTI)), so the
 * compiler compares only these bits.  Unknown syscalls and arguments: 64.
 */
unsigned argtypes_width(const char *syscall, unsigned arg);

/*
 * Is the argument signed (int, pid_t) or an id (uid_t/gid_t, where -1 means
 * "unchanged")?  Negative numbers are accepted only for such arguments and
 * stand for their two's complement in the argument's width.
 */
bool argtypes_accepts_negative(const char *syscall, unsigned arg);

#endif
