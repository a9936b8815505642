// SPDX-License-Identifier: Apache-2.0
// probe PORT: asks the kernel whether this process may bind TCP 0.0.0.0:PORT.
// Stdout gets one line, "bound" (exit 0) or the errno text, e.g. "Permission
// denied" (exit 1); exit 2 is a usage error. Stderr gets what decided it, as
// the process saw it: uids, effective and ambient capability masks and
// net.ipv4.ip_unprivileged_port_start of its network namespace.
//
// tests/infra/daemons.sh compiles it with `gcc -static` into the base image
// (/usr/local/bin/probe) so it runs in a busybox rootfs, and the runtime-truth
// tests use it as the entrypoint: what it prints is the kernel's verdict that
// imglint's IL303/IL304 must agree with.
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// Copies the value of "Key:\t..." from /proc/self/status into `out`.
static void StatusField(const char* key, char* out, size_t size) {
  snprintf(out, size, "?");
  FILE* f = fopen("/proc/self/status", "r");
  if (f == NULL) return;
  char line[256];
  size_t key_len = strlen(key);
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
      char* value = line + key_len + 1;
      while (*value == ' ' || *value == '\t') ++value;
      value[strcspn(value, "\n")] = '\0';
      snprintf(out, size, "%s", value);
      break;
    }
  }
  fclose(f);
}

static void PortStart(char* out, size_t size) {
  snprintf(out, size, "?");
  FILE* f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
  if (f == NULL) return;
  if (fgets(out, (int)size, f) == NULL) snprintf(out, size, "?");
  out[strcspn(out, "\n")] = '\0';
  fclose(f);
}

int main(int argc, char** argv) {
  char* end = NULL;
  long port = argc == 2 ? strtol(argv[1], &end, 10) : -1;
  if (argc != 2 || *argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535) {
    fprintf(stderr, "usage: probe PORT\n");
    return 2;
  }
  char cap_eff[64], cap_amb[64], port_start[32];
  StatusField("CapEff", cap_eff, sizeof cap_eff);
  StatusField("CapAmb", cap_amb, sizeof cap_amb);
  PortStart(port_start, sizeof port_start);
  fprintf(stderr, "uid=%d euid=%d cap_eff=%s cap_amb=%s ip_unprivileged_port_start=%s\n",
          (int)getuid(), (int)geteuid(), cap_eff, cap_amb, port_start);

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    printf("%s\n", strerror(errno));
    return 1;
  }
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)port);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, (struct sockaddr*)&address, sizeof address) != 0) {
    printf("%s\n", strerror(errno));
    return 1;
  }
  printf("bound\n");
  return 0;
}
