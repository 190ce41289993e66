// NAME
//   permissions.h - who may open the store's files.
//
// DESCRIPTION
//   The daemons that handle mail (smtpd, deliverd, imapd, pop3d, webd,
//   monitord) each run as a user of their own, and all open the same SQLite
//   files; keyd and other users may not. They share the group
//   "appliance-store": directories are 2770 (the group is inherited by what is
//   made inside), files 0660. SQLite gives a database's -wal and -shm files
//   the database file's mode and owner. Without that group (a developer's
//   machine without the service users) the store is private to its owner:
//   0700 and 0600.
#pragma once

#include <filesystem>

namespace appliance::store::sqlite {

inline constexpr const char* kStoreGroup = "appliance-store";

// Best effort: a file or directory the caller does not own keeps its mode.
void share_directory(const std::filesystem::path& dir);
void share_file(const std::filesystem::path& file);

}  // namespace appliance::store::sqlite
