// SPDX-License-Identifier: MIT
/*
 * The JSON side of --from-oci: json-c parses the text (strict, UTF-8
 * checked); this file checks every field's type and value and fills an
 * oci_profile.  A field of the wrong type, an unknown field, action,
 * operator, architecture or capability, or a value out of range is an
 * error naming the field (syscalls[3].args[0].op), with a suggestion when
 * one is close; nothing unchecked goes on to oci.c.  The checks of a
 * single value (types, ranges, names) are ocifield.c's; this file knows
 * the profile's structure.
 *
 * Accepted shapes: moby's profile format (Docker's default.json: archMap,
 * names/name, includes/excludes, comment), the runtime-spec LinuxSeccomp
 * object, containers/common's additions (errno, defaultErrno by name), and
 * a whole runtime config.json, whose linux.seccomp is read.
 */
#include "sysfence/tools/ocijson.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/tools/oci.h"
#include "sysfence/tools/ocifield.h"
#include "sysfence/util.h"

#define JSON_DEPTH 32

/* ---- names of operators and flags ---- */

static const char *const op_names[] = {
	[OCI_OP_NE] = "SCMP_CMP_NE",
	[OCI_OP_LT] = "SCMP_CMP_LT",
	[OCI_OP_LE] = "SCMP_CMP_LE",
	[OCI_OP_EQ] = "SCMP_CMP_EQ",
	[OCI_OP_GE] = "SCMP_CMP_GE",
	[OCI_OP_GT] = "SCMP_CMP_GT",
	[OCI_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

static const char *const flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

static void position(const struct oci_reader *rd, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < rd->len; i++) {
		if (rd->src[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void fail_at(struct oci_reader *rd, size_t off, const char *msg)
{
	unsigned line, col;

	position(rd, off, &line, &col);
	diag_add(rd->d, DIAG_ERROR, line, col, "%s", msg);
}

/* ---- the parts of a profile ---- */

static int read_filter(struct oci_reader *rd, struct json_object *v, const char *path,
		       struct oci_filter *f)
{
	static const char *const fields[] = { "caps", "arches", "minKernel" };
	struct json_object *caps, *arches, *kernel;
	char p[192];
	bool x32 = false;
	int rc = 0;

	if (ocifield_absent(v))
		return 0;
	if (!ocifield_want(rd, v, json_type_object, path, "an object") ||
	    !ocifield_known(rd, v, path, fields, ARRAY_SIZE(fields)))
		return -1;
	if (json_object_object_get_ex(v, "caps", &caps) && !ocifield_absent(caps)) {
		size_t n, used = 0;

		snprintf(p, sizeof(p), "%s.caps", path);
		if (!ocifield_want(rd, caps, json_type_array, p, "an array of capability names"))
			return -1;
		n = json_object_array_length(caps);
		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(caps, i);
			char pe[256], name[64];
			size_t len;
			const char *s;
			int cap, w;

			snprintf(pe, sizeof(pe), "%s[%zu]", p, i);
			s = ocifield_string(rd, e, pe, &len);
			if (!s) {
				rc = -1;
				continue;
			}
			cap = len < sizeof(name) && !memchr(s, 0, len) ? oci_cap_number(s) : -1;
			if (cap < 0) {
				ocifield_fail(rd, "%s: unknown capability '%s'", pe,
					      ocifield_clean(s, len, name, sizeof(name)));
				rc = -1;
				continue;
			}
			f->caps |= UINT64_C(1) << cap;
			w = snprintf(f->caps_text + used, sizeof(f->caps_text) - used, "%s%s",
				     used ? " " : "", s);
			if (w > 0 && (size_t)w < sizeof(f->caps_text) - used)
				used += (size_t)w;
		}
	}
	if (json_object_object_get_ex(v, "arches", &arches) && !ocifield_absent(arches)) {
		snprintf(p, sizeof(p), "%s.arches", path);
		f->has_arches = json_object_is_type(arches, json_type_array) &&
				json_object_array_length(arches) > 0;
		if (ocifield_arches(rd, arches, p, f->arches, &f->narches, &x32, f->arches_text,
				    sizeof(f->arches_text)))
			rc = -1;
	}
	if (json_object_object_get_ex(v, "minKernel", &kernel) && !ocifield_absent(kernel)) {
		size_t len;
		const char *s;
		unsigned long k[2];
		char *end, b[64];

		snprintf(p, sizeof(p), "%s.minKernel", path);
		s = ocifield_string(rd, kernel, p, &len);
		if (!s)
			return -1;
		if (!len) /* moby: "" means no condition */
			return rc;
		/* moby: exactly "<kernel>.<major>", each 0..255, not 0.0. */
		errno = 0;
		k[0] = isdigit((unsigned char)s[0]) ? strtoul(s, &end, 10) : 256;
		k[1] = k[0] < 256 && *end == '.' && isdigit((unsigned char)end[1])
			       ? strtoul(end + 1, &end, 10)
			       : 256;
		if (errno || k[0] > 255 || k[1] > 255 || (size_t)(end - s) != len ||
		    (!k[0] && !k[1])) {
			ocifield_fail(
				rd,
				"%s: '%s' is not a kernel version \"<kernel>.<major>\" (e.g. \"4.8\")",
				p, ocifield_clean(s, len, b, sizeof(b)));
			return -1;
		}
		f->has_kernel = true;
		f->kernel[0] = (unsigned)k[0];
		f->kernel[1] = (unsigned)k[1];
	}
	return rc;
}

static bool valid_name(const char *s, size_t n)
{
	if (!n || n >= POLICY_NAME_MAX || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

static int add_name(struct oci_reader *rd, struct oci_rule *r, struct json_object *v,
		    const char *path)
{
	size_t n;
	const char *s = ocifield_string(rd, v, path, &n);
	char b[80];

	if (!s)
		return -1;
	if (!valid_name(s, n)) {
		ocifield_fail(rd, "%s: '%s' is not a system call name", path,
			      ocifield_clean(s, n, b, sizeof(b)));
		return -1;
	}
	memcpy(r->names[r->nnames], s, n);
	r->names[r->nnames++][n] = '\0';
	return 0;
}

static int read_names(struct oci_reader *rd, struct oci_rule *r, struct json_object *obj,
		      const char *path)
{
	struct json_object *names = NULL, *name = NULL;
	char p[192];
	size_t n = 0;

	json_object_object_get_ex(obj, "names", &names);
	json_object_object_get_ex(obj, "name", &name);
	if (!ocifield_absent(names) && !ocifield_absent(name)) {
		ocifield_fail(rd, "%s: both 'name' and 'names' are given; use one (as moby asks)",
			      path);
		return -1;
	}
	if (!ocifield_absent(names)) {
		snprintf(p, sizeof(p), "%s.names", path);
		if (!ocifield_want(rd, names, json_type_array, p, "an array of system call names"))
			return -1;
		n = json_object_array_length(names);
	} else if (!ocifield_absent(name)) {
		n = 1;
	}
	if (!n) {
		ocifield_fail(rd, "%s: no system call names ('names')", path);
		return -1;
	}
	r->names = calloc(n, sizeof(*r->names));
	if (!r->names) {
		ocifield_fail(rd, "out of memory");
		return -1;
	}
	if (ocifield_absent(names)) {
		snprintf(p, sizeof(p), "%s.name", path);
		return add_name(rd, r, name, p);
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s.names[%zu]", path, i);
		add_name(rd, r, json_object_array_get_idx(names, i), p);
	}
	if (r->nnames == 1)
		snprintf(r->label, sizeof(r->label), "%s", r->names[0]);
	else if (r->nnames)
		snprintf(r->label, sizeof(r->label), "%s, ... (%zu names)", r->names[0], r->nnames);
	return 0;
}

static int read_cond(struct oci_reader *rd, struct oci_rule *r, struct json_object *v,
		     const char *path)
{
	static const char *const fields[] = { "index", "value", "valueTwo", "op" };
	struct json_object *index, *value, *two = NULL, *op;
	struct oci_cond c = { 0 };
	char p[192];
	uint64_t i;
	size_t n;
	const char *s;
	int o;

	if (!ocifield_want(rd, v, json_type_object, path, "an object") ||
	    !ocifield_known(rd, v, path, fields, ARRAY_SIZE(fields)))
		return -1;
	if (!json_object_object_get_ex(v, "index", &index) ||
	    !json_object_object_get_ex(v, "value", &value) ||
	    !json_object_object_get_ex(v, "op", &op)) {
		ocifield_fail(rd, "%s: 'index', 'value' and 'op' are required", path);
		return -1;
	}
	snprintf(p, sizeof(p), "%s.index", path);
	if (!json_object_is_type(index, json_type_int) || json_object_get_int64(index) < 0 ||
	    json_object_get_int64(index) >= POLICY_MAX_ARGS) {
		if (json_object_is_type(index, json_type_int))
			ocifield_fail(rd, "%s: %lld is not an argument index (0 to %d)", p,
				      (long long)json_object_get_int64(index), POLICY_MAX_ARGS - 1);
		else
			ocifield_want(rd, index, json_type_int, p, "an argument index (0 to 5)");
		return -1;
	}
	if (ocifield_uint(rd, index, p, POLICY_MAX_ARGS - 1, &i))
		return -1;
	c.index = (unsigned)i;
	snprintf(p, sizeof(p), "%s.value", path);
	if (ocifield_uint(rd, value, p, UINT64_MAX, &c.value))
		return -1;
	snprintf(p, sizeof(p), "%s.valueTwo", path);
	if (json_object_object_get_ex(v, "valueTwo", &two) && !ocifield_absent(two) &&
	    ocifield_uint(rd, two, p, UINT64_MAX, &c.two))
		return -1;
	snprintf(p, sizeof(p), "%s.op", path);
	s = ocifield_string(rd, op, p, &n);
	if (!s)
		return -1;
	o = ocifield_lookup(s, n, op_names, ARRAY_SIZE(op_names));
	if (o < 0) {
		ocifield_fail_unknown(
			rd, p, "operator", s, n,
			ocifield_closest(s, n, op_names, ARRAY_SIZE(op_names), sizeof(*op_names)));
		return -1;
	}
	c.op = (enum oci_op)o;
	if (c.op != OCI_OP_MASKED_EQ && c.two)
		diag_add(rd->d, DIAG_WARNING, 0, 0,
			 "%s.valueTwo: %llu is ignored by %s (only SCMP_CMP_MASKED_EQ uses it)",
			 path, (unsigned long long)c.two, op_names[c.op]);
	if (c.op == OCI_OP_MASKED_EQ && (c.two & ~c.value))
		diag_add(rd->d, DIAG_WARNING, 0, 0,
			 "%s: valueTwo 0x%llx has bits outside the mask 0x%llx; libseccomp "
			 "ignores them, and so does the import",
			 path, (unsigned long long)c.two, (unsigned long long)c.value);
	for (unsigned k = 0; k < r->nconds; k++) {
		if (r->conds[k].index != c.index)
			continue;
		/*
		 * runc then adds each comparison as a rule of its own (OR),
		 * libseccomp alone refuses the rule (EINVAL), crun too.
		 */
		ocifield_fail(
			rd,
			"%s: argument %u is compared twice in one rule, which runtimes read "
			"differently (runc: either comparison, libseccomp: an error); write one "
			"rule per comparison",
			path, c.index);
		return -1;
	}
	r->conds[r->nconds++] = c;
	return 0;
}

static void describe_filter(char *out, size_t len, size_t *used, const char *what,
			    const struct oci_filter *f)
{
	int w = 0;

	if (f->caps_text[0])
		w = snprintf(out + *used, len - *used, "%s%s caps %s", *used ? "; " : "", what,
			     f->caps_text);
	if (w > 0 && (size_t)w < len - *used)
		*used += (size_t)w;
	w = 0;
	if (f->arches_text[0])
		w = snprintf(out + *used, len - *used, "%s%s arches %s", *used ? "; " : "", what,
			     f->arches_text);
	if (w > 0 && (size_t)w < len - *used)
		*used += (size_t)w;
	w = 0;
	if (f->has_kernel)
		w = snprintf(out + *used, len - *used, "%s%s minKernel %u.%u", *used ? "; " : "",
			     what, f->kernel[0], f->kernel[1]);
	if (w > 0 && (size_t)w < len - *used)
		*used += (size_t)w;
}

static void read_rule(struct oci_reader *rd, struct json_object *v, size_t index,
		      struct oci_rule *r)
{
	static const char *const fields[] = { "names", "name",	  "action",   "errnoRet", "errno",
					      "args",  "comment", "includes", "excludes" };
	struct json_object *x, *ret = NULL, *name = NULL;
	char path[64], p[128];
	bool given = false;
	size_t used = 0;

	memset(r, 0, sizeof(*r));
	r->index = index;
	snprintf(r->label, sizeof(r->label), "?");
	rd->rule = r;
	snprintf(path, sizeof(path), "syscalls[%zu]", index);
	if (!ocifield_want(rd, v, json_type_object, path, "an object"))
		return;
	ocifield_known(rd, v, path, fields, ARRAY_SIZE(fields));
	read_names(rd, r, v, path);
	snprintf(p, sizeof(p), "%s.action", path);
	if (!json_object_object_get_ex(v, "action", &x))
		ocifield_fail(rd, "%s: 'action' is required", path);
	else
		ocifield_action(rd, x, p, &r->act);
	json_object_object_get_ex(v, "errnoRet", &ret);
	json_object_object_get_ex(v, "errno", &name);
	snprintf(p, sizeof(p), "%s.errnoRet", path);
	if (!ocifield_errno(rd, ret, name, p, "errno", &given, &r->err) && given &&
	    r->act != OCI_ACT_ERRNO && r->act != OCI_ACT_TRACE && !r->bad)
		ocifield_fail(rd, "%s: an errno is only for SCMP_ACT_ERRNO (and SCMP_ACT_TRACE)",
			      path);
	if (!given)
		r->err = EPERM; /* runtime-spec: errnoRet defaults to EPERM */
	if (json_object_object_get_ex(v, "args", &x) && !ocifield_absent(x)) {
		snprintf(p, sizeof(p), "%s.args", path);
		if (ocifield_want(rd, x, json_type_array, p, "an array of argument conditions")) {
			size_t n = json_object_array_length(x);

			for (size_t i = 0; i < n; i++) {
				char pa[128];

				snprintf(pa, sizeof(pa), "%s.args[%zu]", path, i);
				read_cond(rd, r, json_object_array_get_idx(x, i), pa);
			}
		}
	}
	if (json_object_object_get_ex(v, "comment", &x) && !ocifield_absent(x)) {
		size_t n;
		const char *s;

		snprintf(p, sizeof(p), "%s.comment", path);
		s = ocifield_string(rd, x, p, &n);
		if (s)
			ocifield_clean(s, n, r->comment, sizeof(r->comment));
	}
	json_object_object_get_ex(v, "includes", &x);
	snprintf(p, sizeof(p), "%s.includes", path);
	read_filter(rd, x, p, &r->includes);
	x = NULL;
	json_object_object_get_ex(v, "excludes", &x);
	snprintf(p, sizeof(p), "%s.excludes", path);
	read_filter(rd, x, p, &r->excludes);
	describe_filter(r->filter_text, sizeof(r->filter_text), &used, "includes", &r->includes);
	describe_filter(r->filter_text, sizeof(r->filter_text), &used, "excludes", &r->excludes);
}

static void read_archmap(struct oci_reader *rd, struct json_object *v, struct oci_profile *p)
{
	size_t n = json_object_array_length(v);

	p->archmap = calloc(n ? n : 1, sizeof(*p->archmap));
	if (!p->archmap) {
		ocifield_fail(rd, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		static const char *const fields[] = { "architecture", "subArchitectures" };
		struct json_object *e = json_object_array_get_idx(v, i), *a, *subs = NULL;
		struct oci_archmap *m = &p->archmap[p->narchmap];
		char path[64], pa[128], text[OCI_TEXT_MAX];

		snprintf(path, sizeof(path), "archMap[%zu]", i);
		if (!ocifield_want(rd, e, json_type_object, path, "an object") ||
		    !ocifield_known(rd, e, path, fields, ARRAY_SIZE(fields)))
			continue;
		if (!json_object_object_get_ex(e, "architecture", &a)) {
			ocifield_fail(rd, "%s: 'architecture' is required", path);
			continue;
		}
		snprintf(pa, sizeof(pa), "%s.architecture", path);
		if (ocifield_arch(rd, a, pa, &m->arch, &p->lists_x32))
			continue;
		if (m->arch)
			m->arches[m->narches++] = m->arch;
		json_object_object_get_ex(e, "subArchitectures", &subs);
		snprintf(pa, sizeof(pa), "%s.subArchitectures", path);
		if (!ocifield_absent(subs) && json_object_is_type(subs, json_type_array) &&
		    json_object_array_length(subs) >= OCI_MAX_ARCHES) {
			ocifield_fail(rd, "%s: more than %d architectures", pa, OCI_MAX_ARCHES - 1);
			continue;
		}
		ocifield_arches(rd, subs, pa, m->arches, &m->narches, &p->lists_x32, text,
				sizeof(text));
		p->narchmap++;
	}
}

static void read_flags(struct oci_reader *rd, struct json_object *v)
{
	size_t n;

	if (ocifield_absent(v) ||
	    !ocifield_want(rd, v, json_type_array, "flags", "an array of flag names"))
		return;
	n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		char path[48];
		const char *s;
		size_t len;
		int f;

		snprintf(path, sizeof(path), "flags[%zu]", i);
		s = ocifield_string(rd, e, path, &len);
		if (!s)
			continue;
		f = ocifield_lookup(s, len, flag_names, ARRAY_SIZE(flag_names));
		if (f < 0)
			ocifield_fail_unknown(rd, path, "flag", s, len,
					      ocifield_closest(s, len, flag_names,
							       ARRAY_SIZE(flag_names),
							       sizeof(*flag_names)));
		else if (f == 2)
			diag_add(
				rd->d, DIAG_NOTE, 0, 0,
				"%s: SECCOMP_FILTER_FLAG_SPEC_ALLOW is ignored: sysfence keeps the "
				"kernel's speculative store bypass mitigation",
				path);
		/* TSYNC: the launcher is single-threaded; LOG: always set when
		 * the kernel has it; WAIT_KILLABLE_RECV: for notify only. */
	}
}

static void read_profile(struct oci_reader *rd, struct json_object *root, struct oci_profile *p)
{
	static const char *const fields[] = {
		"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",   "archMap",
		"syscalls",	 "flags",	    "listenerPath", "listenerMetadata"
	};
	struct json_object *x = NULL, *y = NULL, *arches = NULL, *map = NULL;
	bool given = false;
	char text[OCI_TEXT_MAX];

	ocifield_known(rd, root, "the profile", fields, ARRAY_SIZE(fields));
	if (!json_object_object_get_ex(root, "defaultAction", &x))
		ocifield_fail(rd, "'defaultAction' is required");
	else
		ocifield_action(rd, x, "defaultAction", &p->default_act);
	x = NULL;
	json_object_object_get_ex(root, "defaultErrnoRet", &x);
	json_object_object_get_ex(root, "defaultErrno", &y);
	if (!ocifield_errno(rd, x, y, "defaultErrnoRet", "defaultErrno", &given, &p->default_err) &&
	    given && p->default_act != OCI_ACT_ERRNO && p->default_act != OCI_ACT_TRACE)
		ocifield_fail(rd,
			      "defaultErrnoRet is only for SCMP_ACT_ERRNO (and SCMP_ACT_TRACE)");
	if (!given)
		p->default_err = EPERM;
	json_object_object_get_ex(root, "architectures", &arches);
	json_object_object_get_ex(root, "archMap", &map);
	if (!ocifield_absent(arches) && !ocifield_absent(map) &&
	    json_object_is_type(arches, json_type_array) &&
	    json_object_is_type(map, json_type_array) && json_object_array_length(arches) &&
	    json_object_array_length(map))
		ocifield_fail(
			rd, "both 'architectures' and 'archMap' are given; use one (as moby asks)");
	ocifield_arches(rd, arches, "architectures", p->architectures, &p->narchitectures,
			&p->lists_x32, text, sizeof(text));
	if (!ocifield_absent(map) &&
	    ocifield_want(rd, map, json_type_array, "archMap", "an array of objects") &&
	    json_object_array_length(map)) {
		p->has_archmap = true;
		read_archmap(rd, map, p);
	}
	x = NULL;
	json_object_object_get_ex(root, "flags", &x);
	read_flags(rd, x);
	static const char *const strings[] = { "listenerPath", "listenerMetadata" };
	for (size_t i = 0; i < ARRAY_SIZE(strings); i++) {
		size_t n;

		/* Only SCMP_ACT_NOTIFY uses them, and that is refused per rule. */
		if (json_object_object_get_ex(root, strings[i], &x) && !ocifield_absent(x))
			ocifield_string(rd, x, strings[i], &n);
	}
	x = NULL;
	if (!json_object_object_get_ex(root, "syscalls", &x) || ocifield_absent(x) ||
	    !ocifield_want(rd, x, json_type_array, "syscalls", "an array of rules"))
		return;
	p->nrules = json_object_array_length(x);
	p->rules = calloc(p->nrules ? p->nrules : 1, sizeof(*p->rules));
	if (!p->rules) {
		p->nrules = 0;
		ocifield_fail(rd, "out of memory");
		return;
	}
	for (size_t i = 0; i < p->nrules; i++)
		read_rule(rd, json_object_array_get_idx(x, i), i, &p->rules[i]);
	rd->rule = NULL;
}

/*
 * json-c clamps an integer above UINT64_MAX to UINT64_MAX without a word
 * (json_parse_uint64 keeps strtoull's ERANGE result), so every integer's
 * digits are checked in the text first.  Fractions and exponents are
 * refused later as the wrong type, negative numbers as negative.
 */
static int check_integers(struct oci_reader *rd)
{
	const char *s = rd->src;
	bool in_string = false;

	for (size_t i = 0; i < rd->len; i++) {
		size_t start, n;

		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = false;
			continue;
		}
		if (s[i] == '"')
			in_string = true;
		if (!isdigit((unsigned char)s[i]))
			continue;
		start = i;
		while (i < rd->len && isdigit((unsigned char)s[i]))
			i++;
		n = i - start;
		if ((start && strchr(".eE+-", s[start - 1])) ||
		    (i < rd->len && strchr(".eE", s[i]) && s[i]))
			continue;
		while (n > 1 && s[start] == '0') {
			start++;
			n--;
		}
		if (n > 20 || (n == 20 && memcmp(s + start, "18446744073709551615", 20) > 0)) {
			fail_at(rd, start, "integer does not fit in 64 bits");
			return -1;
		}
		i--;
	}
	return 0;
}

static struct json_object *parse(struct oci_reader *rd)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	const char *nul = memchr(rd->src, 0, rd->len);
	struct json_object *root;
	enum json_tokener_error e;
	size_t end;

	/* json-c stops at a NUL byte, as if the text ended there. */
	if (nul) {
		json_tokener_free(tok);
		fail_at(rd, (size_t)(nul - rd->src), "invalid JSON: a NUL byte");
		return NULL;
	}
	if (!tok) {
		ocifield_fail(rd, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, rd->src, (int)rd->len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e == json_tokener_continue) {
		json_object_put(root);
		fail_at(rd, end, "the JSON text ends early (truncated?)");
		return NULL;
	}
	if (e != json_tokener_success) {
		char msg[128];

		snprintf(msg, sizeof(msg), "invalid JSON: %s", json_tokener_error_desc(e));
		fail_at(rd, end,
			e == json_tokener_error_depth ? "invalid JSON: nested deeper than 32 levels"
						      : msg);
		return NULL;
	}
	/* (strchr finds the terminator too: a NUL is not a blank.) */
	while (end < rd->len && rd->src[end] && strchr(" \t\r\n", rd->src[end]))
		end++;
	if (end < rd->len) {
		json_object_put(root);
		fail_at(rd, end, "invalid JSON: text after the end of the document");
		return NULL;
	}
	if (check_integers(rd)) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int ocijson_read(const char *json, size_t len, struct oci_profile *p, struct diag_list *d)
{
	struct oci_reader rd = { .d = d, .src = json, .len = len };
	struct json_object *root, *lx, *seccomp;
	size_t blank = 0;

	memset(p, 0, sizeof(*p));
	p->default_act = OCI_ACT_ERRNO;
	p->default_err = EPERM;
	if (len > OCI_MAX_SIZE) {
		ocifield_fail(&rd, "the profile is larger than %u MiB", OCI_MAX_SIZE >> 20);
		return -1;
	}
	/* The bytes need not end in a NUL: no str*() on them.  JSON's blanks: */
	while (blank < len && (json[blank] == ' ' || json[blank] == '\t' || json[blank] == '\r' ||
			       json[blank] == '\n'))
		blank++;
	if (blank == len) {
		ocifield_fail(&rd, "the file is empty: expected a JSON seccomp profile");
		return -1;
	}
	root = parse(&rd);
	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		ocifield_fail(
			&rd,
			"expected a JSON object (a seccomp profile or a runtime config.json), "
			"got %s",
			ocifield_type_name(root));
		json_object_put(root);
		return -1;
	}
	seccomp = root;
	/* A runtime bundle's config.json: its linux.seccomp. */
	if (json_object_object_get_ex(root, "ociVersion", NULL)) {
		if (!json_object_object_get_ex(root, "linux", &lx) ||
		    !json_object_is_type(lx, json_type_object) ||
		    !json_object_object_get_ex(lx, "seccomp", &seccomp) ||
		    !json_object_is_type(seccomp, json_type_object)) {
			ocifield_fail(&rd, "a runtime config.json without a linux.seccomp object");
			json_object_put(root);
			return -1;
		}
	}
	read_profile(&rd, seccomp, p);
	json_object_put(root);
	return 0;
}

void ocijson_free(struct oci_profile *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].names);
	free(p->rules);
	free(p->archmap);
	memset(p, 0, sizeof(*p));
}
