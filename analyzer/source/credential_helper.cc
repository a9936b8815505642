// SPDX-License-Identifier: Apache-2.0
#include "analyzer/source/credential_helper.h"

#include <nlohmann/json.hpp>

#include "analyzer/source/subprocess.h"
#include "analyzer/text.h"

namespace imglint {
namespace {

constexpr std::string_view kNotFound = "credentials not found in native keychain";
constexpr std::string_view kTokenUser = "<token>";
constexpr std::size_t kMaxOutput = 1 << 20;
constexpr std::size_t kMaxQuotedLine = 100;

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The first non-empty line of a failing helper's output, short and escaped,
// to say why it failed. A line that looks like a JSON answer is not quoted:
// it may hold the secret.
std::string FirstLine(std::string_view text) {
  text = Trim(text);
  const std::string_view line = Trim(text.substr(0, text.find('\n')));
  if (line.empty() || line.front() == '{') return "";
  if (line.size() > kMaxQuotedLine) {
    return EscapeForMessage(line.substr(0, kMaxQuotedLine)) + "...";
  }
  return EscapeForMessage(line);
}

}  // namespace

bool IsValidHelperName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  const auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  };
  if (!ok(name.front()) || name.front() == '.' || name.front() == '-') return false;
  for (char c : name) {
    if (!ok(c)) return false;
  }
  return true;
}

bool RunCredentialHelper(const HelperRequest& request, std::optional<Credential>* out,
                         std::string* err) {
  out->reset();
  if (!IsValidHelperName(request.name)) {
    *err = "credential helper name \"" + EscapeForMessage(request.name) +
           "\" is not a plain name (letters, digits, '.', '_', '-')";
    return false;
  }
  const std::string program = "docker-credential-" + request.name;
  const std::string who = "credential helper " + program;
  const std::string path = FindExecutable(program, request.search_path);
  if (path.empty()) {
    *err = who + ": " + program + " not found in PATH";
    return false;
  }
  ProcessOptions options;
  options.stdin_data = request.server_url;
  options.timeout = request.timeout;
  options.max_output_bytes = kMaxOutput;
  ProcessResult result;
  std::string run_err;
  if (!RunProcess(path, {program, "get"}, options, &result, &run_err)) {
    *err = who + ": " + run_err;
    return false;
  }
  if (result.timed_out) {
    const auto ms = request.timeout.count();
    *err = who + ": no answer within " +
           (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms") +
           " (killed)";
    return false;
  }
  if (result.output_overflow) {
    *err = who + ": wrote more than " + std::to_string(kMaxOutput) + " bytes (killed)";
    return false;
  }
  if (result.signal != 0) {
    *err = who + ": killed by signal " + std::to_string(result.signal);
    return false;
  }
  if (result.exit_status != 0) {
    if (Trim(result.out) == kNotFound) return true;
    std::string why = FirstLine(result.out);
    if (why.empty()) why = FirstLine(result.err);
    *err = who + ": exited with status " + std::to_string(result.exit_status) +
           (why.empty() ? "" : ": " + why);
    return false;
  }
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(result.out);
  } catch (const nlohmann::json::exception&) {
    *err = who + ": answer is not valid JSON";  // the answer may hold the secret: not quoted
    return false;
  }
  const auto field = [&](const char* key, std::string* value) {
    if (!answer.is_object()) return false;
    const auto it = answer.find(key);
    if (it == answer.end() || it->is_null()) return true;  // absent: empty
    if (!it->is_string()) return false;
    *value = it->get<std::string>();
    return true;
  };
  std::string username;
  std::string secret;
  if (!field("Username", &username) || !field("Secret", &secret)) {
    *err = who + ": answer is not {\"Username\": string, \"Secret\": string}";
    return false;
  }
  if (username.empty() && secret.empty()) return true;
  Credential credential;
  if (username == kTokenUser) {
    credential.identity_token = std::move(secret);
  } else {
    credential.username = std::move(username);
    credential.password = std::move(secret);
  }
  credential.origin = who;
  *out = std::move(credential);
  return true;
}

}  // namespace imglint
