// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/kube_reader.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "tests/manifest/manifest_test_util.h"

namespace imglint {
namespace {

KubeFile MustRead(const std::string& text) {
  KubeFile file;
  ReadError err;
  EXPECT_TRUE(ReadKubernetes(text, "k.yaml", &file, &err))
      << err.line << ":" << err.column << ": " << err.message;
  return file;
}

// A minimal pod spec body indented by `indent` spaces.
std::string PodSpecBody(int indent, const std::string& image) {
  const std::string pad(indent, ' ');
  return pad + "containers:\n" + pad + "- name: app\n" + pad + "  image: " + image + "\n";
}

struct KindCase {
  const char* kind;
  const char* api;
  std::string prefix;  // keys leading to the pod spec
  int indent;          // indentation of the pod spec's keys
  const char* path;
};

void PrintTo(const KindCase& c, std::ostream* os) { *os << c.kind; }

class WorkloadKindTest : public ::testing::TestWithParam<KindCase> {};

TEST_P(WorkloadKindTest, FindsThePodSpec) {
  const KindCase& c = GetParam();
  const std::string text = std::string("apiVersion: ") + c.api + "\nkind: " + c.kind +
                           "\nmetadata:\n  name: web\n  namespace: prod\n" + c.prefix +
                           PodSpecBody(c.indent, "nginx:1.27");
  const KubeFile file = MustRead(text);
  ASSERT_EQ(file.workloads.size(), 1u);
  const Workload& w = file.workloads[0];
  EXPECT_EQ(w.kind.value, c.kind);
  EXPECT_EQ(w.kind.pos, (Pos{2, 7}));
  EXPECT_EQ(w.api_version, c.api);
  EXPECT_EQ(w.name.value, "web");
  EXPECT_EQ(w.name.pos, (Pos{4, 9}));
  EXPECT_EQ(w.ns, "prod");
  EXPECT_EQ(w.pos, (Pos{1, 1}));
  EXPECT_EQ(w.pod.path, c.path);
  EXPECT_EQ(w.pod.indent, c.indent);
  ASSERT_EQ(w.pod.containers.size(), 1u);
  EXPECT_EQ(w.pod.containers[0].name.value, "app");
  ASSERT_TRUE(w.pod.containers[0].image);
  EXPECT_EQ(w.pod.containers[0].image->value, "nginx:1.27");
  EXPECT_EQ(file.object_count, 1);
  EXPECT_TRUE(file.issues.empty());
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, WorkloadKindTest,
    ::testing::Values(KindCase{"Pod", "v1", "spec:\n", 2, "spec"},
                      KindCase{"Deployment", "apps/v1", "spec:\n  template:\n    spec:\n", 6,
                               "spec.template.spec"},
                      KindCase{"ReplicaSet", "apps/v1", "spec:\n  template:\n    spec:\n", 6,
                               "spec.template.spec"},
                      KindCase{"StatefulSet", "apps/v1", "spec:\n  template:\n    spec:\n", 6,
                               "spec.template.spec"},
                      KindCase{"DaemonSet", "apps/v1", "spec:\n  template:\n    spec:\n", 6,
                               "spec.template.spec"},
                      KindCase{"Job", "batch/v1", "spec:\n  template:\n    spec:\n", 6,
                               "spec.template.spec"},
                      KindCase{"ReplicationController", "v1", "spec:\n  template:\n    spec:\n", 6,
                               "spec.template.spec"},
                      KindCase{"CronJob", "batch/v1",
                               "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n",
                               10, "spec.jobTemplate.spec.template.spec"},
                      KindCase{"PodTemplate", "v1", "template:\n  spec:\n", 4, "template.spec"}),
    [](const ::testing::TestParamInfo<KindCase>& info) { return std::string(info.param.kind); });

TEST(KubeReaderTest, MultiDocumentAndUnknownKinds) {
  const KubeFile file = MustRead(R"(apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
---
apiVersion: example.com/v1
kind: Widget
spec:
  template:
    spec:
      containers:
      - name: not-a-pod
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: a
    image: busybox
---
# trailing empty document
)");
  EXPECT_EQ(file.object_count, 3);  // Service, Widget, Pod
  ASSERT_EQ(file.workloads.size(), 1u);
  EXPECT_EQ(file.workloads[0].kind.value, "Pod");
  EXPECT_EQ(file.workloads[0].document, 2);
  EXPECT_EQ(file.workloads[0].pos, (Pos{17, 1}));
}

TEST(KubeReaderTest, ListItemsIncludingTypedLists) {
  const KubeFile file = MustRead(R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: one}
  spec:
    containers: [{name: a, image: "a:1"}]
- apiVersion: v1
  kind: ConfigMap
  data: {}
- apiVersion: apps/v1
  kind: DeploymentList
  items:
  - metadata: {name: two}
    spec:
      template:
        spec:
          containers:
          - name: b
            image: b:2
)");
  ASSERT_EQ(file.workloads.size(), 2u);
  EXPECT_EQ(file.workloads[0].name.value, "one");
  EXPECT_EQ(file.workloads[0].object_path, "items[0]");
  EXPECT_EQ(file.workloads[0].pod.indent, 4);  // block spec inside a list item
  EXPECT_EQ(file.workloads[0].pod.containers[0].image->value, "a:1");
  EXPECT_EQ(file.workloads[1].kind.value, "Deployment");  // inferred from DeploymentList
  EXPECT_EQ(file.workloads[1].name.value, "two");
  EXPECT_EQ(file.workloads[1].object_path, "items[2].items[0]");
  EXPECT_EQ(file.workloads[1].pod.containers[0].image->value, "b:2");
  EXPECT_EQ(file.object_count, 5);
}

TEST(KubeReaderTest, ContainersInitAndEphemeralWithExactPositions) {
  const KubeFile file = MustRead(R"(apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 80
    - name: metrics
      containerPort: 9090
      protocol: UDP
      hostPort: 19090
  ephemeralContainers:
  - name: debug
    image: alpine
)");
  ASSERT_EQ(file.workloads.size(), 1u);
  const std::vector<Container>& cs = file.workloads[0].pod.containers;
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_EQ(cs[0].name.value, "web");
  EXPECT_EQ(cs[0].kind, ContainerKind::kContainer);
  EXPECT_EQ(cs[0].pos, (Pos{10, 5}));
  EXPECT_EQ(cs[0].name.pos, (Pos{10, 11}));
  EXPECT_EQ(cs[0].image->pos, (Pos{11, 12}));
  EXPECT_EQ(cs[1].name.value, "init");
  EXPECT_TRUE(cs[1].IsInit());
  EXPECT_EQ(cs[1].ListName(), "initContainers");
  EXPECT_EQ(cs[2].kind, ContainerKind::kEphemeral);
  EXPECT_EQ(cs[2].ListName(), "ephemeralContainers");

  ASSERT_EQ(cs[0].ports.size(), 2u);
  const ContainerPort& http = cs[0].ports[0];
  EXPECT_TRUE(http.spec.valid);
  EXPECT_EQ(http.spec.start, 80);
  EXPECT_EQ(http.spec.protocol, PortProtocol::kTcp);
  EXPECT_FALSE(http.spec.protocol_explicit);
  EXPECT_EQ(http.pos, (Pos{13, 22}));  // the containerPort value
  EXPECT_FALSE(http.host_port);
  const ContainerPort& metrics = cs[0].ports[1];
  EXPECT_TRUE(metrics.spec.valid);
  EXPECT_EQ(metrics.spec.start, 9090);
  EXPECT_EQ(metrics.spec.protocol, PortProtocol::kUdp);
  EXPECT_EQ(metrics.spec.raw, "9090/UDP");
  EXPECT_EQ(metrics.name, "metrics");
  ASSERT_TRUE(metrics.host_port);
  EXPECT_EQ(metrics.host_port->value, 19090);
  EXPECT_EQ(metrics.host_port->pos, (Pos{17, 17}));
}

TEST(KubeReaderTest, InvalidContainerPortsAreKeptWithReasons) {
  const KubeFile file = MustRead(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: c
    ports:
    - containerPort: 70000
    - containerPort: "80"
    - containerPort: 80
      protocol: tcp
    - containerPort: http
    - protocol: TCP
)");
  const std::vector<ContainerPort>& ports = file.workloads.at(0).pod.containers.at(0).ports;
  ASSERT_EQ(ports.size(), 5u);
  for (const ContainerPort& p : ports) EXPECT_FALSE(p.spec.valid) << p.spec.raw;
  EXPECT_EQ(ports[0].spec.reason, "port 70000 is outside 1-65535");
  EXPECT_EQ(ports[0].spec.raw, "70000");
  EXPECT_EQ(ports[1].spec.reason, "containerPort \"80\" is not an integer");
  EXPECT_EQ(ports[2].spec.reason, "protocol \"tcp\" is not TCP, UDP or SCTP");
  EXPECT_EQ(ports[3].spec.reason, "containerPort \"http\" is not an integer");
  EXPECT_EQ(ports[4].spec.reason, "containerPort is missing");
  EXPECT_EQ(ports[4].pos, (Pos{12, 7}));
}

TEST(KubeReaderTest, WrongTypesBecomeIssuesNotFailures) {
  const KubeFile file = MustRead(R"(apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers: nginx
      initContainers:
      - just-a-string
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: nospec}
)");
  ASSERT_EQ(file.workloads.size(), 1u);
  EXPECT_TRUE(file.workloads[0].pod.containers.empty());
  ASSERT_EQ(file.issues.size(), 3u);
  EXPECT_EQ(file.issues[0].message, "containers is not a list");
  EXPECT_EQ(file.issues[0].pos, (Pos{6, 19}));
  EXPECT_EQ(file.issues[1].message, "initContainers item is not a mapping");
  EXPECT_EQ(file.issues[2].message, "StatefulSet has no spec.template.spec mapping");
}

TEST(KubeReaderTest, MergeKeysAreFollowed) {
  const KubeFile file = MustRead(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - &base
    name: base
    image: app:1
    securityContext: {runAsUser: 1000}
  - <<: *base
    name: sidecar
)");
  const std::vector<Container>& cs = file.workloads.at(0).pod.containers;
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[1].name.value, "sidecar");
  ASSERT_TRUE(cs[1].image);
  EXPECT_EQ(cs[1].image->value, "app:1");
  ASSERT_TRUE(cs[1].EffectiveRunAsUser());
  EXPECT_EQ(cs[1].EffectiveRunAsUser()->value, 1000);
}

TEST(KubeReaderTest, FlowStyleJsonManifest) {
  const KubeFile file = MustRead(
      R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"},
 "spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "i",
   "ports": [{"containerPort": 443}]}]}})");
  ASSERT_EQ(file.workloads.size(), 1u);
  const PodSpec& pod = file.workloads[0].pod;
  EXPECT_EQ(pod.indent, -1);
  EXPECT_TRUE(pod.HostNetwork());
  EXPECT_EQ(pod.containers.at(0).ports.at(0).spec.start, 443);
  EXPECT_EQ(pod.containers[0].ports[0].pos, (Pos{3, 32}));
}

TEST(KubeReaderTest, InvalidYamlReportsLineAndColumn) {
  KubeFile file;
  ReadError err;
  EXPECT_FALSE(ReadKubernetes("apiVersion: v1\nkind: Pod\nspec:\n  containers: [a, b\n", "bad.yaml",
                              &file, &err));
  EXPECT_EQ(err.kind, ReadError::Kind::kInvalidYaml);
  EXPECT_GT(err.line, 0);
  EXPECT_EQ(err.message.rfind("invalid YAML: ", 0), 0u) << err.message;

  EXPECT_FALSE(
      ReadKubernetes("apiVersion: v1\nkind: Pod\n metadata: x\n", "bad.yaml", &file, &err));
  EXPECT_EQ(err.kind, ReadError::Kind::kInvalidYaml);
  EXPECT_EQ(err.line, 3);
  EXPECT_EQ(err.column, 10);
  EXPECT_EQ(err.message, "invalid YAML: illegal map value");
}

TEST(KubeReaderTest, HelmTemplateIsAnError) {
  KubeFile file;
  ReadError err;
  EXPECT_FALSE(ReadKubernetes(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
spec:
  template:
    spec:
      containers:
      - image: "{{ .Values.image.repository }}"
)",
                              "deploy.yaml", &file, &err));
  EXPECT_EQ(err.kind, ReadError::Kind::kHelmTemplate);
  EXPECT_EQ(err.message, "not rendered: run helm template first");
  EXPECT_EQ(err.line, 4);
  EXPECT_EQ(err.column, 9);
}

TEST(KubeReaderTest, GoTemplateTextInsideStringsIsNotHelm) {
  // PrometheusRule annotations use Go templates in string values.
  const KubeFile file = MustRead(R"(apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
spec:
  groups:
  - rules:
    - alert: Down
      annotations:
        description: '{{ $labels.instance }} is down'
        summary: |
          {{ $value }} targets
# {{ .Values.in.a.comment }}
)");
  EXPECT_EQ(file.object_count, 1);
  EXPECT_TRUE(file.workloads.empty());
}

}  // namespace
}  // namespace imglint
