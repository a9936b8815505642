// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/compose_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/manifest/manifest_test_util.h"

namespace imglint {
namespace {

ComposeFile MustRead(const std::string& text) {
  ComposeFile file;
  ReadError err;
  EXPECT_TRUE(ReadCompose(text, "compose.yaml", &file, &err))
      << err.line << ":" << err.column << ": " << err.message;
  return file;
}

constexpr char kCompose[] = R"(name: demo
x-defaults: &defaults
  cap_drop: [ALL]
  user: "1000:1000"
services:
  web:
    <<: *defaults
    image: nginx:1.27
    ports:
      - "80:80"
      - 8443:443/tcp
      - 9000
      - target: 53
        published: "5353"
        host_ip: 0.0.0.0
        protocol: udp
        mode: host
      - "[::1]:8080:8080"
      - "8000-8010:80-90"
      - "70000:80"
    expose:
      - "3000"
      - 3001
      - "4000-4005/udp"
    cap_add:
      - NET_BIND_SERVICE
    sysctls:
      net.ipv4.ip_unprivileged_port_start: 0
      net.core.somaxconn: "1024"
  api:
    build: ./api
    user: root
    privileged: true
    network_mode: host
    sysctls:
      - net.ipv4.ip_unprivileged_port_start=80
      - kernel.msgmax
  worker:
    build:
      context: ./worker
      dockerfile: Dockerfile.prod
    network_mode: "service:api"
  empty:
)";

TEST(ComposeReaderTest, ServicesInOrderWithPositions) {
  const ComposeFile file = MustRead(kCompose);
  ASSERT_EQ(file.services.size(), 4u);
  EXPECT_EQ(file.services[0].name.value, "web");
  EXPECT_EQ(file.services[0].name.pos, (Pos{6, 3}));
  EXPECT_EQ(file.services[0].pos, (Pos{7, 5}));
  EXPECT_EQ(file.services[0].indent, 4);
  EXPECT_EQ(file.services[1].name.value, "api");
  EXPECT_EQ(file.services[2].name.value, "worker");
  EXPECT_EQ(file.services[3].name.value, "empty");
  EXPECT_FALSE(file.services[3].image);
  ASSERT_NE(file.FindService("api"), nullptr);
  EXPECT_EQ(file.FindService("nope"), nullptr);
}

TEST(ComposeReaderTest, MergeKeysFromExtensionFields) {
  const ComposeFile file = MustRead(kCompose);
  const Service& web = file.services.at(0);
  ASSERT_TRUE(web.user);
  EXPECT_EQ(web.user->value, "1000:1000");
  EXPECT_EQ(web.user->pos, (Pos{4, 9}));  // where the anchor defined it
  ASSERT_EQ(web.cap_drop.size(), 1u);
  EXPECT_EQ(web.cap_drop[0].value, "ALL");
  ASSERT_EQ(web.cap_add.size(), 1u);
  EXPECT_TRUE(web.AddsCapability("CAP_NET_BIND_SERVICE"));
  EXPECT_EQ(web.cap_add[0].pos, (Pos{26, 9}));
}

TEST(ComposeReaderTest, PortsShortAndLong) {
  const ComposeFile file = MustRead(kCompose);
  const Service& web = file.services.at(0);
  EXPECT_EQ(web.image->value, "nginx:1.27");
  ASSERT_EQ(web.ports.size(), 7u);
  EXPECT_EQ(web.ports[0].pos, (Pos{10, 9}));
  EXPECT_EQ(web.ports[0].target.start, 80);
  EXPECT_EQ(web.ports[0].published_start, 80);
  EXPECT_EQ(web.ports[1].target.start, 443);  // a plain scalar, not sexagesimal
  EXPECT_EQ(web.ports[1].published_start, 8443);
  EXPECT_EQ(web.ports[2].target.start, 9000);  // a YAML number
  EXPECT_EQ(web.ports[2].published, "");

  const ComposePort& lng = web.ports[3];
  EXPECT_TRUE(lng.valid) << lng.reason;
  EXPECT_TRUE(lng.long_form);
  EXPECT_EQ(lng.pos, (Pos{13, 9}));
  EXPECT_EQ(lng.target.start, 53);
  EXPECT_EQ(lng.target.protocol, PortProtocol::kUdp);
  EXPECT_EQ(lng.published_start, 5353);
  EXPECT_EQ(lng.host_ip, "0.0.0.0");
  EXPECT_EQ(lng.mode, "host");

  EXPECT_EQ(web.ports[4].host_ip, "::1");
  EXPECT_EQ(web.ports[5].target.end, 90);
  EXPECT_EQ(web.ports[5].published_end, 8010);
  EXPECT_FALSE(web.ports[6].valid);
  EXPECT_EQ(web.ports[6].raw, "70000:80");
  EXPECT_EQ(web.ports[6].reason, "host port: port 70000 is outside 1-65535");
  EXPECT_EQ(web.ports[6].pos, (Pos{20, 9}));
}

TEST(ComposeReaderTest, Expose) {
  const ComposeFile file = MustRead(kCompose);
  const Service& web = file.services.at(0);
  ASSERT_EQ(web.expose.size(), 3u);
  EXPECT_EQ(web.expose[0].spec.start, 3000);
  EXPECT_EQ(web.expose[0].pos, (Pos{22, 9}));
  EXPECT_EQ(web.expose[1].spec.start, 3001);
  EXPECT_EQ(web.expose[2].spec.end, 4005);
  EXPECT_EQ(web.expose[2].spec.protocol, PortProtocol::kUdp);
}

TEST(ComposeReaderTest, SysctlsMapForm) {
  const ComposeFile file = MustRead(kCompose);
  const Service& web = file.services.at(0);
  EXPECT_TRUE(web.has_sysctls_key);
  EXPECT_FALSE(web.sysctls_list_form);
  EXPECT_EQ(web.sysctls_key_pos, (Pos{27, 5}));
  EXPECT_EQ(web.sysctls_indent, 6);
  ASSERT_EQ(web.sysctls.size(), 2u);
  const Sysctl* s = web.FindSysctl("net.ipv4.ip_unprivileged_port_start");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, "0");
  EXPECT_EQ(s->value_kind, ScalarKind::kInt);  // fine for Compose
  EXPECT_EQ(s->pos, (Pos{28, 7}));
  EXPECT_EQ(s->value_pos, (Pos{28, 44}));
  EXPECT_TRUE(web.sysctls[1].value_is_string());
}

TEST(ComposeReaderTest, SysctlsListFormBuildStringAndHostNetwork) {
  const ComposeFile file = MustRead(kCompose);
  const Service& api = file.services.at(1);
  ASSERT_TRUE(api.build);
  EXPECT_FALSE(api.build->long_form);
  EXPECT_EQ(api.build->context->value, "./api");
  EXPECT_FALSE(api.build->dockerfile);
  EXPECT_EQ(api.user->value, "root");
  ASSERT_TRUE(api.privileged);
  EXPECT_TRUE(api.privileged->value);
  EXPECT_TRUE(api.HostNetwork());
  EXPECT_FALSE(api.SharesNetworkNamespace());
  EXPECT_TRUE(api.sysctls_list_form);
  ASSERT_EQ(api.sysctls.size(), 2u);
  EXPECT_EQ(api.sysctls[0].name, "net.ipv4.ip_unprivileged_port_start");
  EXPECT_EQ(api.sysctls[0].value, "80");
  EXPECT_EQ(api.sysctls[0].pos, (Pos{36, 9}));
  EXPECT_EQ(api.sysctls[1].value_kind, ScalarKind::kNull);
  ASSERT_EQ(file.issues.size(), 1u);
  EXPECT_EQ(file.issues[0].message, "sysctl \"kernel.msgmax\" has no =value");

  const Service& worker = file.services.at(2);
  ASSERT_TRUE(worker.build);
  EXPECT_TRUE(worker.build->long_form);
  EXPECT_EQ(worker.build->context->value, "./worker");
  EXPECT_EQ(worker.build->dockerfile->value, "Dockerfile.prod");
  EXPECT_EQ(worker.build->dockerfile->pos, (Pos{41, 19}));
  EXPECT_FALSE(worker.HostNetwork());
  EXPECT_TRUE(worker.SharesNetworkNamespace());
}

TEST(ComposeReaderTest, NotAMappingIsNotManifest) {
  ComposeFile file;
  ReadError err;
  EXPECT_FALSE(ReadCompose("- a\n- b\n", "compose.yaml", &file, &err));
  EXPECT_EQ(err.kind, ReadError::Kind::kNotManifest);
  EXPECT_FALSE(ReadCompose("", "compose.yaml", &file, &err));
  EXPECT_EQ(err.kind, ReadError::Kind::kNotManifest);
  // A file with only `include:` reads as zero services.
  EXPECT_TRUE(ReadCompose("include:\n  - other.yaml\n", "compose.yaml", &file, &err));
  EXPECT_TRUE(file.services.empty());
}

TEST(ComposeReaderTest, InvalidYamlHasPosition) {
  ComposeFile file;
  ReadError err;
  EXPECT_FALSE(
      ReadCompose("services:\n  web:\n    image: x\n   ports: y\n", "c.yaml", &file, &err));
  EXPECT_EQ(err.kind, ReadError::Kind::kInvalidYaml);
  EXPECT_EQ(err.line, 4);
  EXPECT_EQ(err.column, 4);
  EXPECT_EQ(err.message, "invalid YAML: end of map not found");
}

TEST(ComposeReaderTest, WrongShapesAreIssues) {
  const ComposeFile file = MustRead(R"(services:
  a: nginx
  b:
    ports: "80:80"
    privileged: "true"
    build: [x]
)");
  ASSERT_EQ(file.services.size(), 2u);
  ASSERT_TRUE(file.services[1].privileged);  // Compose accepts "true"
  EXPECT_TRUE(file.services[1].privileged->value);
  ASSERT_EQ(file.issues.size(), 3u);
  EXPECT_EQ(file.issues[0].message, "service a is not a mapping");
  EXPECT_EQ(file.issues[1].message, "build is neither a path nor a mapping");
  EXPECT_EQ(file.issues[2].message, "ports is not a list");
}

}  // namespace
}  // namespace imglint
