/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_CODEGEN_H
#define SYSFENCE_COMPILE_CODEGEN_H

#include <stddef.h>
#include <stdint.h>

#include "sysfence/bpf.h"
#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"

/*
 * Rules in, one BPF program out, every instruction generated here from the
 * ABI model (abi.h):
 *
 *     ld [arch]; jeq ARCH0 -> section 0; jeq ARCH1 -> section 1; ...
 *     ret KILL_PROCESS                      any other architecture
 *   section: ld [nr]; a range tree over the numbers (rangetree.h) whose
 *     leaves are shared RETs (ALLOW, the mode's default, ENOSYS for numbers
 *     the table does not know and for clone3, KILL_PROCESS for x32) or the
 *     argument checks of one syscall (block.h), explicit denials first.
 *
 * An unconditional allow is decided from arch and nr alone, so the kernel's
 * action cache skips the filter for it.  An @unrestricted policy has no
 * program (len 0).  Returns 0, or -1 with errors in diags.
 */
int codegen_compile(const struct policy *pol, const uint32_t *arches, size_t narches,
		    struct bpf_prog *out, struct diag_list *diags);

#endif
