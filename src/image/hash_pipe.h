/* SHA-256 in a second thread, pipelined with the layer's reading and
 * writing: the reader copies each block into a bounded ring, the thread
 * hashes the blocks in order.  The thread lives only inside one
 * ward_image_stream_layer() call: ward_hash_pipe_join() is called on
 * every path out of it, so ward is single-threaded again before it
 * returns (and before any namespace call); a digest is read only after
 * the join. */
#ifndef WARD_IMAGE_HASH_PIPE_H
#define WARD_IMAGE_HASH_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "image/nettle_dl.h"

struct ward_hash_pipe;

/* The thread's name (/proc/self/task/TID/comm) */
#define WARD_HASH_THREAD "ward-sha256"

/* Start the thread that feeds @h[0] and @h[1] (after ward_nettle_load()).
 * NULL when it cannot start (no memory, no thread): the caller then
 * hashes inline, as the digests are the same either way. */
struct ward_hash_pipe *ward_hash_pipe_start(struct ward_sha256 *h0, struct ward_sha256 *h1);

/* Hash @len bytes of @buf into h0 (@which 0) or h1 (@which 1), in the
 * order given per hash.  @buf is copied: it may be reused on return. */
void ward_hash_pipe_feed(struct ward_hash_pipe *p, int which, const void *buf, size_t len);

/* Wait until every byte fed is hashed (@discard: drop what is not hashed
 * yet, on an error path), join the thread and free @p.  NULL is a no-op. */
void ward_hash_pipe_join(struct ward_hash_pipe *p, bool discard);

#endif
