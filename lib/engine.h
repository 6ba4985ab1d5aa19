/* engine.h - run N independent jobs on a bounded pool of threads, within a global deadline
 *
 * The caller owns the jobs. engine_run() returns when every job has finished or when the
 * deadline passes, whichever comes first; jobs still running then are abandoned (their
 * threads keep running until the process exits, so a job MUST NOT touch memory that the
 * caller frees after engine_run(), and MUST publish its results under engine_lock()).
 */
#ifndef PB_ENGINE_H
#define PB_ENGINE_H

#include <stdint.h>

struct engine_job {
	void (*run)(struct engine_job *job);	/* does the work; may block until its own deadline */
	void *arg;
	int state;	/* ENGINE_QUEUED, ENGINE_RUNNING, ENGINE_DONE (read under engine_lock) */
};

enum { ENGINE_QUEUED, ENGINE_RUNNING, ENGINE_DONE };

/* run jobs[0..n) with at most `workers` at once; deadline 0 = none. Returns the number of
 * jobs that finished. */
int engine_run(struct engine_job *jobs, int n, int workers, int64_t deadline);

/* the lock under which jobs publish results and the caller reads them after a deadline */
void engine_lock(void);
void engine_unlock(void);

#endif
