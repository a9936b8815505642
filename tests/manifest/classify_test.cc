// SPDX-License-Identifier: Apache-2.0
#include "analyzer/manifest/classify.h"

#include <gtest/gtest.h>

namespace imglint {
namespace {

TEST(ClassifyYamlTest, Kubernetes) {
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: Pod\n"), YamlKind::kKubernetes);
  // Any document counts, also flow-style JSON.
  EXPECT_EQ(
      ClassifyYaml("# header\n---\nfoo: 1\n---\n{\"apiVersion\": \"v1\", \"kind\": \"List\"}"),
      YamlKind::kKubernetes);
  EXPECT_EQ(ClassifyYaml("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"),
            YamlKind::kKubernetes);
}

TEST(ClassifyYamlTest, Compose) {
  EXPECT_EQ(ClassifyYaml("services:\n  web:\n    image: nginx\n"), YamlKind::kCompose);
  EXPECT_EQ(ClassifyYaml("version: '3.8'\nservices:\n"), YamlKind::kCompose);
  EXPECT_EQ(ClassifyYaml("x-common: &c {restart: always}\nservices: {web: {<<: *c}}\n"),
            YamlKind::kCompose);
}

TEST(ClassifyYamlTest, OtherYamlIsNotOurs) {
  EXPECT_EQ(ClassifyYaml("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"),
            YamlKind::kOther);
  EXPECT_EQ(ClassifyYaml("replicaCount: 1\nimage:\n  repository: nginx\n"), YamlKind::kOther);
  EXPECT_EQ(ClassifyYaml(""), YamlKind::kOther);
  EXPECT_EQ(ClassifyYaml("- a\n- b\n"), YamlKind::kOther);
  EXPECT_EQ(ClassifyYaml("services: [a, b]\n"), YamlKind::kOther);  // not a services map
  EXPECT_EQ(ClassifyYaml("kind: Pod\n"), YamlKind::kOther);         // no apiVersion
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: {a: b}\n"), YamlKind::kOther);
}

TEST(ClassifyYamlTest, HelmTemplates) {
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"),
            YamlKind::kHelmTemplate);
  EXPECT_EQ(ClassifyYaml("{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\n{{- end }}\n"),
            YamlKind::kHelmTemplate);
  // No Helm marker, but the text only makes sense as a template.
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: ConfigMap\ndata:\n  {{ range $k, $v := x }}\n"
                         "  {{ $k }}: {{ $v }}\n  {{ end }}\n"),
            YamlKind::kHelmTemplate);
  ReadError err;
  EXPECT_EQ(ClassifyYaml("a: 1\nb: \"{{ include \\\"x\\\" . }}\"\n", &err),
            YamlKind::kHelmTemplate);
  EXPECT_EQ(err.kind, ReadError::Kind::kHelmTemplate);
  EXPECT_EQ(err.message, "not rendered: run helm template first");
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.column, 5);
}

TEST(ClassifyYamlTest, TemplatesInCommentsOrPlainStringsAreNotHelm) {
  EXPECT_EQ(ClassifyYaml("# {{ .Values.x }}\napiVersion: v1\nkind: Pod\n"), YamlKind::kKubernetes);
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: ConfigMap\ndata:\n"
                         "  msg: \"{{ $labels.instance }} down\"  # {{ .Values.x }}\n"),
            YamlKind::kKubernetes);
}

TEST(ClassifyYamlTest, InvalidYaml) {
  ReadError err;
  EXPECT_EQ(ClassifyYaml("a: b\n c: d\n", &err), YamlKind::kInvalid);
  EXPECT_EQ(err.kind, ReadError::Kind::kInvalidYaml);
  EXPECT_EQ(err.line, 2);
  // Broken, but clearly meant as a manifest / Compose file: the reader will
  // then report the syntax error with its position.
  EXPECT_EQ(ClassifyYaml("apiVersion: v1\nkind: Pod\nspec: [\n"), YamlKind::kKubernetes);
  EXPECT_EQ(ClassifyYaml("services:\n  web:\n    image: x\n   ports: y\n"), YamlKind::kCompose);
}

TEST(ClassifyYamlTest, Names) {
  EXPECT_EQ(YamlKindName(YamlKind::kKubernetes), "kubernetes");
  EXPECT_EQ(YamlKindName(YamlKind::kCompose), "compose");
  EXPECT_EQ(YamlKindName(YamlKind::kOther), "other");
  EXPECT_EQ(YamlKindName(YamlKind::kHelmTemplate), "helm-template");
  EXPECT_EQ(YamlKindName(YamlKind::kInvalid), "invalid");
}

}  // namespace
}  // namespace imglint
