// SPDX-License-Identifier: Apache-2.0
// The gzip codec (ISA-L igzip) on its own: multi-member streams, input that
// arrives a byte at a time, trailing bytes, and the exact messages for
// truncated and corrupt data that the image errors are built from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "analyzer/image/decompressor.h"

namespace imglint {
namespace {

using ::testing::StartsWith;

std::string Gzip(const std::string& data, int level = 6) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// Compressible but not trivial: words from a small vocabulary and noise.
std::string SampleData(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  static const char* const kWords[] = {"layer ", "image ", "usr/bin/", "etc ", "\n", "root:x:0:0 "};
  std::string out;
  while (out.size() < size) {
    if (rng() % 4 == 0) {
      out.push_back(static_cast<char>(rng() & 0xff));
    } else {
      out += kWords[rng() % 6];
    }
  }
  out.resize(size);
  return out;
}

// Hands out at most `chunk` bytes per Read, like a pipe or the sniffed prefix.
class ChunkedSource : public ByteSource {
 public:
  ChunkedSource(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  bool Read(std::uint8_t* buf, std::size_t size, std::size_t* got, std::string*) override {
    *got = std::min({size, chunk_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, *got, buf);
    pos_ += *got;
    return true;
  }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

struct Result {
  std::string data;
  std::string error;
};

Result Inflate(const std::string& blob, std::size_t chunk = 1 << 20) {
  ChunkedSource src(blob, chunk);
  std::unique_ptr<ByteSource> gz = MakeGzipDecompressor(&src);
  Result r;
  std::uint8_t buf[7000];  // not a power of two: output splits anywhere
  for (;;) {
    std::size_t got = 0;
    if (!gz->Read(buf, sizeof(buf), &got, &r.error)) return r;
    if (got == 0) return r;
    r.data.append(reinterpret_cast<const char*>(buf), got);
  }
}

TEST(GzipDecompressorTest, MembersAndChunkSizes) {
  const std::string a = SampleData(300'000, 1);
  const std::string b = SampleData(5'000, 2);
  const std::string blob = Gzip(a) + Gzip(b, 1) + Gzip("") + Gzip(a, 9);
  for (std::size_t chunk :
       {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{1 << 20}}) {
    Result r = Inflate(blob, chunk);
    EXPECT_EQ(r.error, "") << chunk;
    EXPECT_TRUE(r.data == a + b + a) << chunk;
  }
}

TEST(GzipDecompressorTest, TrailingBytes) {
  const std::string data = SampleData(20'000, 3);
  // Padding that is not a gzip header ends the stream, as with gzip(1).
  Result padded = Inflate(Gzip(data) + std::string(1000, '\0'));
  EXPECT_EQ(padded.error, "");
  EXPECT_TRUE(padded.data == data);
  // Something that starts like another member has to be one.
  EXPECT_THAT(Inflate(Gzip(data) + "\x1f" + std::string(100, 'x')).error,
              StartsWith("gzip data is corrupt ("));
  EXPECT_EQ(Inflate(Gzip(data) + "\x1f\x8b").error, "gzip data is truncated");
}

TEST(GzipDecompressorTest, EveryCutIsTruncated) {
  const std::string blob = Gzip(SampleData(3'000, 4));
  for (std::size_t cut = 1; cut < blob.size(); ++cut) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{1 << 20}}) {
      EXPECT_EQ(Inflate(blob.substr(0, cut), chunk).error, "gzip data is truncated")
          << "cut at " << cut << " of " << blob.size() << ", chunk " << chunk;
    }
  }
  // A cut second member as well.
  EXPECT_EQ(Inflate(blob + blob.substr(0, blob.size() - 3)).error, "gzip data is truncated");
}

TEST(GzipDecompressorTest, TrailerIsVerified) {
  const std::string blob = Gzip(SampleData(10'000, 5));
  std::string bad_crc = blob;
  bad_crc[bad_crc.size() - 8] ^= 0x01;  // CRC-32
  EXPECT_EQ(Inflate(bad_crc).error, "gzip data is corrupt (incorrect data check)");
  std::string bad_size = blob;
  bad_size[bad_size.size() - 4] ^= 0x01;  // ISIZE
  EXPECT_THAT(Inflate(bad_size).error, StartsWith("gzip data is corrupt ("));
  std::string bad_method = blob;
  bad_method[2] = 7;  // CM must be 8 (deflate)
  EXPECT_THAT(Inflate(bad_method).error, StartsWith("gzip data is corrupt ("));
}

TEST(GzipDecompressorTest, CorruptDeflateData) {
  const std::string blob = Gzip(SampleData(50'000, 6));
  std::mt19937 rng(7);
  int corrupt = 0;
  for (int round = 0; round < 200; ++round) {
    std::string broken = blob;
    // Not the last deflate byte: flipping its unused padding bits is harmless.
    broken[10 + rng() % (broken.size() - 19)] ^= static_cast<char>(1 + rng() % 255);
    Result r = Inflate(broken, round % 2 ? 13 : 1 << 20);
    // A flipped bit may even decode cleanly to other bytes, but then the
    // CRC catches it: never success with wrong data.
    EXPECT_FALSE(r.error.empty());
    if (r.error.rfind("gzip data is corrupt (", 0) == 0) ++corrupt;
  }
  EXPECT_GT(corrupt, 0);
}

}  // namespace
}  // namespace imglint
