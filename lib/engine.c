/* engine.c - a bounded worker pool with a global deadline (POSIX threads) */
//kbuild:obj-$(CONFIG_ENGINE) += engine.o
//config:config ENGINE
//config:	bool

#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "util.h"

#define WORKER_STACK (128 * 1024)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv;
static struct engine_job *g_jobs;
static int g_n, g_next, g_done;

void engine_lock(void)
{
	pthread_mutex_lock(&mu);
}

void engine_unlock(void)
{
	pthread_mutex_unlock(&mu);
}

static void *worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&mu);
	while (g_next < g_n) {
		struct engine_job *j = &g_jobs[g_next++];
		j->state = ENGINE_RUNNING;
		pthread_mutex_unlock(&mu);
		j->run(j);
		pthread_mutex_lock(&mu);
		j->state = ENGINE_DONE;
		g_done++;
		pthread_cond_signal(&done_cv);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int engine_run(struct engine_job *jobs, int n, int workers, int64_t deadline)
{
	pthread_condattr_t ca;
	pthread_attr_t attr;
	int started = 0, done;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&done_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, WORKER_STACK);

	pthread_mutex_lock(&mu);
	g_jobs = jobs;
	g_n = n;
	g_next = g_done = 0;
	for (int i = 0; i < n; i++)
		jobs[i].state = ENGINE_QUEUED;
	pthread_mutex_unlock(&mu);

	if (workers < 1)
		workers = 1;
	if (workers > n)
		workers = n;
	for (int i = 0; i < workers; i++) {
		pthread_t t;
		if (pthread_create(&t, &attr, worker, NULL) == 0)
			started++;
	}
	pthread_attr_destroy(&attr);
	if (!started)	/* no threads at all: run inline, still correct, just serial */
		worker(NULL);

	pthread_mutex_lock(&mu);
	while (g_done < n) {
		if (deadline) {
			struct timespec ts;
			ts.tv_sec = deadline / 1000;
			ts.tv_nsec = (deadline % 1000) * 1000000;
			if (pthread_cond_timedwait(&done_cv, &mu, &ts) == ETIMEDOUT && g_done < n) {
				g_next = n;	/* what has not started never will */
				break;
			}
		} else {
			pthread_cond_wait(&done_cv, &mu);
		}
	}
	done = g_done;
	pthread_mutex_unlock(&mu);
	return done;
}
