/*
 * The ceiling for a FastCGI application: a responder on libfcgi that does almost nothing.
 * Serves the same paths as the Spring application with fixed bodies.
 *
 *   cc -O2 -o responder responder.c -lfcgi -lpthread
 *   ./responder /path/to/socket [threads]
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HUNDRED_KB (100 * 1024)

static int listen_socket;
static char hundred_kb[HUNDRED_KB];

static const char JSON[] = "{\"message\":\"Hello, World!\",\"id\":42,\"ok\":true}";
static const char PLAIN[] = "Hello, World!\n";

static void respond(FCGX_Request *request)
{
	const char *uri = FCGX_GetParam("DOCUMENT_URI", request->envp);
	if (uri == NULL) {
		uri = FCGX_GetParam("SCRIPT_NAME", request->envp);
	}
	if (uri == NULL) {
		uri = "";
	}
	if (strcmp(uri, "/json") == 0) {
		FCGX_FPrintF(request->out, "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
				(int) strlen(JSON));
		FCGX_PutStr(JSON, strlen(JSON), request->out);
	}
	else if (strcmp(uri, "/bytes/100k") == 0) {
		FCGX_FPrintF(request->out, "Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n",
				HUNDRED_KB);
		FCGX_PutStr(hundred_kb, HUNDRED_KB, request->out);
	}
	else if (strcmp(uri, "/upload") == 0) {
		char buffer[16384];
		long total = 0;
		int count;
		while ((count = FCGX_GetStr(buffer, sizeof(buffer), request->in)) > 0) {
			total += count;
		}
		char body[64];
		int length = snprintf(body, sizeof(body), "{\"bytes\":%ld}", total);
		FCGX_FPrintF(request->out, "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", length);
		FCGX_PutStr(body, length, request->out);
	}
	else if (strcmp(uri, "/plain") == 0) {
		FCGX_FPrintF(request->out, "Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n",
				(int) strlen(PLAIN));
		FCGX_PutStr(PLAIN, strlen(PLAIN), request->out);
	}
	else {
		FCGX_FPrintF(request->out, "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnot found\n");
	}
}

static void *serve(void *unused)
{
	FCGX_Request request;
	(void) unused;
	FCGX_InitRequest(&request, listen_socket, 0);
	while (FCGX_Accept_r(&request) >= 0) {
		respond(&request);
		FCGX_Finish_r(&request);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SOCKET_PATH [THREADS]\n", argv[0]);
		return 2;
	}
	int threads = (argc > 2) ? atoi(argv[2]) : 16;
	memset(hundred_kb, 'x', sizeof(hundred_kb));
	if (FCGX_Init() != 0) {
		fprintf(stderr, "FCGX_Init failed\n");
		return 1;
	}
	listen_socket = FCGX_OpenSocket(argv[1], 1024);
	if (listen_socket < 0) {
		fprintf(stderr, "cannot listen on %s\n", argv[1]);
		return 1;
	}
	chmod(argv[1], 0666);
	pthread_t *ids = calloc(threads, sizeof(pthread_t));
	for (int i = 0; i < threads; i++) {
		pthread_create(&ids[i], NULL, serve, NULL);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(ids[i], NULL);
	}
	return 0;
}
