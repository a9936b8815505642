// SPDX-License-Identifier: Apache-2.0
// Variable expansion: every supported form, the escape character, and the
// unresolved-variable report that keeps rules from guessing.

#include "analyzer/dockerfile/shell_lex.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace imglint::dockerfile {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ExpandTest : public testing::Test {
 protected:
  ExpandTest() {
    scope_.Set("SET", "value");
    scope_.Set("EMPTY", "");
    scope_.Set("P", "/usr/local/bin");
    scope_.Set("TWO", "1 2");
  }
  VarScope scope_;
};

TEST_F(ExpandTest, SimpleForms) {
  EXPECT_EQ(Expand("$SET", scope_).value, "value");
  EXPECT_EQ(Expand("${SET}x", scope_).value, "valuex");
  EXPECT_EQ(Expand("a\"$SET\"'$SET'", scope_).value, "avalue$SET");
  EXPECT_EQ(Expand("\\$SET", scope_).value, "$SET");
  EXPECT_EQ(Expand("`$SET", scope_, '`').value, "$SET");
  EXPECT_EQ(Expand("\\$SET", scope_, '`').value, "\\value");
}

TEST_F(ExpandTest, DefaultAndAlternativeForms) {
  EXPECT_EQ(Expand("${NOPE:-d}", scope_).value, "d");
  EXPECT_EQ(Expand("${EMPTY:-d}", scope_).value, "d");
  EXPECT_EQ(Expand("${EMPTY-d}", scope_).value, "");
  EXPECT_EQ(Expand("${NOPE-d}", scope_).value, "d");
  EXPECT_EQ(Expand("${SET:-d}", scope_).value, "value");
  EXPECT_EQ(Expand("${SET:+w}", scope_).value, "w");
  EXPECT_EQ(Expand("${EMPTY:+w}", scope_).value, "");
  EXPECT_EQ(Expand("${EMPTY+w}", scope_).value, "w");
  EXPECT_EQ(Expand("${NOPE+w}", scope_).value, "");
  EXPECT_FALSE(Expand("${NOPE?}", scope_).ok);
  EXPECT_FALSE(Expand("${EMPTY:?must be set}", scope_).ok);
  EXPECT_EQ(Expand("${EMPTY?}", scope_).value, "");
}

TEST_F(ExpandTest, PatternForms) {
  EXPECT_EQ(Expand("${P#*/}", scope_).value, "usr/local/bin");
  EXPECT_EQ(Expand("${P##*/}", scope_).value, "bin");
  EXPECT_EQ(Expand("${P%/*}", scope_).value, "/usr/local");
  EXPECT_EQ(Expand("${P%%/l*}", scope_).value, "/usr");
  EXPECT_EQ(Expand("${P/local/opt}", scope_).value, "/usr/opt/bin");
  EXPECT_EQ(Expand("${P//\\//_}", scope_).value, "_usr_local_bin");
}

TEST_F(ExpandTest, UnresolvedVariablesAreReported) {
  ExpandResult r = Expand("port-$PORT", scope_);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.value, "port-");
  EXPECT_THAT(r.unresolved, ElementsAre("PORT"));
  EXPECT_FALSE(r.resolved());

  EXPECT_THAT(Expand("${PORT:-80}", scope_).unresolved, IsEmpty());
  // The default is not used, so its unset variable does not matter.
  EXPECT_THAT(Expand("${SET:-$NOPE}", scope_).unresolved, IsEmpty());
  EXPECT_THAT(Expand("${NOPE:-$ALSO}", scope_).unresolved, ElementsAre("ALSO"));
  EXPECT_THAT(Expand("${SET:+$NOPE}", scope_).unresolved, ElementsAre("NOPE"));
  EXPECT_THAT(Expand("${NOPE:+$ALSO}", scope_).unresolved, IsEmpty());
  EXPECT_THAT(Expand("$A${B}$A", scope_).unresolved, ElementsAre("A", "B"));
  EXPECT_THAT(Expand("\\$NOPE", scope_).unresolved, IsEmpty());
  EXPECT_THAT(Expand("'$NOPE'", scope_).unresolved, IsEmpty());
  // Set but empty is a value, not an unknown.
  EXPECT_TRUE(Expand("$EMPTY", scope_).resolved());
}

TEST_F(ExpandTest, SyntaxErrors) {
  EXPECT_FALSE(Expand("${SET", scope_).ok);
  EXPECT_FALSE(Expand("${}", scope_).ok);
  EXPECT_FALSE(Expand("'open", scope_).ok);
  EXPECT_FALSE(Expand("${SET:=x}", scope_).ok);
  EXPECT_NE(Expand("${SET", scope_).error.find("missing '}'"), std::string::npos);
}

TEST_F(ExpandTest, WordsSplitOutsideQuotes) {
  ExpandWordsResult w = ExpandWords("a $TWO \"$TWO\" b", scope_);
  ASSERT_TRUE(w.ok);
  EXPECT_THAT(w.words, ElementsAre("a", "1", "2", "1 2", "b"));
}

TEST_F(ExpandTest, FallbackScopes) {
  VarScope args;
  args.Set("X", "from-arg");
  args.Set("Y", "arg-y");
  VarScope env(&args);
  env.Set("X", "from-env");
  EXPECT_EQ(Expand("$X $Y", env).value, "from-env arg-y");
}

TEST_F(ExpandTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "${a:-";
  ExpandResult r = Expand(deep, scope_);
  EXPECT_FALSE(r.ok);
}

TEST(LexOptionsTest, RawQuotesEscapesAndSkipUnset) {
  VarScope none;
  LexOptions options;
  options.raw_quotes = true;
  options.raw_escapes = true;
  options.skip_unset_env = true;
  LexResult r;
  std::string err;
  ASSERT_TRUE(ProcessShellWord("a 'b c' \\\" $X ${Y:-z}", none, options, &r, &err)) << err;
  EXPECT_THAT(r.words, ElementsAre("a", "'b c'", "\\\"", "$X", "${Y:-z}"));
}

}  // namespace
}  // namespace imglint::dockerfile
