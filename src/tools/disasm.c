// SPDX-License-Identifier: MIT
/*
 * --disasm.  A forward pass over the program (seccomp programs only jump
 * forward) records, for every instruction, what the accumulator holds and
 * which architecture every path to it has matched; the printer uses that to
 * name syscall numbers in the right table.
 */
#include "sysfence/tools/disasm.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/digest.h"

#define A_NOTHING UINT32_MAX /* the accumulator's source is unknown/mixed */

enum arch_state {
	ARCH_UNSET,
	ARCH_KNOWN,
	ARCH_MIXED
};

struct pc_info {
	bool reached, target;
	uint8_t arch_state;
	uint32_t arch;
	uint32_t a_src; /* seccomp_data offset last loaded, or A_NOTHING */
	bool a_masked;
};

static void merge(struct pc_info *to, const struct pc_info *from, bool arch_known, uint32_t arch)
{
	uint8_t st = arch_known ? ARCH_KNOWN : from->arch_state;
	uint32_t a = arch_known ? arch : from->arch;

	if (!to->reached) {
		to->reached = true;
		to->arch_state = st;
		to->arch = a;
		to->a_src = from->a_src;
		to->a_masked = from->a_masked;
		return;
	}
	if (to->arch_state != st || (st == ARCH_KNOWN && to->arch != a))
		to->arch_state = ARCH_MIXED;
	if (to->a_src != from->a_src)
		to->a_src = A_NOTHING;
	to->a_masked |= from->a_masked;
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static void analyse(const struct sock_filter *p, size_t len, struct pc_info *info)
{
	info[0].reached = true;
	info[0].arch_state = ARCH_MIXED; /* unknown until compared */
	info[0].a_src = A_NOTHING;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &p[pc];
		struct pc_info cur = info[pc];
		size_t t, f;

		if (!cur.reached)
			continue;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			cur.a_src = BPF_MODE(i->code) == BPF_ABS ? i->k : A_NOTHING;
			cur.a_masked = false;
			if (pc + 1 < len)
				merge(&info[pc + 1], &cur, false, 0);
			break;
		case BPF_ALU:
			cur.a_masked = true;
			if (pc + 1 < len)
				merge(&info[pc + 1], &cur, false, 0);
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				t = pc + 1 + (size_t)i->k;
				if (t < len) {
					merge(&info[t], &cur, false, 0);
					info[t].target = true;
				}
				break;
			}
			t = pc + 1 + i->jt;
			f = pc + 1 + i->jf;
			if (t < len) {
				/* A taken JEQ on [arch] pins the architecture. */
				bool pin = BPF_OP(i->code) == BPF_JEQ &&
					   BPF_SRC(i->code) == BPF_K && cur.a_src == BPF_OFF_ARCH &&
					   !cur.a_masked;

				merge(&info[t], &cur, pin, i->k);
				info[t].target = true;
			}
			if (f < len) {
				merge(&info[f], &cur, false, 0);
				info[f].target = true;
			}
			break;
		default: /* RET */
			break;
		}
	}
}

static const char *jump_name(uint16_t code)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		return "jeq";
	case BPF_JGT:
		return "jgt";
	case BPF_JGE:
		return "jge";
	case BPF_JSET:
		return "jset";
	}
	return "j?";
}

static void print_insn(FILE *out, const struct sock_filter *p, size_t pc,
		       const struct pc_info *info)
{
	const struct sock_filter *i = &p[pc];
	const struct pc_info *in = &info[pc];
	uint32_t arch = in->arch_state == ARCH_KNOWN ? in->arch : 0;
	char label[16] = "", ops[128] = "", comment[96] = "", buf[32];
	const char *mn = "?";

	if (in->target)
		snprintf(label, sizeof(label), "L%zu:", pc);
	switch (i->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		mn = "ld";
		snprintf(ops, sizeof(ops), "[%s]", tool_offset_name(arch, i->k, buf, sizeof(buf)));
		break;
	case BPF_ALU | BPF_AND | BPF_K:
		mn = "and";
		snprintf(ops, sizeof(ops), "#0x%x", i->k);
		break;
	case BPF_JMP | BPF_JA:
		mn = "ja";
		snprintf(ops, sizeof(ops), "L%zu", pc + 1 + (size_t)i->k);
		break;
	case BPF_RET | BPF_K:
		mn = "ret";
		bpf_action_name(i->k, ops, sizeof(ops));
		break;
	default:
		if (is_cond_jump(i->code) && BPF_SRC(i->code) == BPF_K) {
			bool is_arch = in->a_src == BPF_OFF_ARCH && !in->a_masked;
			bool is_nr = in->a_src == BPF_OFF_NR && !in->a_masked;

			mn = jump_name(i->code);
			if (is_arch || i->k >= 4096)
				snprintf(buf, sizeof(buf), "#0x%x", i->k);
			else
				snprintf(buf, sizeof(buf), "#%u", i->k);
			snprintf(ops, sizeof(ops), "%s, L%zu, L%zu", buf, pc + 1 + i->jt,
				 pc + 1 + i->jf);
			if (is_arch && syscalls_arch_name(i->k)) {
				snprintf(comment, sizeof(comment), "%s", syscalls_arch_name(i->k));
			} else if (is_nr && arch && BPF_OP(i->code) != BPF_JSET) {
				char name[64];

				if (syscalls_name(arch, (int)i->k, name, sizeof(name)))
					snprintf(comment, sizeof(comment), "%s", name);
			}
			break;
		}
		snprintf(ops, sizeof(ops), "code=0x%04x jt=%u jf=%u k=0x%x", i->code, i->jt, i->jf,
			 i->k);
		break;
	}
	if (*comment)
		fprintf(out, "%-7s%5zu  %-5s %-30s ; %s\n", label, pc, mn, ops, comment);
	else
		fprintf(out, "%-7s%5zu  %-5s %s\n", label, pc, mn, ops);
}

void disasm_program(FILE *out, const struct sock_filter *p, size_t len)
{
	struct pc_info *info;

	if (!len)
		return;
	info = calloc(len, sizeof(*info));
	if (!info) {
		fputs("(out of memory)\n", out);
		return;
	}
	analyse(p, len, info);
	for (size_t pc = 0; pc < len; pc++)
		print_insn(out, p, pc, info);
	free(info);
}

static void print_arches(FILE *out, const struct blob *b)
{
	for (uint32_t i = 0; i < b->narches; i++) {
		const char *n = syscalls_arch_name(b->arches[i]);

		fprintf(out, "%s%s (0x%08x)", i ? ", " : "", n ? n : "unknown", b->arches[i]);
	}
	fputc('\n', out);
}

void disasm_input(FILE *out, const struct tool_input *in)
{
	const struct blob *b = &in->blob;
	char hex[2 * DIGEST_SIZE + 1], act[32];
	uint32_t def = b->mode == SF_MODE_COMPLAIN ? SECCOMP_RET_LOG : SECCOMP_RET_ERRNO | EPERM;

	switch (in->kind) {
	case TOOL_INPUT_BLOB:
		fprintf(out, "profile:       %s\n", in->name);
		fprintf(out, "format:        sysfence blob version %u\n", BLOB_VERSION);
		break;
	case TOOL_INPUT_POLICY:
		fprintf(out, "policy:        %s (compiled now, not written)\n", in->name);
		break;
	case TOOL_INPUT_RAW:
		fprintf(out, "raw program:   %s (struct sock_filter[], no header)\n", in->name);
		fprintf(out, "check:         %s%s\n", *in->raw_why ? "FAILS: " : "passes",
			in->raw_why);
		fputs("architectures: ", out);
		print_arches(out, b);
		break;
	}
	if (in->kind != TOOL_INPUT_RAW) {
		fprintf(out, "mode:          %s\n", sf_mode_name(b->mode));
		fputs("architectures: ", out);
		print_arches(out, b);
		fprintf(out, "programs:      deny %u instructions, allow %u instructions\n",
			b->deny.len, b->allow.len);
		if (!b->nbindings)
			fputs("bound to:      no program (always loaded with no_new_privs)\n", out);
		for (uint32_t i = 0; i < b->nbindings; i++)
			fprintf(out, "bound to:      %s\n", blob_binding(b, i));
		if (in->kind == TOOL_INPUT_BLOB) {
			digest_hex(b->digest, hex);
			fprintf(out, "digest:        sha256:%s (verified)\n", hex);
		}
		digest_hex(b->source_digest, hex);
		fprintf(out, "source digest: sha256:%s\n", hex);
		fprintf(out, "compiled by:   sysfence %s, libseccomp %s\n", b->compiler_version,
			b->libseccomp_version);
	}
	if (b->mode == SF_MODE_UNRESTRICTED) {
		fputs("\n@unrestricted: no program, nothing is loaded\n", out);
		return;
	}
	if (b->deny.len) {
		fprintf(out,
			"\ndeny program: %u instructions, attached first "
			"(explicit denials; default ALLOW)\n",
			b->deny.len);
		disasm_program(out, b->deny.insns, b->deny.len);
	} else if (in->kind != TOOL_INPUT_RAW) {
		fputs("\ndeny program: none (explicit denials, if any, are in the one program)\n",
		      out);
	}
	if (in->kind == TOOL_INPUT_RAW)
		fprintf(out, "\nprogram: %u instructions\n", b->allow.len);
	else
		fprintf(out, "\nallow program: %u instructions, attached last (default %s)\n",
			b->allow.len,
			b->mode == SF_MODE_COMPLAIN ? "LOG"
						    : bpf_action_name(def, act, sizeof(act)));
	disasm_program(out, b->allow.insns, b->allow.len);
}
