// SPDX-License-Identifier: Apache-2.0
#include "analyzer/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "analyzer/image/digest.h"
#include "analyzer/text.h"

namespace imglint {
namespace {

std::string Hex(std::string_view data) {
  const auto digest = Sha256Bytes(data);
  return "sha256:" + HexEncode(digest.data(), digest.size());
}

TEST(Sha256BytesTest, KnownVectors) {
  EXPECT_EQ(Hex(""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Every length around the one- and two-block paddings, against the OpenSSL
// hasher the image reader uses.
TEST(Sha256BytesTest, MatchesOpenSsl) {
  std::string data;
  for (int length = 0; length < 300; ++length) {
    EXPECT_EQ(Hex(data), Sha256Digest(data)) << length;
    data.push_back(static_cast<char>('a' + length * 7 % 251));
  }
}

}  // namespace
}  // namespace imglint
