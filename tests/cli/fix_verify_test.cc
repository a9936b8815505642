// SPDX-License-Identifier: Apache-2.0
// The gate of `imglint fix` and of SARIF `fixes` (cli/fix_verify.h): a
// real plan for a real file passes; the same plan with its edits made wrong
// — one that leaves the finding, one that adds another — fails, and the
// reason names the finding. No input known today makes the planner itself
// produce such edits (the layouts that would are refused while planning), so
// the wrong edits are made here, on top of the planner's real output.
#include "cli/fix_verify.h"

#include <gtest/gtest.h>

#include "analyzer/image/image_reader.h"
#include "analyzer/workspace/load.h"
#include "cli/report_fixes.h"
#include "rules/engine.h"
#include "tests/support/image_builder.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

constexpr char kPod[] =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  containers:\n"
    "  - name: web\n"
    "    image: example/web:1\n"
    "    securityContext: {runAsUser: 10001}\n"
    "    ports: [{containerPort: 80}]\n";

class FixVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("pod.yaml");
    testing::WriteFileBytes(path_, kPod);
    request_.targets = {path_};
    workspace_ = LoadWorkspace(request_);
    findings_ = RunRules(workspace_, engine_);
    plan_ = PlanFixes(workspace_, findings_, {});
    ASSERT_EQ(plan_.edits.count(path_), 1u) << "the pod needs a planned fix";
  }

  TextEdit Edit(std::string_view from, std::string_view to) const {
    TextEdit e;
    e.path = path_;
    e.begin = std::string_view(kPod).find(from);
    e.end = e.begin + from.size();
    e.replacement = std::string(to);
    return e;
  }

  testing::TempDir dir_;
  std::string path_;
  LoadRequest request_;
  EngineOptions engine_;
  Workspace workspace_;
  std::vector<Finding> findings_;
  FixPlan plan_;
};

TEST_F(FixVerify, ThePlannersEditsPass) {
  const FixVerification check = VerifyFixes(request_, engine_, workspace_, findings_, plan_);
  EXPECT_EQ(check.verified.count(path_), 1u);
  EXPECT_TRUE(check.failures.empty()) << check.failures.begin()->second;
  EXPECT_FALSE(VerifiedReportFixes(request_, engine_, workspace_, findings_).empty());
}

TEST_F(FixVerify, AnEditThatLeavesTheFindingFails) {
  plan_.edits[path_] = {Edit("kind: Pod", "kind: Pod  # not the fix")};
  const FixVerification check = VerifyFixes(request_, engine_, workspace_, findings_, plan_);
  EXPECT_EQ(check.verified.count(path_), 0u);
  ASSERT_EQ(check.failures.count(path_), 1u);
  EXPECT_NE(check.failures.at(path_).find("is still reported after the edit"), std::string::npos)
      << check.failures.at(path_);
  EXPECT_NE(check.failures.at(path_).find("IL30"), std::string::npos) << check.failures.at(path_);
}

TEST_F(FixVerify, AnEditThatAddsAFindingFails) {
  std::vector<TextEdit> edits = plan_.edits.at(path_);
  edits.push_back(Edit("runAsUser: 10001", "runAsUser: 0"));
  std::string error;
  ASSERT_TRUE(NormalizeEdits(&edits, &error)) << error;
  plan_.edits[path_] = edits;
  const FixVerification check = VerifyFixes(request_, engine_, workspace_, findings_, plan_);
  EXPECT_EQ(check.verified.count(path_), 0u);
  ASSERT_EQ(check.failures.count(path_), 1u);
  EXPECT_NE(check.failures.at(path_).find("the edit would add IL101"), std::string::npos)
      << check.failures.at(path_);
}

// Edits never change an image, so the check takes the image targets from the
// first read instead of decoding (or pulling) them again.
TEST_F(FixVerify, ImagesAreNotReadAgain) {
  testing::ImageSpec spec;
  spec.config.user = "1000";
  spec.layers.push_back({.entries = {testing::Dir("/app")}});
  const std::string image = dir_.File("app.tar");
  testing::WriteOciTar(spec, image);
  int reads = 0;
  request_.targets = {path_, image};
  request_.read_image = [&reads](const std::string& target, const ImageReadOptions& options,
                                 ImageTarget* out, std::string* err) {
    ++reads;
    return ReadImage(target, options, out, err);
  };
  workspace_ = LoadWorkspace(request_);
  ASSERT_EQ(workspace_.images.size(), 1u);
  ASSERT_EQ(reads, 1);
  findings_ = RunRules(workspace_, engine_);
  plan_ = PlanFixes(workspace_, findings_, {});
  const FixVerification check = VerifyFixes(request_, engine_, workspace_, findings_, plan_);
  EXPECT_EQ(check.verified.count(path_), 1u);
  EXPECT_EQ(reads, 1);
}

}  // namespace
}  // namespace imglint
