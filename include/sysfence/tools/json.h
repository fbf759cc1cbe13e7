/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_JSON_H
#define SYSFENCE_TOOLS_JSON_H

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/compile/job.h"
#include "sysfence/tools/input.h"

/*
 * --json: the documents the tools print instead of their text (the
 * fields are documented in sysfence-compile(1), JSON OUTPUT).  Each tool
 * computes one result and prints it as text or hands it to its builder
 * here (explain_json, report_json, diff_json, fromlog_json, batch_json):
 * a builder is pure, returns a new document, or NULL when out of memory.
 * json-c serialises; nothing here formats JSON by hand.
 */

/*
 * The format's version, the document's first field ("sysfence_json"):
 * raised when a field changes meaning or goes away (adding one does not).
 */
#define TOOLS_JSON_VERSION 1

/* {"sysfence_json": 1, "tool": TOOL}, or NULL. */
struct json_object *tools_json_doc(const char *tool);

/*
 * Adds val under key, or to the end of an array.  Returns 0, or -1 when
 * val is NULL (a builder ran out of memory) or the add failed; val is
 * released then.  Builders OR the results and give up once at the end.
 */
int tools_json_put(struct json_object *obj, const char *key, struct json_object *val);
int tools_json_push(struct json_object *arr, struct json_object *val);
/* key: null */
int tools_json_put_null(struct json_object *obj, const char *key);

/* A builder's end: obj, or NULL (obj released) when err is set. */
struct json_object *tools_json_done(struct json_object *obj, int err);

/* An action as the text output names it: "ALLOW", "ERRNO(EPERM)", "LOG" ... */
struct json_object *tools_json_action(uint32_t action);
/* An architecture's name ("x86_64"), or "0x%08x" for one sysfence does not know. */
struct json_object *tools_json_arch(uint32_t arch);
/* {"name", "kind": "policy"|"blob"|"raw", "mode": "enforce"|...} */
struct json_object *tools_json_input(const struct tool_input *in);
/* {"file", "line", "text"}: where a rule of a policy input is. */
struct json_object *tools_json_rule(const struct tool_input *in, const struct policy_rule *rule);

/*
 * Writes doc, pretty-printed, and a newline to out, then releases it
 * (doc may be NULL: nothing written).  Returns 0, or -1 when doc is NULL
 * or could not be serialised (out's own write errors are left to ferror).
 */
int tools_json_print(FILE *out, struct json_object *doc);

/* Batch mode's summary (--out-dir or --check with --json). */
struct json_object *batch_json(const struct job_opts *o, const struct batch_result *r);

#endif
