// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/yaml_load.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <exception>
#include <new>
#include <sstream>
#include <string>

#include "analyzer/limit_hint.h"

namespace imglint {
namespace {

void SetError(ReadError* err, ReadError::Kind kind, int line, int column, std::string message) {
  err->kind = kind;
  err->line = line;
  err->column = column;
  err->message = std::move(message);
}

// yaml-cpp 0.7 (Debian 12) loops forever, allocating a null document per
// turn, when a document starts with a token its parser does not consume: a
// bare "," at the top level (jbeder/yaml-cpp#1040; fixed upstream after 0.8).
// A first pass with this event handler sees every document start: one that
// starts where the previous one did is that loop, and the pass also counts
// documents before any node is built.
struct NoProgress {
  YAML::Mark mark;
};

class DocumentWatch : public YAML::EventHandler {
 public:
  size_t documents() const { return documents_; }
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_ > 0 && mark.pos == last_start_.pos) throw NoProgress{mark};
    last_start_ = mark;
    ++documents_;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  size_t documents_ = 0;
  YAML::Mark last_start_;
};

void SetHelmError(const YamlScan& scan, ReadError* err) {
  const bool marker = scan.has_helm_markers;
  SetError(err, ReadError::Kind::kHelmTemplate, marker ? scan.helm_line : scan.template_line,
           marker ? scan.helm_column : scan.template_column, std::string(kHelmTemplateMessage));
}

}  // namespace

bool LoadYamlDocuments(std::string_view text, const Limits& limits, std::vector<YAML::Node>* docs,
                       YamlScan* scan, ReadError* err) {
  docs->clear();
  if (text.size() > limits.max_input_bytes) {
    SetError(err, ReadError::Kind::kLimit, 0, 0,
             "YAML input is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                 std::to_string(limits.max_input_bytes) + LimitHint("max-yaml-bytes"));
    return false;
  }
  *scan = ScanYamlText(text, limits.max_depth);
  if (scan->has_helm_markers) {
    SetHelmError(*scan, err);
    return false;
  }
  if (scan->depth_exceeded) {
    SetError(err, ReadError::Kind::kLimit, scan->depth_line, scan->depth_column,
             "YAML nesting deeper than " + std::to_string(limits.max_depth) + " levels" +
                 LimitHint("max-yaml-depth"));
    return false;
  }
  try {
    const std::string copy(text);
    std::istringstream stream(copy);
    YAML::Parser parser(stream);
    DocumentWatch watch;
    while (parser.HandleNextDocument(watch)) {
    }
    if (watch.documents() > limits.max_documents) {
      SetError(err, ReadError::Kind::kLimit, 0, 0,
               "YAML stream has " + std::to_string(watch.documents()) + " documents, more than " +
                   std::to_string(limits.max_documents) + LimitHint("max-yaml-documents"));
      return false;
    }
    *docs = YAML::LoadAll(copy);
  } catch (const NoProgress& e) {
    if (scan->has_template) {
      SetHelmError(*scan, err);
      return false;
    }
    const size_t at = static_cast<size_t>(e.mark.pos);
    std::string what = at < text.size() ? std::string(1, text[at]) : std::string();
    SetError(err, ReadError::Kind::kInvalidYaml, e.mark.line + 1, e.mark.column + 1,
             what == "," ? "invalid YAML: unexpected ','" : "invalid YAML: unexpected token");
    return false;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard: reached only when the pre-scan under-counted.
    SetError(
        err, ReadError::Kind::kLimit, e.mark.line + 1, e.mark.column + 1,
        "YAML nesting deeper than the parser allows (" + std::to_string(e.depth()) + " levels)");
    return false;
  } catch (const YAML::Exception& e) {
    if (scan->has_template) {
      // `{{` in text that does not even parse: a template, not broken YAML.
      SetHelmError(*scan, err);
      return false;
    }
    const bool has_mark = !e.mark.is_null();
    SetError(err, ReadError::Kind::kInvalidYaml, has_mark ? e.mark.line + 1 : 0,
             has_mark ? e.mark.column + 1 : 0, "invalid YAML: " + e.msg);
    return false;
  } catch (const std::bad_alloc&) {
    SetError(err, ReadError::Kind::kLimit, 0, 0, "out of memory while parsing YAML");
    return false;
  } catch (const std::exception& e) {
    SetError(err, ReadError::Kind::kInvalidYaml, 0, 0, std::string("invalid YAML: ") + e.what());
    return false;
  }
  if (docs->size() > limits.max_documents) {
    SetError(err, ReadError::Kind::kLimit, 0, 0,
             "YAML stream has " + std::to_string(docs->size()) + " documents, more than " +
                 std::to_string(limits.max_documents) + LimitHint("max-yaml-documents"));
    docs->clear();
    return false;
  }
  return true;
}

}  // namespace imglint
