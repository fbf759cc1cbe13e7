/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_BLOCK_H
#define SYSFENCE_COMPILE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/emit.h"

/*
 * The argument checks of one syscall on one ABI ("block"): the rules that
 * decide it, lowered by abi_lower(), in; code that returns ERRNO(EACCES)
 * when an explicit denial matches, else ALLOW when an allow rule matches,
 * else `dflt`, out.
 *
 * The checks are a decision diagram: the argument most rules constrain is
 * loaded once and a range tree over its values leads to what the other
 * arguments still have to decide (so ten `ioctl - CMD` lines cost a few
 * comparisons, not ten).  When that would grow too large, the rules are
 * tested one after the other instead.
 */

/*
 * Sorts and de-duplicates rules (denials first), in place; returns how
 * many are left.  Two rule lists that mean the same then compare equal.
 */
size_t block_normalize(struct abi_rule *rules, size_t n);

/* Emits the block; returns its entry. */
emit_target block_emit(struct emit *e, const struct abi *a, const struct abi_rule *rules, size_t n,
		       uint32_t dflt);

#endif
