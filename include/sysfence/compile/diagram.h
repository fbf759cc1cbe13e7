/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_DIAGRAM_H
#define SYSFENCE_COMPILE_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfence/compile/abi.h"

/*
 * The decision diagram of one syscall's argument checks (diagram.c), built
 * for block.c, which emits it.  Internal to the generator.
 *
 * A node of the diagram is a set of rules with the conditions each still
 * has to meet.  Nodes 0, 1 and 2 are the leaves EACCES, ALLOW and the
 * default; every other node's children have lower ids (nodes are made
 * after what they lead to).
 */

enum diagram_node_kind {
	DIAGRAM_LEAF,
	DIAGRAM_RANGE,
	DIAGRAM_MASK,
};

struct diagram_node {
	uint8_t kind;
	bool allows;		     /* some path leads to ALLOW */
	uint32_t action;	     /* LEAF */
	const struct abi_cond *cond; /* RANGE: the view (arg, wide, lomask); MASK: the test */
	size_t first, npieces;	     /* RANGE: pieces[first .. first + npieces) */
	size_t t, f;		     /* MASK: children */
};

struct diagram_piece {
	uint64_t lo;
	size_t child;
};

struct diagram {
	const struct abi_rule *rules;
	size_t n;
	struct diagram_node *nodes;
	size_t nnodes, capnodes, maxnodes;
	struct diagram_piece *pieces;
	size_t npieces, cappieces;
	/* memo: open addressing; a slot's key (n + 1 words) is in keys */
	uint32_t *keys;
	size_t *slot_node, *slot_key, nslots, nkeys;
	/* nodes by content (hash-consing): equal outcomes are one node */
	size_t *node_slot, nnode_slots;
	unsigned depth; /* of build()'s recursion */
	bool failed;
};

/* Node ids of the three leaves. */
enum {
	DIAGRAM_LEAF_EACCES,
	DIAGRAM_LEAF_ALLOW,
	DIAGRAM_LEAF_DEFAULT
};

/* Orders conditions (kind, view, ranges, mask, value); 0: the same test. */
int diagram_cond_cmp(const struct abi_cond *x, const struct abi_cond *y);

/*
 * Builds the diagram of rules[0..n) (normalised, see block_normalize) in b;
 * dflt is the default leaf's action.  Returns the root's id; b->failed
 * when memory or the size limits ran out.  b must be freed either way.
 */
size_t diagram_build(struct diagram *b, const struct abi_rule *rules, size_t n, uint32_t dflt);
void diagram_free(struct diagram *b);

#endif
