// SPDX-License-Identifier: Apache-2.0
// Build semantics: stages and inheritance, target selection, ARG scoping
// (global vs stage, redeclaration, --build-arg), ENV precedence, USER,
// EXPOSE, RUN and COPY/ADD information with locations.

#include "analyzer/dockerfile/build_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyzer/dockerfile/parser.h"

namespace imglint::dockerfile {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Built {
  Dockerfile df;
  BuildModel model;
};

Built Build(std::string_view text, BuildOptions options = {}) {
  Built b;
  ParseError err;
  EXPECT_TRUE(ParseDockerfile(text, &b.df, &err)) << err.line << ": " << err.message;
  b.model = AnalyzeBuild(b.df, options);
  return b;
}

TEST(BuildArgs, GlobalArgUsableInFromButNotInStageWithoutRedeclare) {
  const Built b = Build("ARG BASE=alpine:3.19\nARG PORT=8080\nFROM $BASE\nEXPOSE $PORT\n");
  ASSERT_EQ(b.model.stages.size(), 1u);
  const Stage& s = b.model.stages[0];
  EXPECT_EQ(s.base.raw, "$BASE");
  EXPECT_EQ(s.base.value, "alpine:3.19");
  EXPECT_TRUE(s.base.resolved());
  ASSERT_EQ(s.expose.size(), 1u);
  EXPECT_EQ(s.expose[0].port.value, "");
  EXPECT_THAT(s.expose[0].port.unresolved, ElementsAre("PORT"));
  EXPECT_EQ(s.expose[0].port.range.start.line, 4);
}

TEST(BuildArgs, RedeclaredGlobalTakesItsDefault) {
  const Built b = Build("ARG PORT=8080\nFROM alpine\nARG PORT\nEXPOSE $PORT\n");
  const Stage& s = b.model.stages[0];
  ASSERT_EQ(s.expose.size(), 1u);
  EXPECT_EQ(s.expose[0].port.value, "8080");
  EXPECT_TRUE(s.expose[0].port.resolved());
}

TEST(BuildArgs, BuildArgOverridesDefaults) {
  BuildOptions options;
  options.build_args = {{"PORT", "9090"}, {"BASE", "debian"}};
  Built b = Build("ARG BASE=alpine\nARG PORT=8080\nFROM $BASE\nARG PORT\nEXPOSE $PORT\n", options);
  EXPECT_EQ(b.model.stages[0].base.value, "debian");
  EXPECT_EQ(b.model.stages[0].expose[0].port.value, "9090");
  EXPECT_EQ(b.model.global_args.at("PORT").value, "9090");

  b = Build("FROM alpine\nARG PORT=1234\nEXPOSE $PORT\n", options);
  EXPECT_EQ(b.model.stages[0].expose[0].port.value, "9090");
  b = Build("FROM alpine\nARG PORT=1234\nEXPOSE $PORT\n");
  EXPECT_EQ(b.model.stages[0].expose[0].port.value, "1234");
}

TEST(BuildArgs, UndeclaredBuildArgHasNoEffect) {
  BuildOptions options;
  options.build_args = {{"PORT", "80"}};
  const Built b = Build("FROM alpine\nEXPOSE $PORT\n", options);
  EXPECT_THAT(b.model.stages[0].expose[0].port.unresolved, ElementsAre("PORT"));
}

TEST(BuildArgs, ArgWithoutValueIsUnresolvedNotGuessed) {
  const Built b = Build("ARG TAG\nFROM alpine:$TAG\nARG UID\nUSER $UID\n");
  const Stage& s = b.model.stages[0];
  EXPECT_EQ(s.base.value, "alpine:");
  EXPECT_THAT(s.base.unresolved, ElementsAre("TAG"));
  EXPECT_THAT(b.model.global_args.at("TAG").unresolved, ElementsAre("TAG"));
  ASSERT_TRUE(s.user.has_value());
  EXPECT_EQ(s.user->user.raw, "$UID");
  EXPECT_THAT(s.user->user.unresolved, ElementsAre("UID"));
  EXPECT_FALSE(s.user->user.resolved());
}

TEST(BuildArgs, ValueBuiltFromUnresolvedVariablesIsUnknownNotDefaulted) {
  const Built b = Build(
      "ARG G=$NOPE\n"
      "FROM alpine\n"
      "ARG G\n"
      "ENV E=$MISSING\n"
      "EXPOSE ${G:-80} ${E:-81} ${UNSET:-82}\n");
  const auto& expose = b.model.stages[0].expose;
  ASSERT_EQ(expose.size(), 3u);
  EXPECT_THAT(expose[0].port.unresolved, ElementsAre("G"));
  EXPECT_THAT(expose[1].port.unresolved, ElementsAre("E"));
  EXPECT_EQ(expose[2].port.value, "82");  // truly unset: the default applies
  EXPECT_TRUE(expose[2].port.resolved());
}

TEST(BuildArgs, AutomaticPlatformArgsAreUnknownUnlessGiven) {
  Built b = Build("FROM --platform=$BUILDPLATFORM golang AS build\n");
  ASSERT_TRUE(b.model.stages[0].platform.has_value());
  EXPECT_THAT(b.model.stages[0].platform->unresolved, ElementsAre("BUILDPLATFORM"));
  BuildOptions options;
  options.build_args = {{"BUILDPLATFORM", "linux/amd64"}};
  b = Build("ARG BUILDPLATFORM\nFROM --platform=$BUILDPLATFORM golang AS build\n", options);
  EXPECT_EQ(b.model.stages[0].platform->value, "linux/amd64");
}

TEST(BuildEnv, EnvWinsOverArgAndExpandsAgainstPreviousScope) {
  const Built b = Build(
      "FROM alpine\n"
      "ARG X=1\n"
      "ENV X=2\n"
      "EXPOSE $X\n"
      "ENV A=first\n"
      "ENV A=second B=$A\n");
  const Stage& s = b.model.stages[0];
  EXPECT_EQ(s.expose[0].port.value, "2");
  EXPECT_EQ(s.env.at("A").value.value, "second");
  EXPECT_EQ(s.env.at("B").value.value, "first");
  EXPECT_EQ(s.env.at("B").instruction, 5u);
  EXPECT_EQ(s.env.at("B").value.range.start.line, 6);
}

TEST(BuildEnv, OldFormValueKeepsSpaces) {
  const Built b = Build("FROM alpine\nENV GREETING hello  world\n");
  EXPECT_EQ(b.model.stages[0].env.at("GREETING").value.value, "hello  world");
}

TEST(BuildStages, InheritanceFromParentStage) {
  const Built b = Build(
      "FROM alpine AS Base\n"
      "USER app\n"
      "EXPOSE 80 443/tcp\n"
      "ENV HOME=/app\n"
      "FROM base AS child\n"
      "EXPOSE 8080\n"
      "FROM scratch\n");
  ASSERT_EQ(b.model.stages.size(), 3u);
  const Stage& base = b.model.stages[0];
  EXPECT_EQ(base.name, "base");
  const Stage& child = b.model.stages[1];
  EXPECT_EQ(child.base_stage, 0);
  ASSERT_TRUE(child.user.has_value());
  EXPECT_EQ(child.user->user.value, "app");
  EXPECT_EQ(child.user->stage, 0);
  EXPECT_EQ(child.user->instruction, 1u);
  EXPECT_EQ(child.user->user.range.start.line, 2);
  ASSERT_EQ(child.expose.size(), 3u);
  EXPECT_EQ(child.expose[0].port.value, "80");
  EXPECT_EQ(child.expose[0].stage, 0);
  EXPECT_EQ(child.expose[1].port.value, "443/tcp");
  EXPECT_EQ(child.expose[2].port.value, "8080");
  EXPECT_EQ(child.expose[2].stage, 1);
  EXPECT_EQ(child.env.at("HOME").value.value, "/app");
  const Stage& last = b.model.stages[2];
  EXPECT_EQ(last.base_stage, -1);
  EXPECT_FALSE(last.user.has_value());
  EXPECT_TRUE(last.expose.empty());
  EXPECT_EQ(b.model.target, 2);
}

TEST(BuildStages, ChildEnvSeesParentEnvAndUserOverride) {
  const Built b = Build(
      "FROM alpine AS base\nENV APP_USER=svc\nUSER root\n"
      "FROM base\nUSER $APP_USER\n");
  const Stage& child = b.model.stages[1];
  EXPECT_EQ(child.user->user.value, "svc");
  EXPECT_EQ(child.user->stage, 1);
}

TEST(BuildStages, ArgsAreNotInherited) {
  const Built b = Build("FROM alpine AS base\nARG P=1\nFROM base\nEXPOSE $P\n");
  EXPECT_THAT(b.model.stages[1].expose[0].port.unresolved, ElementsAre("P"));
}

TEST(BuildStages, TargetSelection) {
  const char* text = "FROM alpine AS build\nFROM build AS Final\nFROM scratch AS other\n";
  BuildOptions options;
  options.target = "FINAL";
  Built b = Build(text, options);
  EXPECT_EQ(b.model.target, 1);
  ASSERT_NE(b.model.TargetStage(), nullptr);
  EXPECT_EQ(b.model.TargetStage()->name, "final");
  options.target = "nope";
  b = Build(text, options);
  EXPECT_EQ(b.model.target, -1);
  EXPECT_EQ(b.model.TargetStage(), nullptr);
  ASSERT_FALSE(b.model.diagnostics.empty());
  EXPECT_NE(b.model.diagnostics.back().message.find("nope"), std::string::npos);
}

TEST(BuildStages, StageNameIsNotABaseBeforeItExists) {
  const Built b = Build("FROM later\nFROM alpine AS later\n");
  EXPECT_EQ(b.model.stages[0].base_stage, -1);
}

TEST(BuildRun, ShellExecAndHeredocForms) {
  const Built b = Build(
      "FROM alpine\n"
      "SHELL [\"/bin/bash\", \"-c\"]\n"
      "RUN --network=none chmod u+s /bin/x\n"
      "RUN [\"setcap\", \"cap_net_bind_service=+ep\", \"/x\"]\n"
      "RUN <<EOF\n"
      "chmod 4755 /y\n"
      "EOF\n");
  const Stage& s = b.model.stages[0];
  ASSERT_EQ(s.runs.size(), 3u);
  EXPECT_FALSE(s.runs[0].exec_form);
  EXPECT_EQ(s.runs[0].command, "chmod u+s /bin/x");
  EXPECT_THAT(s.runs[0].shell, ElementsAre("/bin/bash", "-c"));
  ASSERT_EQ(s.runs[0].flags.size(), 1u);
  EXPECT_EQ(s.runs[0].flags[0].name, "network");
  // Views of the instruction, not copies (see RunCommand).
  EXPECT_EQ(s.runs[0].command.data(), b.df.instructions[2].args[0].value.data());
  EXPECT_EQ(s.runs[0].range.start.line, 3);
  EXPECT_TRUE(s.runs[1].exec_form);
  EXPECT_THAT(s.runs[1].exec_args, ElementsAre("setcap", "cap_net_bind_service=+ep", "/x"));
  ASSERT_EQ(s.runs[2].heredocs.size(), 1u);
  EXPECT_EQ(s.runs[2].heredocs[0].content, "chmod 4755 /y\n");
  EXPECT_EQ(s.runs[2].heredocs[0].body_line, 6);
}

TEST(BuildCopy, FlagsAreExpandedAndFromResolved) {
  const Built b = Build(
      "FROM golang AS build\n"
      "FROM alpine\n"
      "ARG U=app\n"
      "COPY --from=build --chmod=4755 --chown=$U:$U /go/bin/x /usr/bin/x\n"
      "ADD --chmod=0644 a b /dest/\n"
      "COPY --from=0 /a /b\n"
      "COPY --from=nginx:1 /etc/nginx /etc/nginx\n");
  const Stage& s = b.model.stages[1];
  ASSERT_EQ(s.copies.size(), 4u);
  const CopyCommand& c = s.copies[0];
  EXPECT_FALSE(c.add);
  EXPECT_EQ(c.chmod->value, "4755");
  EXPECT_EQ(c.chown->value, "app:app");
  EXPECT_EQ(c.chown->raw, "$U:$U");
  EXPECT_EQ(c.from_stage, 0);
  EXPECT_EQ(c.chmod->range.start.line, 4);
  EXPECT_EQ(c.chmod->range.start.column, 19);
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].value, "/go/bin/x");
  EXPECT_EQ(c.destination.value, "/usr/bin/x");
  EXPECT_TRUE(s.copies[1].add);
  EXPECT_EQ(s.copies[1].sources.size(), 2u);
  EXPECT_FALSE(s.copies[1].chown.has_value());
  EXPECT_EQ(s.copies[2].from_stage, 0);
  EXPECT_EQ(s.copies[3].from_stage, -1);
}

TEST(BuildDiagnostics, InstructionBeforeFromAndExpansionErrors) {
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseDockerfile("RUN echo\nFROM alpine\nUSER ${oops\n", &df, &err));
  const BuildModel m = AnalyzeBuild(df);
  ASSERT_EQ(m.diagnostics.size(), 2u);
  EXPECT_EQ(m.diagnostics[0].range.start.line, 1);
  EXPECT_EQ(m.diagnostics[1].range.start.line, 3);
  EXPECT_FALSE(m.stages[0].user->user.ok);
}

TEST(BuildDiagnostics, NoFromMeansNoTarget) {
  Dockerfile df;
  ParseError err;
  ASSERT_TRUE(ParseDockerfile("ARG A=1\n", &df, &err));
  const BuildModel m = AnalyzeBuild(df);
  EXPECT_THAT(m.stages, IsEmpty());
  EXPECT_EQ(m.target, -1);
  EXPECT_FALSE(m.diagnostics.empty());
}

}  // namespace
}  // namespace imglint::dockerfile
