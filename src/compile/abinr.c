// SPDX-License-Identifier: MIT
/*
 * The ABI model (abi.c, pure data and rules) joined with the syscall
 * tables (syscalls.c): where the multiplexers are on an ABI, and the rules
 * that decide one syscall number.  Declared in abi.h; kept apart so that
 * the model stays data and the tables may read it (syscalls.c lists the
 * ABIs from abi_all()) without the two needing each other.
 */
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/abi.h"
#include "sysfence/compile/syscalls.h"

int abi_mux_nr(const struct abi *a, enum abi_mux m)
{
	const char *name = abi_mux_name(m);

	return name ? syscalls_nr(a->token, name) : -1;
}

enum abi_mux abi_mux_at(const struct abi *a, uint32_t nr)
{
	int s = abi_mux_nr(a, ABI_MUX_SOCKETCALL), i = abi_mux_nr(a, ABI_MUX_IPC);

	if (s >= 0 && (uint32_t)s == nr)
		return ABI_MUX_SOCKETCALL;
	if (i >= 0 && (uint32_t)i == nr)
		return ABI_MUX_IPC;
	return ABI_MUX_NONE;
}

long abi_rules_for(const struct abi *a, const struct policy *pol, uint32_t nr,
		   struct abi_rule **out)
{
	char name[64];
	enum abi_mux mux = abi_mux_at(a, nr);
	struct abi_rule *list = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!syscalls_name(a->token, (int)nr, name, sizeof(name)))
		return 0;
	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];
		uint32_t call;
		bool direct = !strcmp(r->name, name);

		if (!direct && (mux == ABI_MUX_NONE || abi_mux_of(r->name, &call) != mux))
			continue;
		if (ARRAY_GROW(&list, &cap, n + 1)) {
			free(list);
			return -1;
		}
		if (direct ? abi_lower(a, r, &list[n]) != ABI_RULE_NEVER
			   : abi_lower_mux(a, r, mux, call, &list[n]))
			n++;
	}
	*out = list;
	return (long)n;
}
