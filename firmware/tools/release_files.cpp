// NAME
//   release_files.cpp - key files, target files and the repository directory.
#include "tools/release_files.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include "tuf/digest.h"
#include "tuf/files.h"

namespace appliance::release::files {
namespace {

constexpr std::uint64_t kMaxMetadata = 16 * 1024 * 1024;
constexpr std::uint64_t kMaxKeyFile = 64 * 1024;

Error errno_error(const std::string& what) {
  return Error{what + ": " + std::strerror(errno)};
}

Result<void> make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return errno_error("mkdir " + path);
  return {};
}

}  // namespace

Result<std::string> read_file(const std::string& path, std::uint64_t max_length) {
  std::string out;
  auto n = tuf::files::read_chunks(path, [&](std::string_view c) -> Result<void> {
    if (out.size() + c.size() > max_length) return Error{path + ": larger than expected"};
    out.append(c);
    return {};
  });
  if (!n) return n.error();
  return out;
}

Result<std::unique_ptr<tuf::PrivateKeySigner>> load_key(const std::string& path) {
  auto pem = read_file(path, kMaxKeyFile);
  if (!pem) return pem.error();
  auto key = tuf::PrivateKeySigner::from_pem(*pem);
  if (!key) return Error{path + ": " + key.message()};
  return key;
}

Result<std::string> generate_key(const std::string& path, tuf::KeyKind kind) {
  auto key = tuf::PrivateKeySigner::generate(kind);
  if (!key) return key.error();
  auto pem = (*key)->private_pem();
  if (!pem) return pem.error();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_error("cannot create " + path);
  const bool ok = ::write(fd, pem->data(), pem->size()) == static_cast<ssize_t>(pem->size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error{path + ": write failed"};
  return (*key)->keyid();
}

Result<Release> describe_file(const std::string& path, const std::string& name) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> s256(EVP_MD_CTX_new(), EVP_MD_CTX_free),
      s512(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!s256 || !s512 || EVP_DigestInit_ex(s256.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestInit_ex(s512.get(), EVP_sha512(), nullptr) != 1) {
    return Error{"cannot hash"};
  }
  auto length = tuf::files::read_chunks(path, [&](std::string_view c) -> Result<void> {
    EVP_DigestUpdate(s256.get(), c.data(), c.size());
    EVP_DigestUpdate(s512.get(), c.data(), c.size());
    return {};
  });
  if (!length) return length.error();
  Release release{.name = name, .length = *length};
  for (auto& [algorithm, ctx] : {std::pair{"sha256", s256.get()}, {"sha512", s512.get()}}) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    release.hashes[algorithm] = tuf::to_hex(std::string_view(reinterpret_cast<char*>(md), len));
  }
  return release;
}

Result<ReleaseConfig> read_config(const std::string& repo_dir) {
  auto text = read_file(repo_dir + "/releasectl.json", kMaxKeyFile);
  if (!text) return Error{text.message() + " (not a repository made by releasectl init?)"};
  return parse_config(*text);
}

Result<void> write_config(const std::string& repo_dir, const ReleaseConfig& config) {
  auto dir = tuf::files::Directory::open(repo_dir, true);
  if (!dir) return dir.error();
  return dir->write_atomically("releasectl.json", format_config(config));
}

Result<Repository> load_repository(const std::string& repo_dir, ReleaseConfig config) {
  auto dir = tuf::files::Directory::open(repo_dir + "/metadata", false);
  if (!dir) return dir.error();
  const tuf::files::Directory& d = *dir;
  return Repository::load(
      [&d](const std::string& name) { return d.read(name, kMaxMetadata); }, std::move(config));
}

Result<void> write_metadata(const std::string& repo_dir, const Repository& repository) {
  if (auto r = make_dir(repo_dir); !r) return r;
  auto dir = tuf::files::Directory::open(repo_dir + "/metadata", true);
  if (!dir) return dir.error();
  for (const auto& [name, bytes] : repository.output()) {
    if (auto r = dir->write_atomically(name, bytes); !r) return r;
  }
  return {};
}

Result<void> store_target(const std::string& repo_dir, const std::string& source,
                          const Release& release) {
  auto dir = tuf::files::Directory::open(repo_dir + "/targets", true);
  if (!dir) return dir.error();
  for (const std::string& name : Repository::target_file_names(release)) {
    auto out = tuf::files::PendingFile::create(*dir, name);
    if (!out) return out.error();
    auto copied = tuf::files::read_chunks(source, [&](std::string_view c) { return out->write(c); });
    if (!copied) return copied.error();
    if (*copied != release.length) return Error{source + " changed while it was being added"};
    if (auto r = out->commit(); !r) return r;
  }
  return {};
}

}  // namespace appliance::release::files
