// SPDX-License-Identifier: Apache-2.0
#include "analyzer/workspace/target.h"

namespace imglint {

std::string_view TargetKindName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kImage:
      return "image";
    case TargetKind::kDockerfile:
      return "dockerfile";
    case TargetKind::kKubernetes:
      return "kubernetes";
    case TargetKind::kCompose:
      return "compose";
  }
  return "image";
}

}  // namespace imglint
