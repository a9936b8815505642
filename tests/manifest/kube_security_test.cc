// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <string>

#include "analyzer/manifest/kube_reader.h"
#include "tests/manifest/manifest_test_util.h"

namespace imglint {
namespace {

PodSpec ReadPod(const std::string& text, std::vector<Issue>* issues = nullptr) {
  KubeFile file;
  ReadError err;
  EXPECT_TRUE(ReadKubernetes(text, "pod.yaml", &file, &err)) << err.message;
  if (issues != nullptr) *issues = file.issues;
  if (file.workloads.size() != 1) {
    ADD_FAILURE() << "expected one workload, got " << file.workloads.size();
    return PodSpec();
  }
  return file.workloads[0].pod;
}

constexpr char kPrecedence[] = R"(apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      securityContext:
        runAsUser: 1000
        runAsGroup: 3000
        runAsNonRoot: true
      containers:
      - name: inherits
        image: a
      - name: overrides
        image: b
        securityContext:
          runAsUser: 0
          runAsNonRoot: false
          allowPrivilegeEscalation: false
          capabilities:
            add: ["NET_BIND_SERVICE"]
            drop: [ALL]
      - name: privileged
        image: c
        securityContext:
          privileged: true
          allowPrivilegeEscalation: false
          capabilities: {add: [cap_sys_admin]}
)";

TEST(KubeSecurityTest, ContainerLevelOverridesPodLevel) {
  const PodSpec pod = ReadPod(kPrecedence);
  ASSERT_EQ(pod.containers.size(), 3u);
  EXPECT_TRUE(pod.sc.present);
  EXPECT_EQ(pod.sc.key_pos, (Pos{6, 7}));
  EXPECT_EQ(pod.sc.pos, (Pos{7, 9}));
  EXPECT_EQ(pod.sc.indent, 8);

  const Container& inherits = pod.containers[0];
  EXPECT_FALSE(inherits.sc.present);
  ASSERT_TRUE(inherits.EffectiveRunAsUser());
  EXPECT_EQ(inherits.EffectiveRunAsUser()->value, 1000);
  EXPECT_EQ(inherits.EffectiveRunAsUser()->pos, (Pos{7, 20}));  // from the pod level
  EXPECT_EQ(inherits.EffectiveRunAsGroup()->value, 3000);
  EXPECT_TRUE(inherits.EffectiveRunAsNonRoot()->value);
  EXPECT_TRUE(inherits.EffectiveAllowPrivilegeEscalation());  // Kubernetes default
  EXPECT_FALSE(inherits.Privileged());

  const Container& overrides = pod.containers[1];
  ASSERT_TRUE(overrides.EffectiveRunAsUser());
  EXPECT_EQ(overrides.EffectiveRunAsUser()->value, 0);
  EXPECT_EQ(overrides.EffectiveRunAsUser()->pos, (Pos{16, 22}));  // from the container
  EXPECT_EQ(overrides.EffectiveRunAsGroup()->value, 3000);        // not overridden
  EXPECT_FALSE(overrides.EffectiveRunAsNonRoot()->value);
  EXPECT_FALSE(overrides.EffectiveAllowPrivilegeEscalation());
  EXPECT_TRUE(overrides.AddsCapability("NET_BIND_SERVICE"));
  EXPECT_TRUE(overrides.AddsCapability("cap_net_bind_service"));
  EXPECT_FALSE(overrides.AddsCapability("SYS_ADMIN"));
  EXPECT_TRUE(overrides.DropsCapability("NET_RAW"));  // via ALL
  ASSERT_EQ(overrides.sc.cap_add.size(), 1u);
  EXPECT_EQ(overrides.sc.cap_add[0].pos, (Pos{20, 19}));  // the opening quote
  EXPECT_EQ(overrides.sc.indent, 10);

  const Container& privileged = pod.containers[2];
  EXPECT_TRUE(privileged.Privileged());
  EXPECT_TRUE(privileged.EffectiveAllowPrivilegeEscalation());  // privileged wins
  EXPECT_TRUE(privileged.AddsCapability("SYS_ADMIN"));
}

TEST(KubeSecurityTest, NoSecurityContextAnywhere) {
  const PodSpec pod = ReadPod("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n");
  EXPECT_FALSE(pod.sc.present);
  EXPECT_EQ(pod.sc.indent, -1);
  EXPECT_EQ(pod.indent, 2);
  EXPECT_EQ(pod.pos, (Pos{4, 3}));
  EXPECT_FALSE(pod.containers.at(0).EffectiveRunAsUser());
  EXPECT_FALSE(pod.containers[0].EffectiveRunAsNonRoot());
  EXPECT_FALSE(pod.HostNetwork());
}

TEST(KubeSecurityTest, SysctlsWithStringAndNonStringValues) {
  std::vector<Issue> issues;
  const PodSpec pod = ReadPod(R"(apiVersion: v1
kind: Pod
spec:
  hostNetwork: true
  securityContext:
    sysctls:
    - name: net.ipv4.ip_unprivileged_port_start
      value: "0"
    - name: net.ipv4.ping_group_range
      value: 0 2147483647
    - name: kernel.shm_rmid_forced
      value: 1
    - name: net.core.somaxconn
      value: yes
    - name: no.value
    - name: tagged
      value: !!str 5
  containers: []
)",
                              &issues);
  EXPECT_TRUE(pod.HostNetwork());
  EXPECT_EQ(pod.host_network->pos, (Pos{4, 16}));
  EXPECT_TRUE(pod.sc.has_sysctls_key);
  EXPECT_EQ(pod.sc.sysctls_key_pos, (Pos{6, 5}));
  EXPECT_EQ(pod.sc.sysctls_indent, 4);
  ASSERT_EQ(pod.sc.sysctls.size(), 6u);

  const Sysctl* port = pod.sc.FindSysctl("net.ipv4.ip_unprivileged_port_start");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->value, "0");
  EXPECT_TRUE(port->value_is_string());
  EXPECT_EQ(port->pos, (Pos{7, 7}));
  EXPECT_EQ(port->value_pos, (Pos{8, 14}));

  EXPECT_TRUE(pod.sc.sysctls[1].value_is_string());  // a plain scalar with a space
  EXPECT_EQ(pod.sc.sysctls[1].value, "0 2147483647");
  EXPECT_EQ(pod.sc.sysctls[2].value_kind, ScalarKind::kInt);
  EXPECT_EQ(pod.sc.sysctls[2].value, "1");
  EXPECT_EQ(pod.sc.sysctls[3].value_kind, ScalarKind::kBool);  // YAML 1.1 "yes"
  EXPECT_EQ(pod.sc.sysctls[4].value_kind, ScalarKind::kNull);
  EXPECT_TRUE(pod.sc.sysctls[5].value_is_string());

  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].message,
            "sysctl kernel.shm_rmid_forced value is not a string (the API server rejects it)");
  EXPECT_EQ(issues[0].pos, (Pos{12, 14}));
}

TEST(KubeSecurityTest, SysctlsUnderContainerAreRecordedAndFlagged) {
  std::vector<Issue> issues;
  const PodSpec pod = ReadPod(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    securityContext:
      sysctls:
      - {name: net.ipv4.ip_unprivileged_port_start, value: "0"}
)",
                              &issues);
  EXPECT_TRUE(pod.sc.sysctls.empty());
  ASSERT_EQ(pod.containers.at(0).sc.sysctls.size(), 1u);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].pos, (Pos{7, 7}));
}

TEST(KubeSecurityTest, BadlyTypedFieldsAreIssues) {
  std::vector<Issue> issues;
  const PodSpec pod = ReadPod(R"(apiVersion: v1
kind: Pod
spec:
  hostNetwork: "true"
  securityContext:
    runAsUser: "0"
    runAsNonRoot: maybe
  containers:
  - name: a
    securityContext:
      runAsUser: -1
      privileged: [true]
)",
                              &issues);
  EXPECT_FALSE(pod.host_network);
  EXPECT_FALSE(pod.sc.run_as_user);
  EXPECT_FALSE(pod.sc.run_as_non_root);
  ASSERT_TRUE(pod.containers.at(0).sc.run_as_user);
  EXPECT_EQ(pod.containers[0].sc.run_as_user->value, -1);
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_EQ(issues[0].message, "hostNetwork is not a boolean: \"true\"");
  EXPECT_EQ(issues[1].message, "runAsUser is not an integer: \"0\"");
  EXPECT_EQ(issues[2].message, "runAsNonRoot is not a boolean: \"maybe\"");
  EXPECT_EQ(issues[3].message, "negative user/group id -1");
  EXPECT_EQ(issues[4].message, "privileged is not a boolean");
}

}  // namespace
}  // namespace imglint
