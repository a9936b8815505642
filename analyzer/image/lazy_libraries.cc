// SPDX-License-Identifier: Apache-2.0
#include "analyzer/image/lazy_libraries.h"

#include <dlfcn.h>
#include <openssl/opensslv.h>

#include <cstdio>
#include <cstdlib>

namespace imglint {
namespace {

// The sonames of the ABI the headers describe: libarchive 3.x has been
// libarchive.so.13 throughout, OpenSSL 3.x is libcrypto.so.3.
static_assert(ARCHIVE_VERSION_NUMBER >= 3000000 && ARCHIVE_VERSION_NUMBER < 4000000);
static_assert(OPENSSL_VERSION_MAJOR == 3);
constexpr const char* kLibarchive = "libarchive.so.13";
constexpr const char* kLibcrypto = "libcrypto.so.3";

[[noreturn]] void Fail(const char* library, const char* what) {
  std::fprintf(stderr, "imglint: cannot load %s: %s\n", library, what != nullptr ? what : "?");
  std::_Exit(2);
}

void* Open(const char* library) {
  void* handle = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) Fail(library, ::dlerror());
  return handle;
}

template <typename Fn>
void Resolve(void* handle, const char* library, const char* name, Fn* fn) {
  *fn = reinterpret_cast<Fn>(::dlsym(handle, name));
  if (*fn == nullptr) Fail(library, name);
}

#define IMGLINT_RESOLVE(name) Resolve(handle, library, #name, &api.name)

LibarchiveApi LoadLibarchive() {
  const char* library = kLibarchive;
  void* handle = Open(library);
  LibarchiveApi api;
  IMGLINT_RESOLVE(archive_entry_filetype);
  IMGLINT_RESOLVE(archive_entry_gid);
  IMGLINT_RESOLVE(archive_entry_hardlink);
  IMGLINT_RESOLVE(archive_entry_mode);
  IMGLINT_RESOLVE(archive_entry_pathname);
  IMGLINT_RESOLVE(archive_entry_pathname_utf8);
  IMGLINT_RESOLVE(archive_entry_size);
  IMGLINT_RESOLVE(archive_entry_sparse_count);
  IMGLINT_RESOLVE(archive_entry_symlink);
  IMGLINT_RESOLVE(archive_entry_symlink_utf8);
  IMGLINT_RESOLVE(archive_entry_uid);
  IMGLINT_RESOLVE(archive_entry_xattr_next);
  IMGLINT_RESOLVE(archive_entry_xattr_reset);
  IMGLINT_RESOLVE(archive_errno);
  IMGLINT_RESOLVE(archive_error_string);
  IMGLINT_RESOLVE(archive_filter_bytes);
  IMGLINT_RESOLVE(archive_read_data);
  IMGLINT_RESOLVE(archive_read_free);
  IMGLINT_RESOLVE(archive_read_new);
  IMGLINT_RESOLVE(archive_read_next_header);
  IMGLINT_RESOLVE(archive_read_open);
  IMGLINT_RESOLVE(archive_read_open1);
  IMGLINT_RESOLVE(archive_read_open_fd);
  IMGLINT_RESOLVE(archive_read_set_callback_data);
  IMGLINT_RESOLVE(archive_read_set_read_callback);
  IMGLINT_RESOLVE(archive_read_set_skip_callback);
  IMGLINT_RESOLVE(archive_read_support_format_empty);
  IMGLINT_RESOLVE(archive_read_support_format_tar);
  IMGLINT_RESOLVE(archive_set_error);
  return api;
}

LibcryptoApi LoadLibcrypto() {
  const char* library = kLibcrypto;
  void* handle = Open(library);
  LibcryptoApi api;
  IMGLINT_RESOLVE(EVP_DigestFinal_ex);
  IMGLINT_RESOLVE(EVP_DigestInit_ex);
  IMGLINT_RESOLVE(EVP_DigestUpdate);
  IMGLINT_RESOLVE(EVP_MD_CTX_free);
  IMGLINT_RESOLVE(EVP_MD_CTX_new);
  IMGLINT_RESOLVE(EVP_sha256);
  return api;
}

#undef IMGLINT_RESOLVE

}  // namespace

const LibarchiveApi& Libarchive() {
  static const LibarchiveApi api = LoadLibarchive();
  return api;
}

const LibcryptoApi& Libcrypto() {
  static const LibcryptoApi api = LoadLibcrypto();
  return api;
}

}  // namespace imglint
