// SPDX-License-Identifier: Apache-2.0
/// What IL101, IL201, IL202, IL203 and IL304 share for `imglint fix` on
/// Dockerfiles: which Dockerfile a finding is in, the intent that undoes a
/// flagged RUN step (analyzer/dockerfile/run_fix.h makes the edit), and the
/// change a root user needs, which imglint says but never makes: it does not
/// pick a user.
#pragma once

#include <cstddef>
#include <optional>

#include "analyzer/finding.h"
#include "analyzer/workspace/fix_request.h"
#include "analyzer/workspace/workspace.h"

namespace imglint {

/// The index in Workspace::dockerfiles of the Dockerfile `finding` is in.
std::optional<size_t> FindingDockerfile(const Workspace& workspace, const Finding& finding);

/// For a finding about a setcap (kRemoveSetcap) or chmod (kDropSpecialBits)
/// step of a Dockerfile (subject key "setcap:…" or "run:…"): the intent at
/// the flagged word. A `COPY --chmod` step is refused; any other finding
/// gets no request.
FixRequest UndoRunStep(const Workspace& workspace, const Finding& finding, FixIntent::Kind kind);

/// For a Dockerfile finding whose final stage runs as root: a refusal that
/// says what to change and where ("add `USER <non-root>` after line 7").
FixRequest NonRootUserAdvice(const Workspace& workspace, const Finding& finding);

}  // namespace imglint
