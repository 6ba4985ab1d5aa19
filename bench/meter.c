/* meter.c - run commands interleaved and report each run's wall time, CPU and peak RSS.
 *
 *   meter ROUNDS WARMUP < COMMANDS
 *
 * COMMANDS: one command a line, its words separated by tabs; leading NAME=VALUE words go
 * into the environment, which is otherwise PATH=/usr/sbin:/usr/bin:/sbin:/bin alone.
 * Every round runs every command once, starting one line further each round, so no command
 * always follows the same neighbour. stdin is /dev/null, stdout and stderr are discarded.
 * Prints, per measured run: "LINE ROUND WALL_US CPU_US MAXRSS_KB STATUS" (tab-separated),
 * CPU = ru_utime + ru_stime of the child and its waited-for descendants (wait4), MAXRSS =
 * ru_maxrss of the largest of them, as the kernel counts it (it under-reports tiny
 * processes: a 13 kB static binary shows a few hundred kB or 0).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 256
#define MAXW 64

static char *argv_[MAXCMD][MAXW], *envp_[MAXCMD][MAXW];

static long long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	static char line[8192];
	int n = 0, rounds, warm, r, k;

	if (argc != 3)
		return fprintf(stderr, "usage: meter ROUNDS WARMUP < COMMANDS\n"), 2;
	rounds = atoi(argv[1]);
	warm = atoi(argv[2]);
	while (n < MAXCMD && fgets(line, sizeof line, stdin)) {
		char *w, *save = 0, *s = line;
		int a = 0, e = 0;
		line[strcspn(line, "\n")] = 0;
		envp_[n][e++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
		while ((w = strtok_r(s, "\t", &save)) && a < MAXW - 1 && e < MAXW - 1) {
			s = 0;
			if (!a && strchr(w, '=') && w[0] != '/')
				envp_[n][e++] = strdup(w);
			else
				argv_[n][a++] = strdup(w);
		}
		if (a)
			n++;
	}
	for (r = -warm; r < rounds; r++)
		for (k = 0; k < n; k++) {
			int i = (k + r + warm) % n, st;
			struct rusage ru;
			long long t0 = now_us(), t1;
			pid_t p = fork();
			if (p < 0)
				return perror("fork"), 1;
			if (!p) {
				int fd = open("/dev/null", O_RDWR);
				dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
				execve(argv_[i][0], argv_[i], envp_[i]);
				_exit(127);
			}
			if (wait4(p, &st, 0, &ru) != p)
				return perror("wait4"), 1;
			t1 = now_us();
			if (r >= 0)
				printf("%d\t%d\t%lld\t%lld\t%ld\t%d\n", i, r, t1 - t0,
				       (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
				               ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
				       ru.ru_maxrss, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
	return 0;
}
