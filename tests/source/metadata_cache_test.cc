// SPDX-License-Identifier: Apache-2.0
// The metadata cache stores verified blobs and tag mappings; a corrupted or
// hostile cache can only cause a miss.
#include "analyzer/source/metadata_cache.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "analyzer/image/digest.h"
#include "tests/support/temp_dir.h"

namespace imglint {
namespace {

using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFileBytes;

TEST(MetadataCache, BlobsRoundTripAndAreVerifiedOnRead) {
  TempDir dir;
  MetadataCache cache(dir.File("cache"));
  const std::string config = R"({"config":{"User":"1000"}})";
  const std::string digest = Sha256Digest(config);
  EXPECT_FALSE(cache.GetBlob(digest));
  cache.PutBlob(digest, config);
  ASSERT_TRUE(cache.GetBlob(digest));
  EXPECT_EQ(*cache.GetBlob(digest), config);

  // Someone edits the cached file: it no longer matches its name.
  const std::string path = dir.File("cache") + "/blobs/sha256/" + std::string(DigestHex(digest));
  WriteFileBytes(path, R"({"config":{"User":"0"}})");
  EXPECT_FALSE(cache.GetBlob(digest));
}

TEST(MetadataCache, RefusesBytesThatDoNotMatchTheirDigest) {
  TempDir dir;
  MetadataCache cache(dir.File("cache"));
  const std::string digest = Sha256Digest("a");
  cache.PutBlob(digest, "b");
  EXPECT_FALSE(cache.GetBlob(digest));
  cache.PutBlob("sha256:../../etc/passwd", "x");  // never a path from an invalid digest
  EXPECT_FALSE(std::filesystem::exists(dir.File("etc")));
}

TEST(MetadataCache, TagsMapToTheirLastDigest) {
  TempDir dir;
  MetadataCache cache(dir.File("cache"));
  const std::string first = Sha256Digest("1");
  const std::string second = Sha256Digest("2");
  EXPECT_FALSE(cache.GetTag("127.0.0.1:5000/app", "1"));
  cache.PutTag("127.0.0.1:5000/app", "1", first);
  cache.PutTag("127.0.0.1:5000/app", "1", second);
  cache.PutTag("127.0.0.1:5000/app", "2", "not-a-digest");
  ASSERT_TRUE(cache.GetTag("127.0.0.1:5000/app", "1"));
  EXPECT_EQ(*cache.GetTag("127.0.0.1:5000/app", "1"), second);
  EXPECT_FALSE(cache.GetTag("127.0.0.1:5000/app", "2"));
  EXPECT_FALSE(cache.GetTag("127.0.0.1:5000/other", "1"));
}

TEST(MetadataCache, DisabledCacheNeitherReadsNorWrites) {
  MetadataCache cache("");
  EXPECT_FALSE(cache.enabled());
  cache.PutBlob(Sha256Digest("x"), "x");
  EXPECT_FALSE(cache.GetBlob(Sha256Digest("x")));
}

}  // namespace
}  // namespace imglint
