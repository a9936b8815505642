// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/yaml_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace imglint {
namespace {

TEST(YamlScanTest, CountsBlockAndFlowNesting) {
  EXPECT_EQ(ScanYamlText("a: 1\n", 256).max_depth, 1);
  EXPECT_EQ(ScanYamlText("a:\n  b:\n    c: 1\n", 256).max_depth, 3);
  EXPECT_EQ(ScanYamlText("a: [1, {b: [2]}]\n", 256).max_depth, 4);
  EXPECT_EQ(ScanYamlText("- - - x\n", 256).max_depth, 4);
  EXPECT_EQ(ScanYamlText("a:\n  - b: 1\n    c: 2\nd: 3\n", 256).max_depth, 3);
}

TEST(YamlScanTest, IgnoresBracketsInQuotesCommentsAndBlockScalars) {
  const YamlScan scan = ScanYamlText(
      "a: '[[[['\n"
      "b: \"{{{{ \\\" [[[\"\n"
      "c: x [[[[ # [[[[\n"
      "d: |\n"
      "  [[[[[[[[\n"
      "    [[[[[[\n"
      "e: 'multi\n"
      "  line [[[[['\n"
      "f: 1\n",
      256);
  EXPECT_EQ(scan.max_depth, 1);
  EXPECT_FALSE(scan.depth_exceeded);
  EXPECT_TRUE(scan.has_template);  // inside the double-quoted scalar
  EXPECT_FALSE(scan.has_helm_markers);
}

TEST(YamlScanTest, BlockScalarUnderSequenceItemKey) {
  // The block scalar belongs to `run:` (column 2); `name:` at column 2 ends it.
  const YamlScan scan = ScanYamlText("- run: |\n    echo {{ x }}\n  name: [a]\n", 256);
  EXPECT_EQ(scan.max_depth, 3);
  EXPECT_TRUE(scan.has_template);
  EXPECT_EQ(scan.template_line, 2);
  EXPECT_EQ(scan.template_column, 10);
}

TEST(YamlScanTest, ReportsWhereTheLimitIsExceeded) {
  const YamlScan scan = ScanYamlText("a: " + std::string(100, '['), 10);
  EXPECT_TRUE(scan.depth_exceeded);
  EXPECT_EQ(scan.depth_line, 1);
  EXPECT_EQ(scan.depth_column, 13);  // the 10th `[` (column 13) makes 11 levels
}

TEST(YamlScanTest, AliasesAndHelmMarkers) {
  EXPECT_TRUE(ScanYamlText("a: &x 1\nb: *x\n", 256).has_aliases);
  EXPECT_FALSE(ScanYamlText("a: 2*3\nb: '*x'\n", 256).has_aliases);
  const YamlScan helm = ScanYamlText("a: 1\n# {{ .Values.x }}\nb: {{- .Chart.Name }}\n", 256);
  EXPECT_TRUE(helm.has_helm_markers);
  EXPECT_EQ(helm.helm_line, 3);
  EXPECT_EQ(helm.helm_column, 4);
  EXPECT_FALSE(ScanYamlText("a: \"{{ $labels.job }}\"\n", 256).has_helm_markers);
  EXPECT_TRUE(ScanYamlText("a: \"{{ template \\\"x\\\" }}\"\n", 256).has_helm_markers);
}

}  // namespace
}  // namespace imglint
