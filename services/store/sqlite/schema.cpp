// NAME
//   schema.cpp - the SQLite DDL of the system, tenant and blob databases.
//
// DESCRIPTION
//   DDL is per backend (postgres/ will have its own); the queries that use
//   these tables are portable. Steps are append-only: a released step is
//   never edited, a change is a new step.
#include "store/sqlite/migrate.h"

namespace appliance::store::sqlite {
namespace {

constexpr Migration kSystem[] = {
    {1, R"(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'creating',   -- creating | active
  created INTEGER NOT NULL);
CREATE TABLE domains (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL UNIQUE);
-- Key and certificate metadata (no key material: that stays in the token).
CREATE TABLE key_metadata (
  name TEXT PRIMARY KEY, purpose TEXT NOT NULL, algorithm TEXT NOT NULL,
  created INTEGER NOT NULL, retired INTEGER);
CREATE TABLE certificates (
  key TEXT NOT NULL REFERENCES key_metadata(name), chain_pem TEXT NOT NULL,
  not_after INTEGER NOT NULL);
CREATE TABLE login_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, tenant INTEGER,
  account TEXT NOT NULL, protocol TEXT NOT NULL, address TEXT NOT NULL,
  agent TEXT, result TEXT NOT NULL);
CREATE INDEX login_log_time ON login_log (time);
CREATE TABLE security_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, kind TEXT NOT NULL,
  actor TEXT NOT NULL, detail TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
)"},
};

constexpr Migration kTenant[] = {
    {1, R"(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: blob addresses are scoped by it
  address TEXT NOT NULL UNIQUE,
  key_id BLOB NOT NULL,                   -- random; the context the data key is wrapped with
  key_version TEXT NOT NULL,              -- the keyd wrap key version
  wrapped_key BLOB NOT NULL,              -- the data key, wrapped; never the raw key
  created INTEGER NOT NULL);
CREATE TABLE mailboxes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  uidvalidity INTEGER NOT NULL,
  uidnext INTEGER NOT NULL DEFAULT 1,
  modseq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account, name));
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account INTEGER NOT NULL REFERENCES accounts(id),
  mailbox INTEGER NOT NULL REFERENCES mailboxes(id),
  uid INTEGER NOT NULL,
  blob BLOB NOT NULL,                     -- content address in blobs.db
  size INTEGER NOT NULL,
  internal_date INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  modseq INTEGER NOT NULL,
  summary BLOB,                           -- sealed under the account's key
  UNIQUE (mailbox, uid));
-- The outbound queue (deliverd); used from a later issue.
CREATE TABLE queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account INTEGER NOT NULL REFERENCES accounts(id),
  blob BLOB NOT NULL,
  envelope BLOB NOT NULL,                 -- sealed
  next_attempt INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0);
)"},
};

constexpr Migration kBlobs[] = {
    {1, R"(
CREATE TABLE blobs (
  ref INTEGER PRIMARY KEY AUTOINCREMENT,
  account INTEGER NOT NULL,
  address BLOB NOT NULL,                  -- HMAC-SHA256 of the plaintext under the account's id key
  header BLOB NOT NULL,                   -- "ASB1", codec, salt
  size INTEGER NOT NULL,                  -- plaintext bytes
  stored INTEGER NOT NULL,                -- sealed bytes
  chunks INTEGER NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (account, address));
CREATE TABLE chunks (
  blob INTEGER NOT NULL REFERENCES blobs(ref) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (blob, seq));
)"},
};

}  // namespace

std::span<const Migration> system_schema() {
  return kSystem;
}
std::span<const Migration> tenant_schema() {
  return kTenant;
}
std::span<const Migration> blob_schema() {
  return kBlobs;
}

}  // namespace appliance::store::sqlite
