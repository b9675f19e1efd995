/* SHA-256 in a second thread: see hash_pipe.h.
 *
 * A ring of WARD_HASH_SLOTS slots of WARD_HASH_SLOT bytes.  The reader
 * fills the slot at @head (one hash per slot) and publishes it when it is
 * full, when the next block is for the other hash, or at the join; the
 * thread hashes the slot at @tail and only then gives it back, so a slot
 * is never written while it is hashed.  One mutex guards @filled, @tail,
 * @done, @discard, @want_space and @want_data. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "image/hash_pipe.h"

#define WARD_HASH_SLOTS 8
#define WARD_HASH_SLOT (256u << 10)

struct slot {
	unsigned char *buf;
	size_t len;
	int which;
};

struct ward_hash_pipe {
	struct ward_sha256 *h[2];
	struct slot slot[WARD_HASH_SLOTS];
	unsigned char *mem;
	size_t head;   /* the slot the reader fills (reader only) */
	bool filling;  /* slot[head] holds bytes not yet published */
	pthread_mutex_t mu;
	pthread_cond_t data, space;
	size_t tail, filled; /* the next slot to hash; slots published and not yet hashed */
	bool done, discard;
	bool want_space; /* the reader waits for the ring to drain to half */
	bool want_data;  /* the thread waits for the ring to fill to half */
	pthread_t thread;
};

static void *hash_thread(void *arg)
{
	struct ward_hash_pipe *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* an empty ring: wait until half of it is full (or the end),
		 * so that on a busy machine the two threads switch once per
		 * half ring, not once per slot */
		if (p->filled == 0 && !p->done) {
			p->want_data = true;
			while (p->filled < WARD_HASH_SLOTS / 2 && !p->done)
				pthread_cond_wait(&p->data, &p->mu);
			p->want_data = false;
		}
		if (p->filled == 0 || p->discard)
			break;
		s = &p->slot[p->tail];
		pthread_mutex_unlock(&p->mu);
		ward_sha256_update(p->h[s->which], s->buf, s->len);
		pthread_mutex_lock(&p->mu);
		p->tail = (p->tail + 1) % WARD_HASH_SLOTS;
		p->filled--;
		if (p->want_space && p->filled <= WARD_HASH_SLOTS / 2)
			pthread_cond_signal(&p->space);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct ward_hash_pipe *ward_hash_pipe_start(struct ward_sha256 *h0, struct ward_sha256 *h1)
{
	struct ward_hash_pipe *p = calloc(1, sizeof(*p));
	sigset_t all, old;
	int r;

	if (!p || !(p->mem = malloc((size_t)WARD_HASH_SLOTS * WARD_HASH_SLOT))) {
		free(p);
		return NULL;
	}
	p->h[0] = h0;
	p->h[1] = h1;
	for (size_t i = 0; i < WARD_HASH_SLOTS; i++)
		p->slot[i].buf = p->mem + i * WARD_HASH_SLOT;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->data, NULL);
	pthread_cond_init(&p->space, NULL);
	/* signals stay with the reading thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&p->thread, NULL, hash_thread, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0) {
		pthread_setname_np(p->thread, WARD_HASH_THREAD); /* for ps and the tests */
		return p;
	}
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->data);
	pthread_mutex_destroy(&p->mu);
	free(p->mem);
	free(p);
	return NULL;
}

static void publish(struct ward_hash_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->filled++;
	if (p->want_data && p->filled >= WARD_HASH_SLOTS / 2)
		pthread_cond_signal(&p->data);
	pthread_mutex_unlock(&p->mu);
	p->head = (p->head + 1) % WARD_HASH_SLOTS;
	p->filling = false;
}

/* Wait until slot[head] is free, and start filling it for @which. */
static struct slot *take(struct ward_hash_pipe *p, int which)
{
	struct slot *s = &p->slot[p->head];

	pthread_mutex_lock(&p->mu);
	if (p->filled == WARD_HASH_SLOTS) {
		/* a full ring: wait until half of it is free */
		p->want_space = true;
		while (p->filled > WARD_HASH_SLOTS / 2)
			pthread_cond_wait(&p->space, &p->mu);
		p->want_space = false;
	}
	pthread_mutex_unlock(&p->mu);
	s->len = 0;
	s->which = which;
	p->filling = true;
	return s;
}

void ward_hash_pipe_feed(struct ward_hash_pipe *p, int which, const void *buf, size_t len)
{
	const unsigned char *in = buf;
	struct slot *s;
	size_t n;

	while (len > 0) {
		s = &p->slot[p->head];
		if (p->filling && s->which != which)
			publish(p);
		if (!p->filling)
			s = take(p, which);
		n = WARD_HASH_SLOT - s->len;
		if (n > len)
			n = len;
		memcpy(s->buf + s->len, in, n);
		s->len += n;
		in += n;
		len -= n;
		if (s->len == WARD_HASH_SLOT)
			publish(p);
	}
}

void ward_hash_pipe_join(struct ward_hash_pipe *p, bool discard)
{
	if (!p)
		return;
	if (p->filling && !discard)
		publish(p);
	pthread_mutex_lock(&p->mu);
	p->done = true;
	p->discard = discard;
	pthread_cond_signal(&p->data);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->data);
	pthread_mutex_destroy(&p->mu);
	free(p->mem);
	free(p);
}
