// SPDX-License-Identifier: Apache-2.0
// action.yml and .pre-commit-hooks.yaml parse, have the shape GitHub and
// pre-commit expect, and their docs mention every input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>
#include <set>

#include "tests/support/cli_runner.h"

namespace imglint {
namespace {

using ::testing::HasSubstr;

std::string Read(const std::string& relative) {
  std::ifstream in(testing::SourceDir() + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << relative;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(GithubAction, IsACompositeActionWithTheDocumentedInputs) {
  YAML::Node action = YAML::Load(Read("action.yml"));
  EXPECT_FALSE(action["name"].as<std::string>().empty());
  EXPECT_FALSE(action["description"].as<std::string>().empty());
  EXPECT_EQ(action["runs"]["using"].as<std::string>(), "composite");
  std::string docs = Read("docs/github-action.md");
  for (const char* input :
       {"targets", "fail-on", "config", "category", "upload-sarif", "sarif-file"}) {
    SCOPED_TRACE(input);
    ASSERT_TRUE(action["inputs"][input].IsMap());
    EXPECT_TRUE(action["inputs"][input]["description"].IsScalar());
  }
  for (const auto& input : action["inputs"]) {
    EXPECT_THAT(docs, HasSubstr("`" + input.first.as<std::string>() + "`"))
        << "docs/github-action.md does not document input " << input.first.as<std::string>();
  }
  bool uploads = false;
  for (const YAML::Node& step : action["runs"]["steps"]) {
    if (step["run"]) {
      EXPECT_TRUE(step["shell"]) << "composite run steps need a shell: " << step["name"];
      // Inputs go through env: pasting ${{ inputs.x }} into a script is injectable.
      EXPECT_THAT(step["run"].as<std::string>(), ::testing::Not(HasSubstr("${{")));
    }
    if (step["uses"] && step["uses"].as<std::string>() == "github/codeql-action/upload-sarif@v3") {
      uploads = true;
      EXPECT_TRUE(step["with"]["sarif_file"]);
    }
  }
  EXPECT_TRUE(uploads);
}

TEST(PreCommitHooks, ParseAndMatchTheRightFiles) {
  YAML::Node hooks = YAML::Load(Read(".pre-commit-hooks.yaml"));
  ASSERT_TRUE(hooks.IsSequence());
  std::set<std::string> ids;
  std::string docs = Read("docs/pre-commit.md");
  for (const YAML::Node& hook : hooks) {
    std::string id = hook["id"].as<std::string>();
    SCOPED_TRACE(id);
    EXPECT_TRUE(ids.insert(id).second);
    EXPECT_THAT(docs, HasSubstr(id));
    EXPECT_EQ(hook["entry"].as<std::string>(), "imglint");
    std::string language = hook["language"].as<std::string>();
    EXPECT_TRUE(language == "system" || language == "docker") << language;
    RE2 files(hook["files"].as<std::string>());
    ASSERT_TRUE(files.ok()) << files.error();
    auto matches = [&](const std::string& path) { return RE2::PartialMatch(path, files); };
    if (id.starts_with("imglint-dockerfile")) {
      for (const char* yes : {"Dockerfile", "app/Dockerfile", "Dockerfile.prod", "build.Dockerfile",
                              "Containerfile"}) {
        EXPECT_TRUE(matches(yes)) << yes;
      }
      for (const char* no : {"README.md", "dockerfiles/notes.txt", "compose.yaml"}) {
        EXPECT_FALSE(matches(no)) << no;
      }
    } else if (id.starts_with("imglint-compose")) {
      for (const char* yes : {"compose.yaml", "docker-compose.yml", "ops/compose.prod.yaml",
                              "docker-compose.override.yml"}) {
        EXPECT_TRUE(matches(yes)) << yes;
      }
      for (const char* no : {"k8s/deploy.yaml", ".github/workflows/ci.yml", "composer.json"}) {
        EXPECT_FALSE(matches(no)) << no;
      }
    } else if (id.starts_with("imglint-kubernetes")) {
      for (const char* yes : {"k8s/deploy.yaml", "deploy/web/pod.yml", "manifests/svc.yaml"}) {
        EXPECT_TRUE(matches(yes)) << yes;
      }
      for (const char* no : {".github/workflows/ci.yml", "compose.yaml", "k8s/README.md"}) {
        EXPECT_FALSE(matches(no)) << no;
      }
    } else {
      ADD_FAILURE() << "unexpected hook " << id;
    }
  }
  EXPECT_EQ(ids.size(), 6u);
}

}  // namespace
}  // namespace imglint
