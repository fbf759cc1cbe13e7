/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_DISASM_H
#define SYSFENCE_TOOLS_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/bpf.h"
#include "sysfence/tools/input.h"

/*
 * --disasm: classic BPF as people read it.  Every jump target gets a label
 * (L<index>), RETs show the action by name, loads name the seccomp_data
 * field, and comparisons of the architecture or of the syscall number get
 * the architecture or syscall name as a comment (the architecture is
 * followed through the dispatcher, so each section is named in its own
 * numbering).
 */
void disasm_program(FILE *out, const struct sock_filter *p, size_t len);

/* The header of a blob (or what a raw program or a policy gives) and both
 * programs. */
void disasm_input(FILE *out, const struct tool_input *in);

#endif
