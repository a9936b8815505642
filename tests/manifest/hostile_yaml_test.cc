// SPDX-License-Identifier: Apache-2.0
// Hostile YAML (docs/design.md §8): every case must end with a clean result or a
// clear error without exhausting the stack or memory. "Quickly" is ctest's
// TIMEOUT on every test (tests/CMakeLists.txt), not a clock read here: a
// wall-time threshold fails on a busy machine, a hang fails either way.
#include <gtest/gtest.h>

#include <string>

#include "analyzer/manifest/classify.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"

namespace imglint {
namespace {

ReadError KubeError(const std::string& text, const Limits& limits = Limits()) {
  KubeFile file;
  ReadError err;
  EXPECT_FALSE(ReadKubernetes(text, "hostile.yaml", &file, &err, limits));
  return err;
}

TEST(HostileYamlTest, DeepFlowNestingIsRefusedBeforeParsing) {
  const std::string text = "apiVersion: v1\nkind: Pod\nspec: " + std::string(100000, '[');
  const ReadError err = KubeError(text);
  EXPECT_EQ(err.kind, ReadError::Kind::kLimit);
  EXPECT_EQ(err.message,
            "YAML nesting deeper than 256 levels (raise the limit with --max-yaml-depth)");
  EXPECT_EQ(err.line, 3);
  EXPECT_EQ(err.column, 7 + 255);  // the 256th `[`: 1 block level + 256 flow levels
  EXPECT_EQ(ClassifyYaml(text), YamlKind::kKubernetes);  // intent shown; the reader errors
  EXPECT_EQ(ClassifyYaml(std::string(100000, '[')), YamlKind::kInvalid);
  // Balanced brackets too, and flow mappings.
  EXPECT_EQ(KubeError(std::string(100000, '[') + std::string(100000, ']')).kind,
            ReadError::Kind::kLimit);
  EXPECT_EQ(KubeError(std::string(50000, '{') + std::string(50000, '}')).kind,
            ReadError::Kind::kLimit);
}

TEST(HostileYamlTest, DeepBlockNestingIsRefused) {
  std::string maps;
  for (int i = 0; i < 1000; ++i) maps += std::string(i, ' ') + "a:\n";
  EXPECT_EQ(KubeError(maps).message,
            "YAML nesting deeper than 256 levels (raise the limit with --max-yaml-depth)");

  std::string seqs;
  for (int i = 0; i < 1000; ++i) seqs += "- ";
  EXPECT_EQ(KubeError(seqs + "x\n").message,
            "YAML nesting deeper than 256 levels (raise the limit with --max-yaml-depth)");

  // Sequences at their parent key's indentation nest two levels per line.
  std::string compact;
  for (int i = 0; i < 400; ++i) compact += std::string(2 * i, ' ') + "- a:\n";
  const ReadError err = KubeError(compact);
  EXPECT_EQ(err.kind, ReadError::Kind::kLimit);
}

TEST(HostileYamlTest, NestingJustBelowTheLimitStillParses) {
  std::string text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: " + std::string(200, '[') +
                     std::string(200, ']') + "\n";
  KubeFile file;
  ReadError err;
  EXPECT_TRUE(ReadKubernetes(text, "ok.yaml", &file, &err)) << err.message;
  EXPECT_EQ(file.object_count, 1);
}

// 1000 list items of 1000 containers of `container` each: 10^6 containers
// (and whatever `container` holds) reachable from a few thousand lines.
std::string KubernetesAliasBomb(const std::string& container) {
  std::string containers = "[";
  for (int i = 0; i < 1000; ++i) containers += i == 0 ? "&c " + container : ", *c";
  containers += "]";
  std::string text = "apiVersion: v1\nkind: List\nitems:\n";
  text += "- &pod {apiVersion: v1, kind: Pod, spec: {containers: " + containers + "}}\n";
  for (int i = 1; i < 1000; ++i) text += "- *pod\n";
  return text;
}

TEST(HostileYamlTest, AliasBombEndsWithAnError) {
  // Containers with 1000 keys each: every field lookup scans them, so the
  // node-visit budget runs out long before many containers are built.
  std::string wide = "{";
  for (int i = 0; i < 1000; ++i) wide += "k" + std::to_string(i) + ": 0, ";
  wide += "name: c}";
  ReadError err = KubeError(KubernetesAliasBomb(wide));
  EXPECT_EQ(err.kind, ReadError::Kind::kLimit);
  EXPECT_EQ(err.message,
            "YAML alias expansion exceeds 1000000 nodes (raise the limit with --max-yaml-nodes)");

  // Containers with 1000 ports each (10^9 ports): the element budget stops it.
  std::string ports = "[";
  for (int i = 0; i < 1000; ++i) ports += i == 0 ? "&p {containerPort: 80}" : ", *p";
  ports += "]";
  err = KubeError(KubernetesAliasBomb("{name: c, image: i, ports: " + ports + "}"));
  EXPECT_EQ(err.kind, ReadError::Kind::kLimit);
  EXPECT_EQ(err.message,
            "YAML alias expansion exceeds 100000 model elements (raise the limit with "
            "--max-yaml-elements)");
}

TEST(HostileYamlTest, ComposeAliasBombEndsWithAnError) {
  std::string ports = "[";
  for (int i = 0; i < 5000; ++i) ports += i == 0 ? "&p \"80:80\"" : ", *p";
  ports += "]";
  std::string text = "x-ports: &ports " + ports + "\nservices:\n";
  for (int i = 0; i < 1000; ++i) text += "  s" + std::to_string(i) + ": {ports: *ports}\n";
  ComposeFile file;
  ReadError err;
  EXPECT_FALSE(ReadCompose(text, "compose.yaml", &file, &err));
  // Each short port costs one visit but a whole model element: the element
  // budget runs out first.
  EXPECT_EQ(err.message,
            "YAML alias expansion exceeds 100000 model elements (raise the limit with "
            "--max-yaml-elements)");
  EXPECT_TRUE(file.services.empty());
}

TEST(HostileYamlTest, ClassicBillionLaughsIsHarmless) {
  // The structure is never walked beyond the top-level keys.
  std::string text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  const char* names = "abcdefghi";
  for (int i = 1; i < 9; ++i) {
    text += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int j = 0; j < 9; ++j) text += std::string(j ? ", *" : "*") + names[i - 1];
    text += "]\n";
  }
  EXPECT_EQ(ClassifyYaml(text), YamlKind::kOther);
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: Pod\nspec: {containers: *i}\n" + text),
            YamlKind::kKubernetes);
  KubeFile file;
  ReadError err;
  EXPECT_TRUE(ReadKubernetes("apiVersion: v1\nkind: Pod\n" + text + "spec: {containers: *i}\n",
                             "k.yaml", &file, &err))
      << err.message;
}

TEST(HostileYamlTest, CyclicAliasesTerminate) {
  // yaml-cpp builds a real cycle for an alias inside its own anchor.
  KubeFile kube;
  ReadError err;
  EXPECT_TRUE(ReadKubernetes(
      "apiVersion: v1\nkind: List\nitems: &i [{apiVersion: v1, kind: List, items: *i}]\n", "k.yaml",
      &kube, &err))
      << err.message;
  EXPECT_TRUE(ReadKubernetes(
      "apiVersion: v1\nkind: Pod\nspec: &s {containers: [&c {name: a, <<: *c}], x: *s}\n", "k.yaml",
      &kube, &err))
      << err.message;
  ComposeFile compose;
  EXPECT_TRUE(ReadCompose("services:\n  a: &a {<<: *a, image: x}\n", "c.yaml", &compose, &err))
      << err.message;
  ASSERT_EQ(compose.services.size(), 1u);
  EXPECT_EQ(compose.services[0].image->value, "x");
}

TEST(HostileYamlTest, TenMegabyteScalars) {
  const std::string big(10u << 20, 'x');
  KubeFile file;
  ReadError err;
  ASSERT_TRUE(
      ReadKubernetes("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: " + big + "\n",
                     "big.yaml", &file, &err))
      << err.message;
  EXPECT_EQ(file.workloads.at(0).pod.containers.at(0).image->value.size(), big.size());
  // Quoted, and made of characters the pre-scan looks at.
  const std::string braces = "a: \"" + std::string(10u << 20, '{') + "\"\n";
  EXPECT_EQ(ClassifyYaml(braces), YamlKind::kOther);
  const std::string brackets = "a: '" + std::string(10u << 20, '[') + "'\n";
  EXPECT_EQ(ClassifyYaml(brackets), YamlKind::kOther);
}

TEST(HostileYamlTest, TabsNulsAndInvalidUtf8) {
  const ReadError tab = KubeError("apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n");
  EXPECT_EQ(tab.kind, ReadError::Kind::kInvalidYaml);
  EXPECT_EQ(tab.line, 4);

  KubeFile file;
  ReadError err;
  // Tabs inside values and after keys are fine.
  EXPECT_TRUE(
      ReadKubernetes("apiVersion: v1\nkind: Pod\nmetadata:\n  name:\tx\t\n", "t.yaml", &file, &err))
      << err.message;
  // NUL bytes and invalid UTF-8 yield some clean result, never a crash.
  const std::string nul("apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\0b\"}\n", 47);
  (void)ReadKubernetes(nul, "n.yaml", &file, &err);
  (void)ClassifyYaml(nul);
  (void)ReadKubernetes("apiVersion: v1\nkind: \xff\xfe\x80\nspec: {}\n", "u.yaml", &file, &err);
  ComposeFile compose;
  (void)ReadCompose("services:\n  \xc3: {image: \"\xed\xa0\x80\"}\n", "u.yaml", &compose, &err);
}

TEST(HostileYamlTest, ConfigurableLimits) {
  Limits limits;
  limits.max_input_bytes = 10;
  ReadError err = KubeError("apiVersion: v1\nkind: Pod\n", limits);
  EXPECT_EQ(err.kind, ReadError::Kind::kLimit);
  EXPECT_EQ(err.message,
            "YAML input is 25 bytes, more than the limit of 10 (raise the limit with "
            "--max-yaml-bytes)");

  limits = Limits();
  limits.max_documents = 3;
  err = KubeError("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n", limits);
  EXPECT_EQ(err.message,
            "YAML stream has 4 documents, more than 3 (raise the limit with "
            "--max-yaml-documents)");

  limits = Limits();
  limits.max_node_visits = 20;
  std::string many = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n";
  for (int i = 0; i < 50; ++i) many += "  - name: c" + std::to_string(i) + "\n";
  err = KubeError(many, limits);
  EXPECT_EQ(err.message, "YAML document exceeds 20 nodes (raise the limit with --max-yaml-nodes)");

  limits = Limits();
  limits.max_elements = 10;
  err = KubeError(many, limits);
  EXPECT_EQ(err.message,
            "YAML document exceeds 10 model elements (raise the limit with --max-yaml-elements)");
}

}  // namespace
}  // namespace imglint
