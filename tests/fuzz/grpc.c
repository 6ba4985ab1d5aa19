/* grpc.c - fuzz target: what the grpc probe and grpc_health_probe decode from a server: the
 * DATA of a health check's response (a gRPC message holding a HealthCheckResponse) and a
 * grpc-message trailer's percent-encoding, over the whole input; then the request built
 * from the input as a service name must decode as a message too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/grpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char req[GRPC_SERVICE_MAX + 16];
	char err[200], msg[64], name[32], *svc;
	long status;
	size_t n;

	err[0] = 0;
	if (grpc_health_response(data, size, &status, err, sizeof(err)) < 0 ? !err[0] : size < 5)
		abort();
	grpc_unpercent((const char *)data, size, msg, sizeof(msg));
	if (strlen(msg) >= sizeof(msg))
		abort();
	grpc_code_goname((long)size - 20, name, sizeof(name));
	grpc_code_of_http((long)size);
	svc = malloc(size + 1);
	memcpy(svc, data, size);
	svc[size] = 0;
	n = grpc_health_request(svc, req, sizeof(req));
	if (n && (n < 5 || n > sizeof(req)))
		abort();
	free(svc);
	return 0;
}
