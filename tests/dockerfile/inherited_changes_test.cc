// SPDX-License-Identifier: Apache-2.0
// Which of the base image's files a build may change: with
// --resolve-base=full only the base's privileged files no step can reach are
// reported against the Dockerfile.
#include "analyzer/dockerfile/inherited_changes.h"

#include <gtest/gtest.h>

#include "analyzer/dockerfile/facts.h"
#include "analyzer/dockerfile/parser.h"

namespace imglint::dockerfile {
namespace {

// The changes of the final chain of `text`.
InheritedFileChanges Changes(std::string_view text) {
  Dockerfile df;
  ParseError err;
  EXPECT_TRUE(ParseDockerfile(text, &df, &err)) << err.line << ": " << err.message;
  const BuildModel build = AnalyzeBuild(df);
  return ChangesToInheritedFiles(df, build, FinalChain(build));
}

TEST(InheritedFileChanges, UntouchedFilesStayAsTheBaseHasThem) {
  const InheritedFileChanges c = Changes(
      "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
      "COPY app /usr/local/bin/app\nRUN chmod +x /usr/local/bin/app\nUSER 1000\n");
  EXPECT_FALSE(c.anything);
  EXPECT_FALSE(c.MayChange("/usr/bin/passwd"));
  EXPECT_FALSE(c.MayChange("/usr/local/bin/app2"));
  EXPECT_TRUE(c.MayChange("/usr/local/bin/app"));
}

TEST(InheritedFileChanges, ChmodChownSetcapRemoveAndMoveReachTheirOperands) {
  const InheritedFileChanges c = Changes(
      "FROM debian:12\nRUN chmod u-s /usr/bin/passwd && chmod -s /bin/mount\n"
      "RUN chown root:root /usr/bin/chfn; setcap -r /usr/bin/ping\n"
      "RUN setcap cap_net_raw+ep /usr/bin/arping\nRUN rm -f /bin/su && mv /usr/bin/newgrp /tmp\n");
  for (const char* path : {"/usr/bin/passwd", "/bin/mount", "/usr/bin/chfn", "/usr/bin/ping",
                           "/usr/bin/arping", "/bin/su", "/usr/bin/newgrp"}) {
    EXPECT_TRUE(c.MayChange(path)) << path;
  }
  // The mode and owner words are not paths; a longer name is another file.
  EXPECT_FALSE(c.MayChange("/usr/bin/passwd2"));
  EXPECT_FALSE(c.MayChange("/usr/bin/gpasswd"));
  EXPECT_FALSE(c.anything);
}

TEST(InheritedFileChanges, DirectoriesGlobsAndFindReachBelow) {
  const InheritedFileChanges c = Changes(
      "FROM alpine\nRUN chmod -R go-w /opt/app/ && chmod a-s /usr/sbin/*\n"
      "RUN find /usr/lib -perm /6000 -type f -exec chmod a-s {} +\n");
  EXPECT_TRUE(c.MayChange("/opt/app/bin/tool"));
  EXPECT_TRUE(c.MayChange("/usr/sbin/unix_chkpwd"));
  EXPECT_TRUE(c.MayChange("/usr/lib/dbus-1.0/dbus-daemon-launch-helper"));
  EXPECT_FALSE(c.MayChange("/opt/application"));
  EXPECT_FALSE(c.MayChange("/usr/bin/passwd"));
  EXPECT_FALSE(c.anything);
}

TEST(InheritedFileChanges, WholeFilesystemOrUnknownPathsReachEverything) {
  EXPECT_TRUE(
      Changes("FROM alpine\nRUN find / -xdev -perm /6000 -exec chmod a-s {} + || true\n").anything);
  EXPECT_TRUE(Changes("FROM alpine\nCOPY rootfs/ /\n").anything);
  EXPECT_TRUE(Changes("FROM alpine\nRUN rm -f $SETUID_FILES\n").anything);
  EXPECT_TRUE(Changes("FROM alpine\nRUN tar -xzf /tmp/overlay.tgz -C /\n").anything);
  // Heredoc scripts count like RUN lines.
  EXPECT_TRUE(Changes("FROM alpine\nRUN <<EOF\nset -e\nchmod a-s /bin/busybox\nEOF\n")
                  .MayChange("/bin/busybox"));
}

TEST(InheritedFileChanges, RemovedPackagesTakeTheirNamesakeFiles) {
  const InheritedFileChanges c = Changes(
      "FROM debian:12\nRUN apt-get purge -y --auto-remove passwd mount=2.38\n"
      "RUN apk del --no-cache sudo\n");
  EXPECT_TRUE(c.MayChange("/usr/bin/passwd"));
  EXPECT_TRUE(c.MayChange("/bin/mount"));
  EXPECT_TRUE(c.MayChange("/usr/bin/sudo"));
  EXPECT_FALSE(c.MayChange("/bin/su"));
  // Installing is not removing.
  EXPECT_FALSE(
      Changes("FROM debian:12\nRUN apt-get install -y passwd\n").MayChange("/usr/bin/passwd"));
}

TEST(InheritedFileChanges, OnlyTheFinalChainCounts) {
  // The builder stage's chmod happens in another filesystem.
  const InheritedFileChanges c = Changes(
      "FROM debian:12 AS build\nRUN chmod a-s /usr/bin/passwd\n"
      "FROM debian:12\nCOPY --from=build /usr/bin/passwd /usr/local/bin/passwd-copy\n");
  EXPECT_FALSE(c.MayChange("/usr/bin/passwd"));
  EXPECT_TRUE(c.MayChange("/usr/local/bin/passwd-copy"));
}

}  // namespace
}  // namespace imglint::dockerfile
