/* arena.c - a bump allocator with an optional ceiling (used by the YAML parser and expr) */
//kbuild:obj-$(CONFIG_ARENA) += arena.o
//config:config ARENA
//config:	bool

#include "arena.h"

#include <stdint.h>
#include <stdlib.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	void *r;

	if (n > SIZE_MAX - 15)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > a->chunk ? n : a->chunk;
		if (a->max && (cap > a->max || a->total + cap > a->max))
			return NULL;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
		a->total += cap;
	}
	r = (char *)c->data + c->used;
	c->used += n;
	return r;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
	a->total = 0;
}
