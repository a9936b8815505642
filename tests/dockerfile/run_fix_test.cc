// SPDX-License-Identifier: Apache-2.0
// The Dockerfile edits of `imglint fix` (analyzer/dockerfile/run_fix.h) on
// the step the facts flag: the text after the edit for every layout it
// edits, and the reason for every one it refuses. The golden CLI cases in
// fixtures/fix/df-* cover the same end to end, with verification.
#include "analyzer/dockerfile/run_fix.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/dockerfile/facts.h"
#include "analyzer/dockerfile/parser.h"

namespace imglint::dockerfile {
namespace {

// The text after undoing the first flagged setcap (or chmod) step, or
// "refused: <why>".
std::string Fixed(const std::string& text, RunStepKind kind, size_t step = 0) {
  Dockerfile df;
  ParseError err;
  if (!ParseDockerfile(text, &df, &err)) return "parse error: " + err.message;
  const BuildModel build = AnalyzeBuild(df);
  const Facts facts = AnalyzeDockerfile("Dockerfile", text, df, build);
  Location where;
  if (kind == RunStepKind::kSetcap) {
    if (step >= facts.setcap_steps.size()) return "no setcap step";
    where = facts.setcap_steps[step].location;
  } else {
    if (step >= facts.special_bit_steps.size()) return "no chmod step";
    where = facts.special_bit_steps[step].location;
  }
  TextFix fix = RunStepFix(text, "Dockerfile", df, build, {where.line, where.column}, kind);
  if (fix.refused()) return "refused: " + fix.refusal;
  std::string error;
  if (!NormalizeEdits(&fix.edits, &error)) return "overlap: " + error;
  return ApplyEdits(text, fix.edits);
}

std::string Setcap(const std::string& text, size_t step = 0) {
  return Fixed(text, RunStepKind::kSetcap, step);
}
std::string Chmod(const std::string& text, size_t step = 0) {
  return Fixed(text, RunStepKind::kSpecialBits, step);
}

const std::string kFrom = "FROM debian:12\n";
const std::string kCap = "setcap cap_net_bind_service=+ep /bin/s";

TEST(RunStepFix, WholeRunGoes) {
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + "\nUSER 1\n"), kFrom + "USER 1\n");
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + " ;\nUSER 1\n"), kFrom + "USER 1\n");
  EXPECT_EQ(Setcap(kFrom + "RUN \\\n  " + kCap + "\nUSER 1\n"), kFrom + "USER 1\n");
  EXPECT_EQ(Setcap(kFrom + "RUN [\"setcap\", \"cap_net_bind_service+ep\", \"/bin/s\"]\n"), kFrom);
  EXPECT_EQ(Setcap(kFrom + "RUN sudo " + kCap + " # port 80\n"), kFrom);
}

TEST(RunStepFix, AndChains) {
  EXPECT_EQ(Setcap(kFrom + "RUN a && " + kCap + " && b\n"), kFrom + "RUN a && b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + " && b\n"), kFrom + "RUN b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a && " + kCap + "\n"), kFrom + "RUN a\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a &&\t" + kCap + "\t&&\tb\n"), kFrom + "RUN a\t&&\tb\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a; " + kCap + " && b\n"), kFrom + "RUN a; b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a && " + kCap + "; b\n"), kFrom + "RUN a; b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a; " + kCap + "; b\n"), kFrom + "RUN a; b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a | b && " + kCap + "\n"), kFrom + "RUN a | b\n");
}

TEST(RunStepFix, ContinuationLines) {
  EXPECT_EQ(Setcap(kFrom + "RUN a && \\\n    " + kCap + " && \\\n    b\n"),
            kFrom + "RUN a && \\\n    b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a \\\n && " + kCap + " \\\n && b\n"), kFrom + "RUN a \\\n && b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + " && \\\n    b\n"), kFrom + "RUN b\n");
  // A comment line inside the continuation survives when outside the cut.
  EXPECT_EQ(Setcap(kFrom + "RUN a \\\n# why\n && " + kCap + " \\\n && b\n"),
            kFrom + "RUN a \\\n# why\n && b\n");
  EXPECT_EQ(Setcap("# escape=`\n" + kFrom + "RUN a && `\n    " + kCap + " && `\n    b\n"),
            "# escape=`\n" + kFrom + "RUN a && `\n    b\n");
  EXPECT_EQ(Setcap(kFrom + "RUN a && \\\r\n    " + kCap + " && \\\r\n    b\r\n"),
            kFrom + "RUN a && \\\r\n    b\r\n");
  EXPECT_EQ(Setcap("\xEF\xBB\xBF" + kFrom + "RUN a && " + kCap + "\n"),
            "\xEF\xBB\xBF" + kFrom + "RUN a\n");
}

TEST(RunStepFix, Heredocs) {
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\nset -e\na\n  " + kCap + "  # port\nb\nEOF\n"),
            kFrom + "RUN <<EOF\nset -e\na\nb\nEOF\n");
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\n" + kCap + "\nEOF\nUSER 1\n"), kFrom + "USER 1\n");
  EXPECT_EQ(Setcap(kFrom + "RUN <<-EOF\n\ta\n\t" + kCap + "\n\tb\n\tEOF\n"),
            kFrom + "RUN <<-EOF\n\ta\n\tb\n\tEOF\n");
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\r\na && " + kCap + "\r\nb\r\nEOF\r\n"),
            kFrom + "RUN <<EOF\r\na\r\nb\r\nEOF\r\n");
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\nset -e\na\n" + kCap + "\nEOF\n"),
            kFrom + "RUN <<EOF\nset -e\na\nEOF\n");
  // Without errexit the RUN would start failing when `a` fails.
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\na\n" + kCap + "\nEOF\n").substr(0, 43),
            "refused: the command ends a `;` sequence: w");
  EXPECT_EQ(Setcap(kFrom + "RUN cat <<EOF > /x.sh\n" + kCap + "\nEOF\n"), "no setcap step");
}

TEST(RunStepFix, ChmodSpecialBits) {
  EXPECT_EQ(Chmod(kFrom + "RUN chmod u+s /bin/t\n"), kFrom);
  EXPECT_EQ(Chmod(kFrom + "RUN a && chmod g+s /bin/t && b\n"), kFrom + "RUN a && b\n");
  EXPECT_EQ(Chmod(kFrom + "RUN a && chmod ug+s,+s /bin/t\n"), kFrom + "RUN a\n");
  EXPECT_EQ(Chmod(kFrom + "RUN a && chmod 4755 /bin/t\n"), kFrom + "RUN a && chmod 0755 /bin/t\n");
  EXPECT_EQ(Chmod(kFrom + "RUN chmod 06755 /bin/t\n"), kFrom + "RUN chmod 00755 /bin/t\n");
  EXPECT_EQ(Chmod(kFrom + "RUN chmod 3775 /d\n"), kFrom + "RUN chmod 1775 /d\n");
  EXPECT_EQ(Chmod(kFrom + "RUN [\"chmod\", \"2755\", \"/bin/t\"]\n"),
            kFrom + "RUN [\"chmod\", \"0755\", \"/bin/t\"]\n");
  EXPECT_EQ(Chmod(kFrom + "RUN chmod u+xs /bin/t\n"),
            "refused: chmod u+xs changes more than the setuid/setgid bits: drop the s yourself");
  EXPECT_EQ(Chmod(kFrom + "RUN install -m 4755 t /bin/t\n").substr(0, 27),
            "refused: `install -m` copie");
}

TEST(RunStepFix, Refusals) {
  auto refused = [](const std::string& out) { return out.substr(0, 9) == "refused: "; };
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + " || true\n"),
            "refused: the command is part of a `||` list");
  EXPECT_EQ(Setcap(kFrom + "RUN a || b && " + kCap + "\n"),
            "refused: the command is in a `||` list");
  EXPECT_EQ(Setcap(kFrom + "RUN a | " + kCap + "\n"), "refused: the command is part of a pipeline");
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + " & b\n"),
            "refused: the command is part of a background job (`&`)");
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN if x; then " + kCap + "; fi\n")));
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN (" + kCap + ")\n")));
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN a && { " + kCap + "; }\n")));
  EXPECT_EQ(Setcap(kFrom + "RUN a && setcap cap_net_bind_service+ep $(which s)\n"),
            "refused: the command has command substitution, a heredoc or `!`: edit it yourself");
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN a; " + kCap + "\n")));
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN " + kCap + "; echo $?\n")));
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN find /bin -exec setcap cap_net_bind_service+ep {} +\n")));
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN [\"sh\", \"-c\", \"" + kCap + "\"]\n")));
  EXPECT_EQ(Setcap(kFrom + "RUN setcap cap_net_bind_service,cap_net_raw+ep /bin/s\n"),
            "refused: setcap cap_net_bind_service,cap_net_raw+ep /bin/s does more than grant "
            "cap_net_bind_service: remove or narrow it yourself");
  EXPECT_TRUE(refused(Setcap(kFrom + "RUN setcap =ep /bin/s\n")));
  EXPECT_TRUE(
      refused(Setcap(kFrom + "RUN setcap " + "cap_net_bind_service+ep /bin/a -r /bin/b\n")));
}

// The script is read as a flat list from shell_split's records: the first
// thing in the text that is not one is the reason, and what only looks like
// one (a comment, a quoted keyword, `<(…)`, a heredoc body) is not.
TEST(RunStepFix, FlatListsOnly) {
  auto has = [](const std::string& what) {
    return "refused: the RUN's script has " + what +
           ": imglint takes commands only out of flat `&&` lists and `;` sequences";
  };
  EXPECT_EQ(Setcap(kFrom + "RUN for x in a; do " + kCap + "; done\n"), has("`for`"));
  EXPECT_EQ(Setcap(kFrom + "RUN a && { " + kCap + "; }\n"), has("`{`"));
  EXPECT_EQ(Setcap(kFrom + "RUN a;; " + kCap + "\n"), has("`case`"));
  EXPECT_EQ(Setcap(kFrom + "RUN a && (" + kCap + ")\n"), has("a subshell or function definition"));
  EXPECT_EQ(Setcap(kFrom + "RUN f() { " + kCap + "; }\n"),
            has("a subshell or function definition"));
  EXPECT_EQ(Setcap(kFrom + "RUN a && ; " + kCap + "\n"), has("an empty command"));
  EXPECT_EQ(Setcap(kFrom + "RUN " + kCap + " && a |\n"), has("a dangling operator"));
  EXPECT_EQ(Setcap(kFrom + "RUN ! " + kCap + "\n"),
            "refused: the command has command substitution, a heredoc or `!`: edit it yourself");
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\nset -e\necho done # if (x)\n" + kCap + "\nEOF\n"),
            kFrom + "RUN <<EOF\nset -e\necho done # if (x)\nEOF\n");
  EXPECT_EQ(Setcap(kFrom + "RUN diff <(a) <(b) && " + kCap + " && \"if\" x\n"),
            kFrom + "RUN diff <(a) <(b) && \"if\" x\n");
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\nset -e\ncat <<X >/f\n(data)\nX\n" + kCap + "\nEOF\n"),
            kFrom + "RUN <<EOF\nset -e\ncat <<X >/f\n(data)\nX\nEOF\n");
  // Cutting `&&` and the command would take the other heredoc's body along.
  EXPECT_EQ(Setcap(kFrom + "RUN <<EOF\ncat <<X >/f &&\ndata\nX\n" + kCap + "\nEOF\n"),
            "refused: a heredoc body stands between the command and its neighbour: edit it "
            "yourself");
}

// Every setcap step's fix, made alone and then checked together: "kept" or
// "refused: <why>" per step.
std::vector<std::string> TogetherSetcaps(const std::string& text) {
  Dockerfile df;
  ParseError err;
  if (!ParseDockerfile(text, &df, &err)) return {"parse error: " + err.message};
  const BuildModel build = AnalyzeBuild(df);
  const Facts facts = AnalyzeDockerfile("Dockerfile", text, df, build);
  std::vector<TextFix> fixes;
  for (const auto& step : facts.setcap_steps) {
    fixes.push_back(RunStepFix(text, "Dockerfile", df, build,
                               {step.location.line, step.location.column}, RunStepKind::kSetcap));
  }
  std::vector<TextFix*> pointers;
  for (TextFix& fix : fixes) pointers.push_back(&fix);
  RefuseOverlappingRunSteps(pointers);
  std::vector<std::string> out;
  for (const TextFix& fix : fixes)
    out.push_back(fix.refused() ? "refused: " + fix.refusal : "kept");
  return out;
}

// `X && Y`: each cut takes the `&&` between them (`X && `, ` && Y`), so the
// edits overlap and both are refused. Cuts that only touch (`a && X && Y &&
// b`) or lie in different RUNs go ahead.
TEST(RunStepFix, TwoCutsInOneList) {
  const std::string both =
      "refused: another flagged command of the same RUN would be taken out too, and two cuts "
      "in one list cannot be made safely: remove them yourself";
  EXPECT_EQ(TogetherSetcaps(kFrom + "RUN " + kCap + " && " + kCap + "2\n"),
            (std::vector<std::string>{both, both}));
  EXPECT_EQ(TogetherSetcaps(kFrom + "RUN a && " + kCap + " && " + kCap + "2 && b\n"),
            (std::vector<std::string>{"kept", "kept"}));
  EXPECT_EQ(TogetherSetcaps(kFrom + "RUN a && " + kCap + "\nRUN " + kCap + "2 && b\n"),
            (std::vector<std::string>{"kept", "kept"}));
}

}  // namespace
}  // namespace imglint::dockerfile
