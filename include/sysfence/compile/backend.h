/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_BACKEND_H
#define SYSFENCE_COMPILE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/bpf.h"
#include "sysfence/compile/diag.h"
#include "sysfence/compile/policy.h"

/*
 * Resolved rules in, BPF programs out.
 */

/*
 * Compiles the policy for the given architectures.  deny is left empty when
 * the policy has no '~' rule.  Returns 0, or -1 with errors in diags.
 */
int backend_compile(const struct policy *pol, const uint32_t *arches, size_t narches,
		    struct bpf_prog *deny, struct bpf_prog *allow, struct diag_list *diags);

#endif
