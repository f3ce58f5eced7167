/*
 * rbtree.h - a red-black tree without keys of its own (mm/rbtree.c).
 *
 * As Linux's <linux/rbtree.h>: the user embeds a struct rb_node in its
 * objects, walks down from root->rb_node comparing its own keys to find
 * where a new node goes, links it there (rb_link_node) and rebalances
 * (rb_insert_color); rb_erase unlinks and rebalances.  Neither allocates
 * nor fails.  Invariants (red-black): the root is black, a red node has no
 * red child, and every path from a node down to a NULL child passes the
 * same number of black nodes, so the height is at most 2 log2(n + 1).
 * Locking is the user's (the VMA tree: mmap_lock).
 */
#ifndef MM_RBTREE_H
#define MM_RBTREE_H

#include "kernel/types.h"

struct rb_node {
	struct rb_node *rb_parent;	/* NULL at the root */
	struct rb_node *rb_child[2];	/* [0] left (smaller keys), [1] right */
	bool rb_red;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT		((struct rb_root){ NULL })

/* Put node (not in a tree) at *link, a NULL child pointer of parent (NULL: the root). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_child[0] = node->rb_child[1] = NULL;
	node->rb_red = true;
	*link = node;
}

/* Rebalance after rb_link_node(node, ...). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Unlink node from the tree and rebalance; node's fields are garbage afterwards. */
void rb_erase(struct rb_node *node, struct rb_root *root);

#endif
