/* SPDX-License-Identifier: MIT */
/*
 * The i386 system call ABI from a 64-bit x86 program: `int $0x80` enters
 * the kernel's compat path (seccomp sees AUDIT_ARCH_I386 and i386 numbers),
 * so the compat filters are tested for real without a multilib toolchain.
 * Arguments go in ebx, ecx, edx, esi, edi, ebp (32 bits each); the result
 * is in eax, -errno on failure.  Linux must have IA32_EMULATION (and not
 * boot with ia32_emulation=0): int80_available() says whether it does.
 */
#ifndef SYSFENCE_TESTS_INT80_H
#define SYSFENCE_TESTS_INT80_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__x86_64__)
#define HAVE_INT80 1

static inline long int80_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
				 uint32_t a4, uint32_t a5)
{
	register uint64_t r8 __asm__("r8") = a5;
	uint32_t ret;

	/*
	 * ebp may be the frame pointer: kept in r9 meanwhile (not on the
	 * stack, which would overwrite the red zone of a leaf function).
	 * Older kernels zeroed r8-r11 on the way back: all taken as clobbered.
	 */
	__asm__ volatile("mov %%rbp, %%r9\n\t"
			 "mov %%r8d, %%ebp\n\t"
			 "int $0x80\n\t"
			 "mov %%r9, %%rbp"
			 : "=a"(ret), "+r"(r8)
			 : "0"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3), "D"(a4)
			 : "memory", "cc", "r9", "r10", "r11");
	return (long)(int32_t)ret;
}

/* getpid through the compat ABI (i386 number 20) works here? */
static inline bool int80_available(void)
{
	return int80_syscall(20, 0, 0, 0, 0, 0, 0) > 0;
}
#else
#define HAVE_INT80 0

static inline long int80_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
				 uint32_t a4, uint32_t a5)
{
	(void)nr, (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return -38; /* ENOSYS */
}

static inline bool int80_available(void)
{
	return false;
}
#endif

#endif
