// SPDX-License-Identifier: MIT
/*
 * --from-log --json: the result fromlog_build() computed for the text
 * output, as one document (fields: sysfence-compile(1), JSON OUTPUT).
 */
#include <limits.h>
#include <stdbool.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/fromlog.h"
#include "sysfence/tools/json.h"

static const char *not_added_reason(enum fromlog_class c)
{
	switch (c) {
	case FROMLOG_DENIED:
		return "denied";
	case FROMLOG_ENOSYS:
		return "enosys";
	case FROMLOG_UNKNOWN_NR:
		return "unknown_nr";
	case FROMLOG_UNKNOWN_NAME:
		return "unknown_name";
	case FROMLOG_UNKNOWN_ARCH:
		return "unknown_arch";
	default:
		return NULL;
	}
}

static int put_where(struct json_object *o, const struct tool_input *pol,
		     const struct fromlog_where *w)
{
	struct json_object *at;
	int err;

	if (!w->line)
		return tools_json_put_null(o, "policy_line");
	at = json_object_new_object();
	err = tools_json_put(o, "policy_line", at);
	if (err)
		return err;
	err |= tools_json_put(at, "file", json_object_new_string(fromlog_where_file(pol, w)));
	err |= tools_json_put(at, "line", json_object_new_int64(w->line));
	return err;
}

static struct json_object *item_json(const struct tool_input *pol, const struct fromlog_item *x)
{
	struct json_object *o = json_object_new_object(), *arches = json_object_new_array();
	const char *why = not_added_reason(x->cls);
	int err = !o || !arches;

	/* An architecture sysfence does not know is named as it was logged. */
	if (!err && x->cls == FROMLOG_UNKNOWN_ARCH)
		err |= tools_json_push(arches, json_object_new_string(x->arch_text));
	for (size_t i = 0; !err && x->cls != FROMLOG_UNKNOWN_ARCH && i < x->narches; i++)
		err |= tools_json_push(arches, tools_json_arch(x->arches[i]));
	if (err)
		goto out;
	if (x->name[0])
		err |= tools_json_put(o, "syscall", json_object_new_string(x->name));
	else
		err |= tools_json_put_null(o, "syscall");
	err |= tools_json_put(o, "records", json_object_new_uint64(x->count));
	err |= tools_json_put(o, "arches", arches);
	arches = NULL;
	if (x->cls == FROMLOG_UNKNOWN_NR)
		err |= tools_json_put(o, "nr", json_object_new_int64(x->nr));
	if (why)
		err |= tools_json_put(o, "reason", json_object_new_string(why));
	if (x->cls == FROMLOG_ADD || x->cls == FROMLOG_ADD_PARTIAL) {
		err |= tools_json_put(o, "partial",
				      json_object_new_boolean(x->cls == FROMLOG_ADD_PARTIAL));
		err |= put_where(o, pol, &x->where);
	} else if (x->cls == FROMLOG_DENIED) {
		err |= put_where(o, pol, &x->where);
	}
out:
	json_object_put(arches);
	return tools_json_done(o, err);
}

static struct json_object *stats_json(const struct fromlog_stats *s)
{
	struct json_object *o = json_object_new_object();
	int err = !o;

	if (err)
		return NULL;
	err |= tools_json_put(o, "seccomp", json_object_new_uint64(s->records));
	err |= tools_json_put(o, "used", json_object_new_uint64(s->used));
	err |= tools_json_put(o, "filtered", json_object_new_uint64(s->filtered));
	err |= tools_json_put(o, "duplicates", json_object_new_uint64(s->duplicates));
	err |= tools_json_put(o, "malformed", json_object_new_uint64(s->malformed));
	err |= tools_json_put(o, "other_audit", json_object_new_uint64(s->other));
	err |= tools_json_put(o, "too_long_lines", json_object_new_uint64(s->too_long));
	err |= tools_json_put(o, "binary_lines", json_object_new_uint64(s->binary));
	err |= tools_json_put(o, "not_deduplicated", json_object_new_uint64(s->unchecked));
	err |= tools_json_put(o, "not_counted", json_object_new_uint64(s->untracked));
	return tools_json_done(o, err);
}

struct json_object *fromlog_json(const struct fromlog *l, const struct tool_input *pol,
				 const struct fromlog_result *r, bool interrupted)
{
	struct json_object *doc = tools_json_doc("from-log");
	struct json_object *add = json_object_new_array(), *skipped = json_object_new_array();
	struct json_object *already = json_object_new_array();
	int err = !doc || !add || !skipped || !already;

	for (size_t i = 0; !err && i < r->count; i++) {
		const struct fromlog_item *x = &r->items[i];
		struct json_object *list = x->cls == FROMLOG_ADD || x->cls == FROMLOG_ADD_PARTIAL
						   ? add
					   : x->cls == FROMLOG_ALREADY ? already
								       : skipped;

		err |= tools_json_push(list, item_json(pol, x));
	}
	if (err)
		goto out;
	if (pol)
		err |= tools_json_put(doc, "policy", tools_json_input(pol));
	else
		err |= tools_json_put_null(doc, "policy");
	err |= tools_json_put(doc, "records", stats_json(&l->stats));
	err |= tools_json_put(doc, "interrupted", json_object_new_boolean(interrupted));
	err |= tools_json_put(doc, "lines_to_add", json_object_new_uint64(r->added));
	err |= tools_json_put(doc, "add", add);
	add = NULL;
	err |= tools_json_put(doc, "not_added", skipped);
	skipped = NULL;
	err |= tools_json_put(doc, "already_allowed", already);
	already = NULL;
	if (r->patch && r->patchlen <= INT_MAX)
		err |= tools_json_put(doc, "patch",
				      json_object_new_string_len(r->patch, (int)r->patchlen));
	else
		err |= tools_json_put_null(doc, "patch");
out:
	json_object_put(add);
	json_object_put(skipped);
	json_object_put(already);
	return tools_json_done(doc, err);
}
