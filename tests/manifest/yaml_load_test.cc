// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/yaml_load.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/manifest/classify.h"
#include "analyzer/manifest/compose_reader.h"
#include "analyzer/manifest/kube_reader.h"

namespace imglint {
namespace {

TEST(YamlLoadTest, MultiDocumentStreams) {
  std::vector<YAML::Node> docs;
  YamlScan scan;
  ReadError err;
  ASSERT_TRUE(LoadYamlDocuments("---\na: 1\n---\n---\nb: 2\n", Limits(), &docs, &scan, &err))
      << err.message;
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_TRUE(docs[0].IsMap());
  EXPECT_TRUE(docs[1].IsNull());
  EXPECT_TRUE(docs[2].IsMap());
  EXPECT_FALSE(scan.has_aliases);
}

// yaml-cpp 0.7.0's LoadAll never returns on a stray top-level `,` (it keeps
// appending null documents until memory runs out; jbeder/yaml-cpp#1319).
// Found by mutating corpus files; each case must end with an error (a hang
// runs into ctest's TIMEOUT).
TEST(YamlLoadTest, StrayTopLevelCommaIsAnErrorNotAHang) {
  struct Case {
    const char* text;
    int line;
    int column;
  };
  const Case cases[] = {
      {",", 1, 1},
      {"\n,\n", 2, 1},
      {"{},\n", 1, 3},
      {"{} ,", 1, 4},
      {"apiVersion: v1\nkind: Pod\n---\n[a]\n,", 5, 1},
  };
  for (const Case& c : cases) {
    KubeFile kube;
    ReadError err;
    EXPECT_FALSE(ReadKubernetes(c.text, "k.yaml", &kube, &err)) << c.text;
    EXPECT_EQ(err.kind, ReadError::Kind::kInvalidYaml) << c.text;
    EXPECT_EQ(err.message, "invalid YAML: unexpected ','") << c.text;
    EXPECT_EQ(err.line, c.line) << c.text;
    EXPECT_EQ(err.column, c.column) << c.text;
    ComposeFile compose;
    EXPECT_FALSE(ReadCompose(c.text, "c.yaml", &compose, &err)) << c.text;
    EXPECT_NE(ClassifyYaml(c.text), YamlKind::kOther) << c.text;
  }
}

}  // namespace
}  // namespace imglint
