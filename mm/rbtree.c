/*
 * rbtree.c - red-black tree insertion and deletion rebalancing (rbtree.h),
 * the textbook algorithms (CLRS ch. 13) written once for both directions:
 * rb_child[d] and rb_child[!d] stand for "left" and "right" or the mirror,
 * so each case is coded once instead of twice.  No keys, no allocation.
 */
#include "mm/rbtree.h"
#include "kernel/printk.h"

static bool rb_is_red(const struct rb_node *n)
{
	return n && n->rb_red;
}

/* Make new take old's place under old's parent (or as the root). */
static void rb_replace_child(struct rb_root *root, struct rb_node *old, struct rb_node *new)
{
	struct rb_node *p = old->rb_parent;

	if (!p)
		root->rb_node = new;
	else
		p->rb_child[p->rb_child[1] == old] = new;
	if (new)
		new->rb_parent = p;
}

/*
 * Rotate x's child on side !d up into x's place, x going down on side d
 * (d = 0: a left rotation).  In-order sequence unchanged.
 */
static void rb_rotate(struct rb_root *root, struct rb_node *x, int d)
{
	struct rb_node *y = x->rb_child[!d];

	BUG_ON(!y);
	x->rb_child[!d] = y->rb_child[d];
	if (y->rb_child[d])
		y->rb_child[d]->rb_parent = x;
	rb_replace_child(root, x, y);
	y->rb_child[d] = x;
	x->rb_parent = y;
}

void rb_insert_color(struct rb_node *n, struct rb_root *root)
{
	struct rb_node *p;

	while ((p = n->rb_parent) && p->rb_red) {
		struct rb_node *g = p->rb_parent;	/* exists: a red node is never the root */
		int d = g->rb_child[1] == p;		/* p is g's child on side d */
		struct rb_node *u = g->rb_child[!d];

		if (rb_is_red(u)) {			/* recolour, go up two levels */
			p->rb_red = u->rb_red = false;
			g->rb_red = true;
			n = g;
			continue;
		}
		if (n == p->rb_child[!d]) {		/* inner grandchild: make it outer */
			rb_rotate(root, p, d);
			n = p;
			p = n->rb_parent;
		}
		p->rb_red = false;
		g->rb_red = true;
		rb_rotate(root, g, !d);
	}
	root->rb_node->rb_red = false;
}

/* x (maybe NULL) under parent p carries an extra black after a deletion: push it up or resolve it. */
static void rb_erase_fixup(struct rb_root *root, struct rb_node *x, struct rb_node *p)
{
	while (x != root->rb_node && !rb_is_red(x)) {
		int d = p->rb_child[1] == x;		/* x is p's child on side d */
		struct rb_node *w = p->rb_child[!d];	/* not NULL: it has black height >= 1 */

		if (w->rb_red) {
			w->rb_red = false;
			p->rb_red = true;
			rb_rotate(root, p, d);
			w = p->rb_child[!d];
		}
		if (!rb_is_red(w->rb_child[0]) && !rb_is_red(w->rb_child[1])) {
			w->rb_red = true;
			x = p;
			p = x->rb_parent;
			continue;
		}
		if (!rb_is_red(w->rb_child[!d])) {
			w->rb_child[d]->rb_red = false;
			w->rb_red = true;
			rb_rotate(root, w, !d);
			w = p->rb_child[!d];
		}
		w->rb_red = p->rb_red;
		p->rb_red = false;
		w->rb_child[!d]->rb_red = false;
		rb_rotate(root, p, d);
		x = root->rb_node;
	}
	if (x)
		x->rb_red = false;
}

void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *x, *xp;
	bool removed_red;

	if (!z->rb_child[0] || !z->rb_child[1]) {
		x = z->rb_child[0] ? z->rb_child[0] : z->rb_child[1];
		xp = z->rb_parent;
		removed_red = z->rb_red;
		rb_replace_child(root, z, x);
	} else {
		/* Two children: z's successor y (leftmost of the right subtree) takes z's place. */
		struct rb_node *y = z->rb_child[1];

		while (y->rb_child[0])
			y = y->rb_child[0];
		removed_red = y->rb_red;
		x = y->rb_child[1];
		if (y->rb_parent == z) {
			xp = y;
		} else {
			xp = y->rb_parent;
			rb_replace_child(root, y, x);
			y->rb_child[1] = z->rb_child[1];
			y->rb_child[1]->rb_parent = y;
		}
		rb_replace_child(root, z, y);
		y->rb_child[0] = z->rb_child[0];
		y->rb_child[0]->rb_parent = y;
		y->rb_red = z->rb_red;
	}
	if (!removed_red)
		rb_erase_fixup(root, x, xp);
}
