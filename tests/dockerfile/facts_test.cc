// SPDX-License-Identifier: Apache-2.0
// The pieces of the Dockerfile facts: chmod/install mode parsing, setcap
// texts, and how image history entries are read back into build steps.
#include "analyzer/dockerfile/facts.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "analyzer/capabilities.h"
#include "analyzer/dockerfile/build_model.h"
#include "analyzer/dockerfile/file_modes.h"
#include "analyzer/dockerfile/parser.h"
#include "analyzer/dockerfile/setcap.h"
#include "analyzer/workspace/build_link.h"

namespace imglint {
namespace {

using dockerfile::SetcapGrants;

std::optional<std::uint32_t> Bits(std::string_view mode) {
  return dockerfile::SpecialBitsSetByMode(mode);
}

TEST(SpecialBitsSetByMode, Octal) {
  EXPECT_EQ(Bits("4755"), 04000u);
  EXPECT_EQ(Bits("04755"), 04000u);  // 5 digits
  EXPECT_EQ(Bits("2755"), 02000u);
  EXPECT_EQ(Bits("6755"), 06000u);
  EXPECT_EQ(Bits("4711"), 04000u);
  EXPECT_EQ(Bits("00755"), 0u);
  EXPECT_EQ(Bits("0755"), 0u);
  EXPECT_EQ(Bits("755"), 0u);
  EXPECT_EQ(Bits("1777"), 0u);  // sticky is not setuid/setgid
  EXPECT_EQ(Bits("7"), 0u);
  EXPECT_EQ(Bits("8755"), std::nullopt);
  EXPECT_EQ(Bits("47555"), std::nullopt);  // > 07777: chmod rejects it
}

TEST(SpecialBitsSetByMode, Symbolic) {
  EXPECT_EQ(Bits("u+s"), 04000u);
  EXPECT_EQ(Bits("g+s"), 02000u);
  EXPECT_EQ(Bits("a+s"), 06000u);
  EXPECT_EQ(Bits("+s"), 06000u);
  EXPECT_EQ(Bits("ug+s"), 06000u);
  EXPECT_EQ(Bits("u=rwxs"), 04000u);
  EXPECT_EQ(Bits("u=rwxs,go=rx"), 04000u);
  EXPECT_EQ(Bits("u+x,g+s"), 02000u);
  EXPECT_EQ(Bits("go-w,u+s"), 04000u);
  EXPECT_EQ(Bits("u+xs"), 04000u);
  EXPECT_EQ(Bits("=4755"), 04000u);
  EXPECT_EQ(Bits("u+s,g+s"), 06000u);
}

TEST(SpecialBitsSetByMode, RemovalsAndNearMisses) {
  EXPECT_EQ(Bits("a-s"), 0u);
  EXPECT_EQ(Bits("u-s"), 0u);
  EXPECT_EQ(Bits("-s"), 0u);
  EXPECT_EQ(Bits("o+s"), 0u);       // no effect
  EXPECT_EQ(Bits("u+s,u-s"), 0u);   // removed again
  EXPECT_EQ(Bits("u+s,a=rx"), 0u);  // `=` without s clears it
  EXPECT_EQ(Bits("g=u"), 0u);       // copies rwx only
  EXPECT_EQ(Bits("+t"), 0u);
  EXPECT_EQ(Bits("u+x"), 0u);
  EXPECT_EQ(Bits("u+q"), std::nullopt);
  EXPECT_EQ(Bits("u+s,"), std::nullopt);
  EXPECT_EQ(Bits("us"), std::nullopt);
  EXPECT_EQ(Bits(""), std::nullopt);
  EXPECT_EQ(Bits("$MODE"), std::nullopt);
}

// The chmod/install steps the facts find, as "line:mode" (the RUN filter
// MaySetSpecialBit decides which RUNs are split into commands at all).
std::vector<std::string> SpecialSteps(const std::string& text) {
  dockerfile::Dockerfile df;
  dockerfile::ParseError err;
  if (!dockerfile::ParseDockerfile(text, &df, &err)) return {"parse error: " + err.message};
  const dockerfile::BuildModel build = dockerfile::AnalyzeBuild(df);
  std::vector<std::string> out;
  for (const auto& step :
       dockerfile::AnalyzeDockerfile("Dockerfile", text, df, build).special_bit_steps) {
    out.push_back(std::to_string(step.location.line) + ":" + step.mode);
  }
  return out;
}

TEST(SpecialBitSteps, EverySpellingOfASpecialModeIsFound) {
  const std::string from = "FROM debian:12\n";
  EXPECT_EQ(SpecialSteps(from + "RUN chmod 4755 /a\n"), (std::vector<std::string>{"2:4755"}));
  EXPECT_EQ(SpecialSteps(from + "RUN chmod \"4\"755 /a\n"), (std::vector<std::string>{"2:4755"}));
  EXPECT_EQ(SpecialSteps(from + "RUN chmod 4\\755 /a\n"), (std::vector<std::string>{"2:4755"}));
  EXPECT_EQ(SpecialSteps(from + "RUN chmod u'+'s /a\n"), (std::vector<std::string>{"2:u+s"}));
  EXPECT_EQ(SpecialSteps(from + "RUN chmod u\\+s /a\n"), (std::vector<std::string>{"2:u+s"}));
  EXPECT_EQ(SpecialSteps(from + "RUN chmod -R g=rwxs /d/a\n"),
            (std::vector<std::string>{"2:g=rwxs"}));
  EXPECT_EQ(SpecialSteps(from + "RUN chmod g+s+x /a;chmod =4755+x /b\n"),
            (std::vector<std::string>{"2:g+s+x", "2:=4755+x"}));
  EXPECT_EQ(SpecialSteps(from + "RUN install --mode=u=rwxs,go=rx a /b\n"),
            (std::vector<std::string>{"2:u=rwxs,go=rx"}));
  EXPECT_EQ(SpecialSteps(from + "RUN apt-get install -y x && install -Dm02755 a /b\n"),
            (std::vector<std::string>{"2:02755"}));
  EXPECT_EQ(SpecialSteps(from + "RUN [\"install\", \"-m\", \"4755\", \"a\", \"/b\"]\n"),
            (std::vector<std::string>{"2:4755"}));  // exec form: the words taken together
  EXPECT_EQ(SpecialSteps(from + "RUN [\"chmod\", \"+s\", \"/a\"]\n"),
            (std::vector<std::string>{"2:+s"}));
  EXPECT_EQ(SpecialSteps(from + "RUN <<EOF\nset -e\nchmod 6755 /a\nEOF\n"),
            (std::vector<std::string>{"4:6755"}));
  // Near misses the filter lets through or stops; none is a step.
  EXPECT_TRUE(SpecialSteps(from + "RUN chmod +x /a && chmod 0755 /b && chmod a-s /c\n").empty());
  EXPECT_TRUE(SpecialSteps(from + "RUN chmod 1777 /tmp && install -m 755 a /b\n").empty());
  EXPECT_TRUE(SpecialSteps(from + "RUN echo u+s 4755 && chmod $MODE /a\n").empty());
}

// The filter against the parser of modes itself: every valid mode of a
// generated set that sets a special bit passes it in a chmod line.
TEST(SpecialBitSteps, FilterNeverStopsAModeThatSetsABit) {
  const std::vector<std::string> who = {"", "u", "g", "o", "a", "ug"};
  const std::vector<std::string> op = {"+", "-", "="};
  const std::vector<std::string> perm = {"",  "s",    "x",    "rws", "t",   "Xs",
                                         "u", "4000", "2755", "s+x", "s-t", "0"};
  std::vector<std::string> clauses;
  for (const auto& w : who) {
    for (const auto& o : op) {
      for (const auto& p : perm) clauses.push_back(w + o + p);
    }
  }
  size_t checked = 0;
  for (const auto& a : clauses) {
    for (const std::string& mode : {a, a + ",u+s", "g-s," + a, a + "," + a}) {
      const auto bits = Bits(mode);
      if (!bits || *bits == 0) continue;
      ++checked;
      EXPECT_TRUE(dockerfile::MaySetSpecialBit("chmod " + mode + " /f")) << mode;
    }
  }
  for (int octal = 0; octal <= 07777; ++octal) {
    char text[8];
    std::snprintf(text, sizeof text, "%o", octal);
    for (const std::string& mode : {std::string(text), "0" + std::string(text)}) {
      if (Bits(mode).value_or(0) == 0) continue;
      ++checked;
      EXPECT_TRUE(dockerfile::MaySetSpecialBit("chmod " + mode + " /f")) << mode;
    }
  }
  EXPECT_GT(checked, 2000u);
  EXPECT_FALSE(dockerfile::MaySetSpecialBit("chmod +x /f && chmod 0755 /g"));
  EXPECT_FALSE(dockerfile::MaySetSpecialBit("apt-get install -y python3-pip"));
  // Shapes inside other words: an assignment, a checksum, a version.
  EXPECT_FALSE(dockerfile::MaySetSpecialBit("SHELL=sh chmod +x a; echo a7354b 1.2345"));
}

TEST(Setcap, GrantsAndRootEquivalence) {
  EXPECT_TRUE(SetcapGrants("cap_net_bind_service=+ep"));
  EXPECT_TRUE(SetcapGrants("cap_net_raw+ep"));
  EXPECT_TRUE(SetcapGrants("CAP_NET_RAW=EP"));
  EXPECT_TRUE(SetcapGrants("=ep"));
  EXPECT_FALSE(SetcapGrants("cap_net_raw-ep"));
  EXPECT_FALSE(SetcapGrants("cap_net_raw="));
  EXPECT_FALSE(SetcapGrants("-r"));

  EXPECT_TRUE(IsRootEquivalent("cap_sys_admin+ep"));
  EXPECT_TRUE(IsRootEquivalent("CAP_SYS_ADMIN+ep"));
  EXPECT_TRUE(IsRootEquivalent("cap_net_raw,cap_setuid=ep"));
  EXPECT_TRUE(IsRootEquivalent("=ep"));
  EXPECT_TRUE(IsRootEquivalent("all=ep"));
  EXPECT_FALSE(IsRootEquivalent("cap_net_bind_service=+ep"));
  EXPECT_FALSE(IsRootEquivalent("cap_net_raw+ep"));
}

TEST(ParseCreatedBy, BuildKit) {
  HistoryStep run = ParseCreatedBy("RUN /bin/sh -c chmod u+s /x # buildkit");
  EXPECT_EQ(run.keyword, "run");
  EXPECT_EQ(run.body, "/bin/sh -c chmod u+s /x");
  HistoryStep args = ParseCreatedBy("RUN |2 A=1 B=2 /bin/sh -c make install # buildkit");
  EXPECT_EQ(args.keyword, "run");
  EXPECT_EQ(ParseCreatedBy("USER app").keyword, "user");
  EXPECT_EQ(ParseCreatedBy("USER app").body, "app");
  EXPECT_EQ(ParseCreatedBy("EXPOSE map[80/tcp:{}]").keyword, "expose");
  HistoryStep copy = ParseCreatedBy("COPY --chmod=4755 tool /usr/local/bin/tool # buildkit");
  EXPECT_EQ(copy.keyword, "copy");
  EXPECT_EQ(copy.body, "--chmod=4755 tool /usr/local/bin/tool");
}

TEST(ParseCreatedBy, ClassicBuilder) {
  HistoryStep user = ParseCreatedBy("/bin/sh -c #(nop)  USER app");
  EXPECT_EQ(user.keyword, "user");
  EXPECT_EQ(user.body, "app");
  HistoryStep run = ParseCreatedBy("/bin/sh -c chmod u+s /x");
  EXPECT_EQ(run.keyword, "run");
  EXPECT_EQ(ParseCreatedBy("|1 A=1 /bin/sh -c make").keyword, "run");
  EXPECT_EQ(ParseCreatedBy("/bin/sh -c #(nop) ADD file:abc in / ").keyword, "add");
  EXPECT_EQ(ParseCreatedBy("something else").keyword, "");
  EXPECT_EQ(ParseCreatedBy("").keyword, "");
}

}  // namespace
}  // namespace imglint
