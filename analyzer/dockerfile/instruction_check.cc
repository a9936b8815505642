// SPDX-License-Identifier: Apache-2.0
#include "analyzer/dockerfile/instruction_check.h"

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/dockerfile/text_util.h"

namespace imglint::dockerfile {
namespace {

enum class FlagKind { kString, kBool, kList };

struct FlagSpec {
  std::string_view keyword;
  std::string_view name;
  FlagKind kind;
};

// From BuildKit's instructions/parse.go (BFlags declarations per command).
constexpr FlagSpec kFlags[] = {
    {"from", "platform", FlagKind::kString},
    {"run", "mount", FlagKind::kList},
    {"run", "network", FlagKind::kString},
    {"run", "security", FlagKind::kString},
    {"run", "device", FlagKind::kList},
    {"copy", "from", FlagKind::kString},
    {"copy", "chown", FlagKind::kString},
    {"copy", "chmod", FlagKind::kString},
    {"copy", "link", FlagKind::kBool},
    {"copy", "parents", FlagKind::kBool},
    {"copy", "exclude", FlagKind::kList},
    {"add", "chown", FlagKind::kString},
    {"add", "chmod", FlagKind::kString},
    {"add", "link", FlagKind::kBool},
    {"add", "keep-git-dir", FlagKind::kBool},
    {"add", "checksum", FlagKind::kString},
    {"add", "exclude", FlagKind::kList},
    {"add", "unpack", FlagKind::kBool},
    {"add", "parents", FlagKind::kBool},
    {"healthcheck", "interval", FlagKind::kString},
    {"healthcheck", "timeout", FlagKind::kString},
    {"healthcheck", "start-period", FlagKind::kString},
    {"healthcheck", "start-interval", FlagKind::kString},
    {"healthcheck", "retries", FlagKind::kString},
};

const FlagSpec* FindSpec(std::string_view keyword, std::string_view name) {
  for (const FlagSpec& s : kFlags) {
    if (s.keyword == keyword && s.name == name) return &s;
  }
  return nullptr;
}

bool Fail(const Position& p, std::string message, ParseError* err) {
  err->line = p.line;
  err->column = p.column;
  err->message = std::move(message);
  return false;
}

bool ValidStageName(std::string_view name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool CheckFlags(const Instruction& inst, ParseError* err) {
  std::vector<std::string_view> seen;
  for (const Flag& f : inst.flags) {
    const FlagSpec* spec = FindSpec(inst.keyword, f.name);
    if (spec == nullptr) return Fail(f.range.start, "Unknown flag: " + f.name, err);
    if (spec->kind != FlagKind::kList) {
      for (std::string_view s : seen) {
        if (s == f.name) return Fail(f.range.start, "Duplicate flag specified: " + f.name, err);
      }
      seen.push_back(f.name);
    }
    switch (spec->kind) {
      case FlagKind::kBool:
        if (f.has_value && !text::EqualsIgnoreCaseAscii(f.value, "true") &&
            !text::EqualsIgnoreCaseAscii(f.value, "false")) {
          return Fail(f.range.start,
                      "expecting boolean value for flag " + f.name + ", not: " + f.value, err);
        }
        break;
      case FlagKind::kString:
      case FlagKind::kList:
        if (!f.has_value) return Fail(f.range.start, "Missing a value on flag: " + f.name, err);
        break;
    }
  }
  return true;
}

bool CheckOne(const Instruction& inst, bool is_trigger, ParseError* err) {
  if (!inst.known) return true;  // reported by rules, not a syntax error here
  if (!CheckFlags(inst, err)) return false;
  const Position at = inst.keyword_range.start;
  const std::string kw = Upper(inst.keyword);
  const size_t n = inst.args.size();
  if (inst.keyword == "from") {
    if (n != 1 && n != 3) return Fail(at, "FROM requires either one or three arguments", err);
    if (n == 3) {
      if (!text::EqualsIgnoreCaseAscii(inst.args[1].value, "as")) {
        return Fail(inst.args[1].range.start, "FROM requires either one or three arguments", err);
      }
      const std::string name = text::ToLowerAscii(inst.args[2].value);
      if (!ValidStageName(name)) {
        return Fail(inst.args[2].range.start,
                    "invalid name for build stage: " + text::GoQuote(inst.args[2].value) +
                        ", name can't start with a number or contain symbols",
                    err);
      }
    }
  } else if (inst.keyword == "env" || inst.keyword == "label" || inst.keyword == "arg" ||
             inst.keyword == "expose" || inst.keyword == "volume") {
    if (n == 0) return Fail(at, kw + " requires at least one argument", err);
  } else if (inst.keyword == "copy" || inst.keyword == "add") {
    if (n < 2) {
      return Fail(at,
                  kw + " requires at least two arguments, but only one was provided. "
                       "Destination could not be determined",
                  err);
    }
  } else if (inst.keyword == "user" || inst.keyword == "workdir" || inst.keyword == "stopsignal" ||
             inst.keyword == "maintainer") {
    if (n != 1) return Fail(at, kw + " requires exactly one argument", err);
  } else if (inst.keyword == "shell") {
    if (!inst.json) return Fail(at, "SHELL requires the arguments to be in JSON form", err);
    if (n == 0) return Fail(at, "SHELL requires at least one argument", err);
  } else if (inst.keyword == "onbuild") {
    if (is_trigger) {
      return Fail(at, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", err);
    }
    if (inst.sub.empty()) return Fail(at, "ONBUILD requires at least one argument", err);
    const Instruction& trigger = inst.sub.front();
    if (trigger.keyword == "from" || trigger.keyword == "maintainer") {
      return Fail(trigger.keyword_range.start,
                  Upper(trigger.keyword) + " isn't allowed as an ONBUILD trigger", err);
    }
    return CheckOne(trigger, true, err);
  }
  return true;
}

}  // namespace

bool CheckInstruction(const Instruction& inst, ParseError* err) {
  return CheckOne(inst, false, err);
}

}  // namespace imglint::dockerfile
