/* grpc.h - what the grpc probe knows of gRPC (grpc's doc/PROTOCOL-HTTP2.md, doc/statuscodes.md,
 * doc/health-checking.md): status codes, grpc-message's percent-encoding, and the health
 * service's two messages (grpc/health/v1/health.proto) encoded and decoded by hand.
 * Pure functions, for the probe, grpc_health_probe and the unit tests.
 */
#ifndef PB_GRPC_H
#define PB_GRPC_H

#include <stddef.h>

enum {
	GRPC_OK, GRPC_CANCELLED, GRPC_UNKNOWN, GRPC_INVALID_ARGUMENT, GRPC_DEADLINE_EXCEEDED,
	GRPC_NOT_FOUND, GRPC_ALREADY_EXISTS, GRPC_PERMISSION_DENIED, GRPC_RESOURCE_EXHAUSTED,
	GRPC_FAILED_PRECONDITION, GRPC_ABORTED, GRPC_OUT_OF_RANGE, GRPC_UNIMPLEMENTED,
	GRPC_INTERNAL, GRPC_UNAVAILABLE, GRPC_DATA_LOSS, GRPC_UNAUTHENTICATED,
};

/* HealthCheckResponse.ServingStatus */
enum { GRPC_HEALTH_UNKNOWN, GRPC_HEALTH_SERVING, GRPC_HEALTH_NOT_SERVING,
       GRPC_HEALTH_SERVICE_UNKNOWN };

/* the longest service name we send */
#define GRPC_SERVICE_MAX 1024

/* grpc-go's name of a code, as its errors print it: "NotFound", "Canceled", "Code(17)" */
void grpc_code_goname(long code, char *buf, size_t len);
/* "SERVING", ...; NULL for another number */
const char *grpc_health_name(long status);
/* the gRPC message (5-byte prefix, then the protobuf) of HealthCheckRequest{service}: its
 * length, 0 when it does not fit in cap */
size_t grpc_health_request(const char *service, unsigned char *out, size_t cap);
/* the response's DATA: exactly one uncompressed gRPC message holding a HealthCheckResponse;
 * 0 with *status (UNKNOWN when the field is absent), or -1 with err */
int grpc_health_response(const unsigned char *p, size_t n, long *status, char *err,
			 size_t errlen);
/* grpc-message's percent-encoding undone, into out (NUL-terminated; what does not fit ends
 * in "...") */
void grpc_unpercent(const char *in, size_t n, char *out, size_t cap);
/* the code grpc-go gives a response without grpc-status by its HTTP status */
long grpc_code_of_http(long status);

#endif
