/* floor.c - the TCP floor: one connect() to IPv4 ADDR PORT, exit 0 if it succeeds, 2 if not.
 * Built static with musl: what any TCP check costs at least. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { 0 };
	int fd;

	if (argc != 3)
		return 3;
	a.sin_family = AF_INET;
	a.sin_port = htons(atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1)
		return 3;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 3;
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
		return 2;
	close(fd);
	return 0;
}
