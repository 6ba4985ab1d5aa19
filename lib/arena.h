/* arena.h - a bump allocator with an optional ceiling: many small allocations, freed at once */
#ifndef PB_ARENA_H
#define PB_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total;	/* bytes of chunks allocated so far */
	size_t max;	/* ceiling on total; 0: none */
	size_t chunk;	/* size of a new chunk (a larger request gets its own) */
};

/* 16-byte aligned memory, NULL when the ceiling would be passed or malloc fails */
void *arena_alloc(struct arena *a, size_t n);
/* free every chunk; the arena can be used again */
void arena_free(struct arena *a);

#endif
