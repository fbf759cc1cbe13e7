// SPDX-License-Identifier: MIT
/*
 * --json: what every document shares (the version field, actions,
 * architectures, inputs, source lines) and its serialisation through
 * json-c, plus batch mode's summary.  The tools' own builders sit beside
 * their text printers (explain.c, report.c, diff.c, fromlog_json.c).
 */
#include "sysfence/tools/json.h"

#include <stdbool.h>
#include <string.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/mode.h"
#include "sysfence/tools/tools.h"

int tools_json_put(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return -1;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int tools_json_push(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -1;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int tools_json_put_null(struct json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) ? -1 : 0;
}

struct json_object *tools_json_done(struct json_object *obj, int err)
{
	if (!err)
		return obj;
	json_object_put(obj);
	return NULL;
}

struct json_object *tools_json_doc(const char *tool)
{
	struct json_object *doc = json_object_new_object();
	int err = 0;

	if (!doc)
		return NULL;
	err |= tools_json_put(doc, "sysfence_json", json_object_new_int(TOOLS_JSON_VERSION));
	err |= tools_json_put(doc, "tool", json_object_new_string(tool));
	return tools_json_done(doc, err);
}

struct json_object *tools_json_action(uint32_t action)
{
	char buf[32];

	return json_object_new_string(bpf_action_name(action, buf, sizeof(buf)));
}

struct json_object *tools_json_arch(uint32_t arch)
{
	const char *name = syscalls_arch_name(arch);
	char buf[16];

	if (!name) {
		snprintf(buf, sizeof(buf), "0x%08x", arch);
		name = buf;
	}
	return json_object_new_string(name);
}

static const char *kind_name(enum tool_input_kind k)
{
	switch (k) {
	case TOOL_INPUT_POLICY:
		return "policy";
	case TOOL_INPUT_BLOB:
		return "blob";
	case TOOL_INPUT_RAW:
		return "raw";
	}
	return "unknown";
}

struct json_object *tools_json_input(const struct tool_input *in)
{
	struct json_object *o = json_object_new_object();
	int err = 0;

	if (!o)
		return NULL;
	err |= tools_json_put(o, "name", json_object_new_string(in->name ? in->name : ""));
	err |= tools_json_put(o, "kind", json_object_new_string(kind_name(in->kind)));
	err |= tools_json_put(o, "mode", json_object_new_string(sf_mode_name(in->blob.mode)));
	return tools_json_done(o, err);
}

struct json_object *tools_json_rule(const struct tool_input *in, const struct policy_rule *rule)
{
	const struct diag_file *f = tool_rule_file(in, rule);
	struct json_object *o = json_object_new_object();
	char text[POLICY_MAX_LINE + 1];
	int err = 0;

	if (!o)
		return NULL;
	tool_source_line(f->text, f->len, rule->line, text, sizeof(text));
	err |= tools_json_put(o, "file", json_object_new_string(f->name));
	err |= tools_json_put(o, "line", json_object_new_int64(rule->line));
	err |= tools_json_put(o, "text", json_object_new_string(text));
	return tools_json_done(o, err);
}

int tools_json_print(FILE *out, struct json_object *doc)
{
	const char *text;
	int rc = -1;

	if (!doc)
		return -1;
	/* Slashes unescaped: paths read as they are ("/usr/bin/ls"). */
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text) {
		fputs(text, out);
		fputc('\n', out);
		rc = 0;
	}
	json_object_put(doc);
	return rc;
}

/* ---- batch mode ---- */

static const char *result_name(const struct job_opts *o, enum job_result r)
{
	switch (r) {
	case JOB_OK:
		return o->out_dir ? "compiled" : "checked";
	case JOB_SKIPPED:
		return "up_to_date";
	case JOB_FAILED:
		break;
	}
	return "failed";
}

struct json_object *batch_json(const struct job_opts *o, const struct batch_result *r)
{
	struct json_object *doc = tools_json_doc(o->out_dir ? "batch" : "check");
	struct json_object *list = json_object_new_array();
	int err = !doc || !list;

	for (size_t i = 0; !err && i < r->count; i++) {
		const struct batch_input *in = &r->inputs[i];
		struct json_object *e = json_object_new_object();

		err |= tools_json_push(list, e);
		if (err)
			break;
		err |= tools_json_put(e, "input", json_object_new_string(in->input));
		if (in->output)
			err |= tools_json_put(e, "output", json_object_new_string(in->output));
		else
			err |= tools_json_put_null(e, "output");
		err |= tools_json_put(e, "result",
				      json_object_new_string(result_name(o, in->result)));
	}
	if (!err && o->out_dir)
		err |= tools_json_put(doc, "out_dir", json_object_new_string(o->out_dir));
	if (!err) {
		err |= tools_json_put(doc, "inputs", list);
		list = NULL;
	}
	if (!err && o->out_dir) {
		err |= tools_json_put(doc, "compiled", json_object_new_uint64(r->compiled));
		err |= tools_json_put(doc, "up_to_date", json_object_new_uint64(r->skipped));
	} else if (!err) {
		err |= tools_json_put(doc, "checked", json_object_new_uint64(r->compiled));
	}
	if (!err)
		err |= tools_json_put(doc, "failed", json_object_new_uint64(r->failed));
	json_object_put(list);
	return tools_json_done(doc, err);
}

int tools_batch_json(FILE *out, const struct job_opts *o, const struct batch_result *r)
{
	if (tools_json_print(out, batch_json(o, r))) {
		fputs("sysfence-compile: out of memory\n", stderr);
		return -1;
	}
	return 0;
}
