// Interop tests: images built by independent real tools (umoci + skopeo, from real Debian
// .debs, see fixtures/interop/make-images.sh) must give exactly the findings that the
// tools' own view of the final filesystem says they should.
//
// Ground truth (fixtures/interop/expected-*.txt) was recorded by unpacking the final image
// with umoci and running `find -perm -4000/-2000` and `getcap -r` on it. Each of the three
// encodings of the same image is linted through the real CLI:
//   interop-oci.tar     skopeo oci-archive (OCI image layout tarball, gzip layers)
//   interop-docker.tar  skopeo docker-archive (docker-save tarball, plain tar layers)
//   oci-dir/            umoci's OCI image layout directory
// with `imglint --format json --fail-on never TARGET` and the JSON of docs/design.md §4 is checked.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using PathSet = std::set<std::string>;

const fs::path kSourceDir{IMGLINT_SOURCE_DIR};
const fs::path kInteropDir = kSourceDir / "fixtures" / "interop";
const fs::path kDemoDir = kSourceDir / "fixtures" / "demo";

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

struct LintRun {
  int exit_code = -1;
  std::string stdout_text;
  json doc;                 // null when stdout was not valid JSON
  std::string parse_error;  // why doc is null
};

LintRun RunImglint(const fs::path& target) {
  LintRun run;
  const std::string cmd = ShellQuote(IMGLINT_BINARY) + " --format json --fail-on never " +
                          ShellQuote(target.string()) + " </dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    run.parse_error = "popen failed";
    return run;
  }
  std::array<char, 8192> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    run.stdout_text.append(buf.data(), n);
  }
  const int status = pclose(pipe);
  run.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  try {
    run.doc = json::parse(run.stdout_text);
  } catch (const json::exception& e) {
    run.doc = nullptr;
    run.parse_error = e.what();
  }
  return run;
}

// One CLI run per target, shared by all tests of that target.
const LintRun& Lint(const fs::path& target) {
  static std::map<std::string, LintRun> cache;
  auto it = cache.find(target.string());
  if (it == cache.end()) {
    it = cache.emplace(target.string(), RunImglint(target)).first;
  }
  return it->second;
}

PathSet ReadLines(const fs::path& file) {
  PathSet lines;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    lines.insert(line);
  }
  return lines;
}

std::string Join(const PathSet& s) {
  std::ostringstream out;
  for (const auto& x : s) out << "  " << x << "\n";
  return out.str();
}

std::string StringOr(const json& j, const char* key, const std::string& fallback = "") {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return fallback;
}

// Findings of `rule` whose severity is not "note" (docs/design.md §2: a setuid file deleted or
// chmod-ed in a later layer may still be reported as a note; that is not a finding in
// the final filesystem).
std::vector<json> Findings(const json& doc, const std::string& rule, bool include_notes = false) {
  std::vector<json> out;
  if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) return out;
  for (const auto& f : doc["findings"]) {
    if (StringOr(f, "rule") != rule) continue;
    if (!include_notes && StringOr(f, "severity") == "note") continue;
    out.push_back(f);
  }
  return out;
}

std::string ImagePath(const json& finding) {
  if (!finding.contains("location")) return "";
  return StringOr(finding["location"], "image_path", "<no image_path>");
}

PathSet ImagePaths(const json& doc, const std::string& rule) {
  PathSet paths;
  for (const auto& f : Findings(doc, rule)) paths.insert(ImagePath(f));
  return paths;
}

// "/in/image/path cap_text" for every IL203 finding; the cap text is the getcap-style
// `cap_a,cap_b=ep` found in the message.
PathSet CapLines(const json& doc) {
  static const std::regex kCapText(R"((cap_[a-z0-9_]+(?:,cap_[a-z0-9_]+)*[=+][eip]+))");
  PathSet lines;
  for (const auto& f : Findings(doc, "IL203")) {
    const std::string message = StringOr(f, "message");
    std::smatch m;
    const std::string cap =
        std::regex_search(message, m, kCapText) ? m[1].str() : "<no cap text in: " + message + ">";
    lines.insert(ImagePath(f) + " " + cap);
  }
  return lines;
}

bool MentionsPort(const std::string& text, const std::string& port) {
  const std::regex re("(^|[^0-9])" + port + "([^0-9]|$)");
  return std::regex_search(text, re);
}

std::string Describe(const LintRun& run) {
  std::string head = run.stdout_text.substr(0, 2000);
  return "exit=" + std::to_string(run.exit_code) + " parse_error=" + run.parse_error +
         "\nstdout (first 2000 bytes):\n" + head;
}

// ---------------------------------------------------------------------------------------
// The interop image, in three encodings.
// ---------------------------------------------------------------------------------------

class InteropImage : public ::testing::TestWithParam<const char*> {
 protected:
  fs::path Target() const { return kInteropDir / GetParam(); }
  const LintRun& Run() const { return Lint(Target()); }
  const json& Doc() const { return Run().doc; }
};

TEST_P(InteropImage, FixtureIsPresent) {
  ASSERT_TRUE(fs::exists(Target())) << Target() << " missing: run fixtures/interop/make-images.sh";
  ASSERT_FALSE(ReadLines(kInteropDir / "expected-setuid.txt").empty());
  ASSERT_FALSE(ReadLines(kInteropDir / "expected-caps.txt").empty());
}

TEST_P(InteropImage, ProducesValidJsonForOneImageTarget) {
  const LintRun& run = Run();
  ASSERT_TRUE(run.doc.is_object()) << Describe(run);
  EXPECT_EQ(run.exit_code, 0) << "--fail-on never must exit 0\n" << Describe(run);
  EXPECT_EQ(run.doc.value("version", 0), 1);
  ASSERT_TRUE(run.doc.contains("targets") && run.doc["targets"].is_array()) << Describe(run);
  ASSERT_EQ(run.doc["targets"].size(), 1u) << Describe(run);
  const json& t = run.doc["targets"][0];
  EXPECT_EQ(StringOr(t, "kind"), "image") << t.dump();
  EXPECT_TRUE(t.contains("error") && t["error"].is_null()) << t.dump();
  ASSERT_TRUE(run.doc.contains("findings") && run.doc["findings"].is_array()) << Describe(run);
}

TEST_P(InteropImage, SetuidFilesMatchGroundTruth) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  const PathSet expected = ReadLines(kInteropDir / "expected-setuid.txt");
  const PathSet actual = ImagePaths(Doc(), "IL201");
  EXPECT_EQ(actual, expected) << "expected:\n" << Join(expected) << "actual:\n" << Join(actual);
}

TEST_P(InteropImage, SetgidFilesMatchGroundTruth) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  const PathSet expected = ReadLines(kInteropDir / "expected-setgid.txt");
  const PathSet actual = ImagePaths(Doc(), "IL202");
  EXPECT_EQ(actual, expected) << "expected:\n" << Join(expected) << "actual:\n" << Join(actual);
}

TEST_P(InteropImage, FileCapabilitiesMatchGetcap) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  const PathSet expected = ReadLines(kInteropDir / "expected-caps.txt");
  const PathSet actual = CapLines(Doc());
  EXPECT_EQ(actual, expected) << "expected:\n" << Join(expected) << "actual:\n" << Join(actual);
}

// Whited-out / chmod-ed in layer 2, a symlink to a setuid file, setgid directories.
TEST_P(InteropImage, LowerLayerSymlinksAndDirectoriesAreNotFindings) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  const PathSet must_not = ReadLines(kInteropDir / "expected-not-reported.txt");
  ASSERT_FALSE(must_not.empty());
  for (const char* rule : {"IL201", "IL202", "IL203"}) {
    for (const auto& path : ImagePaths(Doc(), rule)) {
      EXPECT_EQ(must_not.count(path), 0u) << rule << " reported " << path;
    }
  }
}

TEST_P(InteropImage, ImageFindingsNameTheirLayer) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  for (const char* rule : {"IL201", "IL202", "IL203"}) {
    for (const auto& f : Findings(Doc(), rule)) {
      ASSERT_TRUE(f.contains("location")) << f.dump();
      const std::string digest = StringOr(f["location"], "layer_digest");
      EXPECT_EQ(digest.rfind("sha256:", 0), 0u) << rule << " " << f.dump();
    }
  }
}

TEST_P(InteropImage, RootThroughUidZeroAliasIsReported) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  // config.User is "toor", which /etc/passwd maps to uid 0.
  EXPECT_FALSE(Findings(Doc(), "IL101").empty()) << Describe(Run());
  // ...and "toor" exists, so it is not an unknown user.
  EXPECT_TRUE(Findings(Doc(), "IL102").empty()) << Describe(Run());
}

TEST_P(InteropImage, PrivilegedPortIs80Only) {
  ASSERT_TRUE(Doc().is_object()) << Describe(Run());
  const auto il301 = Findings(Doc(), "IL301");
  bool saw_80 = false;
  for (const auto& f : il301) {
    const std::string message = StringOr(f, "message");
    if (MentionsPort(message, "80")) saw_80 = true;
    EXPECT_FALSE(MentionsPort(message, "8080")) << "IL301 for 8080/tcp: " << f.dump();
  }
  EXPECT_TRUE(saw_80) << "no IL301 naming port 80\n" << Describe(Run());
}

INSTANTIATE_TEST_SUITE_P(Encodings, InteropImage,
                         ::testing::Values("interop-oci.tar", "interop-docker.tar", "oci-dir"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// ---------------------------------------------------------------------------------------
// The README quick-start demo image.
// ---------------------------------------------------------------------------------------

TEST(DemoImage, ShowsRootSetuidCapabilityAndPort80) {
  const fs::path target = kDemoDir / "demo-image.tar";
  ASSERT_TRUE(fs::exists(target)) << target;
  const LintRun& run = Lint(target);
  ASSERT_TRUE(run.doc.is_object()) << Describe(run);
  EXPECT_EQ(run.exit_code, 0) << Describe(run);

  EXPECT_FALSE(Findings(run.doc, "IL101").empty()) << "config has no User: runs as root";
  EXPECT_EQ(ImagePaths(run.doc, "IL201"), ReadLines(kDemoDir / "expected-setuid.txt"));
  EXPECT_EQ(ImagePaths(run.doc, "IL202"), ReadLines(kDemoDir / "expected-setgid.txt"));
  EXPECT_EQ(CapLines(run.doc), ReadLines(kDemoDir / "expected-caps.txt"));

  bool saw_80 = false;
  for (const auto& f : Findings(run.doc, "IL301")) {
    if (MentionsPort(StringOr(f, "message"), "80")) saw_80 = true;
  }
  EXPECT_TRUE(saw_80) << Describe(run);
}

TEST(DemoImage, DefaultFailOnErrorExitsOne) {
  // The quick start shows `imglint demo-image.tar; echo $?` -> 1 (IL101 is an error).
  const fs::path target = kDemoDir / "demo-image.tar";
  const std::string cmd = ShellQuote(IMGLINT_BINARY) + " --format json " +
                          ShellQuote(target.string()) + " >/dev/null 2>&1 </dev/null";
  const int status = std::system(cmd.c_str());
  ASSERT_NE(status, -1);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
