// SPDX-License-Identifier: Apache-2.0
// parse_dockerfiles: the Dockerfile analysis stages in-process, without the
// file system, thread start-up or the report, so one stage's cost can be
// compared before and after a change on a noisy machine. Every file under
// DIR is read into memory once; then, ROUNDS times, each stage runs over all
// of them single-threaded, and the fastest round of each stage is printed as
// µs per file and as a ratio to the baseline measured in the same run (one
// pass copying each file into a fresh std::string and counting its lines:
// the least any parser has to do with the bytes).
//
//   parse_dockerfiles [--rounds 30] [--only STAGE] DIR
//
// --only runs one stage (and the baseline), e.g. under perf record.
// Stages: parse (ParseDockerfile), build (AnalyzeBuild), facts
// (AnalyzeDockerfile), and all three as load.cc runs them, freeing included.
#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/dockerfile/build_model.h"
#include "analyzer/dockerfile/facts.h"
#include "analyzer/dockerfile/parser.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace df = imglint::dockerfile;

struct File {
  std::string path;
  std::string text;
};

void ReadTree(const std::string& dir, std::vector<File>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    if (DIR* sub = ::opendir(path.c_str())) {
      ::closedir(sub);
      ReadTree(path, out);
      continue;
    }
    if (name.find("Dockerfile") == std::string::npos) continue;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out->push_back({path, text.str()});
  }
}

// The fastest of `rounds` runs of `pass`, in seconds.
double Fastest(int rounds, const std::function<void()>& pass) {
  double best = 1e9;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Clock::now();
    pass();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 30;
  std::string only;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (dir.empty() && arg[0] != '-') {
      dir = arg;
    } else {
      std::fprintf(stderr, "usage: parse_dockerfiles [--rounds 30] [--only STAGE] DIR\n");
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: parse_dockerfiles [--rounds 30] [--only STAGE] DIR\n");
    return 2;
  }
  std::vector<File> files;
  ReadTree(dir, &files);
  if (files.empty()) {
    std::fprintf(stderr, "no *Dockerfile* files under %s\n", dir.c_str());
    return 2;
  }

  // Parsed once up front, for the stages that start from a syntax tree.
  std::vector<df::Dockerfile> parsed(files.size());
  std::vector<df::BuildModel> builds(files.size());
  std::vector<bool> valid(files.size(), false);
  size_t bytes = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    bytes += files[i].text.size();
    df::ParseError error;
    valid[i] = df::ParseDockerfile(files[i].text, &parsed[i], &error);
    if (valid[i]) builds[i] = df::AnalyzeBuild(parsed[i]);
    valid[i] = valid[i] && builds[i].target >= 0;
  }

  size_t sink = 0;  // keeps each pass's work observable
  // A stage's fastest round; 0 (not run) when --only names another stage.
  auto stage = [&](const std::string& name, const std::function<void()>& pass) {
    return only.empty() || only == name ? Fastest(rounds, pass) : 0.0;
  };
  const double baseline = Fastest(rounds, [&] {
    for (const File& f : files) {
      const std::string copy = f.text;
      sink += static_cast<size_t>(std::count(copy.begin(), copy.end(), '\n'));
    }
  });
  const double parse = stage("parse", [&] {
    for (const File& f : files) {
      df::Dockerfile ast;
      df::ParseError error;
      sink += df::ParseDockerfile(f.text, &ast, &error) ? ast.instructions.size() : 0;
    }
  });
  const double build = stage("build", [&] {
    for (size_t i = 0; i < files.size(); ++i) {
      if (valid[i]) sink += df::AnalyzeBuild(parsed[i]).stages.size();
    }
  });
  const double facts = stage("facts", [&] {
    for (size_t i = 0; i < files.size(); ++i) {
      if (valid[i]) {
        sink += df::AnalyzeDockerfile(files[i].path, files[i].text, parsed[i], builds[i])
                    .written_ports.size();
      }
    }
  });
  const double all = stage("all", [&] {
    for (const File& f : files) {
      df::Dockerfile ast;
      df::ParseError error;
      if (!df::ParseDockerfile(f.text, &ast, &error)) continue;
      const df::BuildModel model = df::AnalyzeBuild(ast);
      if (model.target >= 0)
        sink += df::AnalyzeDockerfile(f.path, f.text, ast, model).written_ports.size();
    }
  });

  const double n = static_cast<double>(files.size());
  std::printf("%zu files, %.1f MB, fastest of %d rounds (sink %zu)\n", files.size(),
              static_cast<double>(bytes) / 1e6, rounds, sink);
  auto row = [&](const char* name, double seconds) {
    if (seconds == 0) return;
    std::printf("%-9s %8.2f µs/file  %6.1f× baseline\n", name, seconds / n * 1e6,
                seconds / baseline);
  };
  row("baseline", baseline);
  row("parse", parse);
  row("build", build);
  row("facts", facts);
  row("all", all);
  return 0;
}
