// SPDX-License-Identifier: Apache-2.0
/// libarchive and libcrypto, opened on first use rather than linked (as
/// analyzer/source/http.cc does for libcurl). With the compression, XML and
/// ICU libraries libarchive pulls in, loading both at start-up cost every run
/// about 12 ms of dynamic linking: a run over Dockerfiles and manifests reads
/// no archive and hashes no blob (finding fingerprints use
/// analyzer/sha256.h), so it no longer pays for them.
///
/// Call sites go through the tables: `Libarchive().archive_read_new()`. The
/// members carry the libraries' own names and types. A library that cannot
/// be loaded is an installation error: imglint says so on stderr and exits
/// with status 2.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

namespace imglint {

#define IMGLINT_LAZY(name) decltype(&::name) name = nullptr

struct LibarchiveApi {
  IMGLINT_LAZY(archive_entry_filetype);
  IMGLINT_LAZY(archive_entry_gid);
  IMGLINT_LAZY(archive_entry_hardlink);
  IMGLINT_LAZY(archive_entry_mode);
  IMGLINT_LAZY(archive_entry_pathname);
  IMGLINT_LAZY(archive_entry_pathname_utf8);
  IMGLINT_LAZY(archive_entry_size);
  IMGLINT_LAZY(archive_entry_sparse_count);
  IMGLINT_LAZY(archive_entry_symlink);
  IMGLINT_LAZY(archive_entry_symlink_utf8);
  IMGLINT_LAZY(archive_entry_uid);
  IMGLINT_LAZY(archive_entry_xattr_next);
  IMGLINT_LAZY(archive_entry_xattr_reset);
  IMGLINT_LAZY(archive_errno);
  IMGLINT_LAZY(archive_error_string);
  IMGLINT_LAZY(archive_filter_bytes);
  IMGLINT_LAZY(archive_read_data);
  IMGLINT_LAZY(archive_read_free);
  IMGLINT_LAZY(archive_read_new);
  IMGLINT_LAZY(archive_read_next_header);
  IMGLINT_LAZY(archive_read_open);
  IMGLINT_LAZY(archive_read_open1);
  IMGLINT_LAZY(archive_read_open_fd);
  IMGLINT_LAZY(archive_read_set_callback_data);
  IMGLINT_LAZY(archive_read_set_read_callback);
  IMGLINT_LAZY(archive_read_set_skip_callback);
  IMGLINT_LAZY(archive_read_support_format_empty);
  IMGLINT_LAZY(archive_read_support_format_tar);
  IMGLINT_LAZY(archive_set_error);
};

struct LibcryptoApi {
  IMGLINT_LAZY(EVP_DigestFinal_ex);
  IMGLINT_LAZY(EVP_DigestInit_ex);
  IMGLINT_LAZY(EVP_DigestUpdate);
  IMGLINT_LAZY(EVP_MD_CTX_free);
  IMGLINT_LAZY(EVP_MD_CTX_new);
  IMGLINT_LAZY(EVP_sha256);
};

#undef IMGLINT_LAZY

/// The loaded library; thread-safe, loaded once.
const LibarchiveApi& Libarchive();
const LibcryptoApi& Libcrypto();

}  // namespace imglint
