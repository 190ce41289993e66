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
    {2, R"(
-- The login log of every protocol: why a login was refused, and "last logins" per account.
ALTER TABLE login_log ADD COLUMN reason TEXT NOT NULL DEFAULT '';
CREATE INDEX login_log_account ON login_log (account, time);
-- Nothing wrote security events before this step. seq is the chain's own
-- number (auth/event_chain.h), not an id a rolled-back insert could skip.
DROP TABLE security_events;
CREATE TABLE security_events (
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  target TEXT NOT NULL, details TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
)"},
    {3, R"(
-- Web sessions (store/web.h): found by the HMAC of the session id, never by the id.
CREATE TABLE web_sessions (
  mac BLOB PRIMARY KEY,
  tenant INTEGER NOT NULL,
  account INTEGER NOT NULL,
  address TEXT NOT NULL,
  full_session INTEGER NOT NULL,          -- 0: the second factor is due
  csrf TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  sudo_until INTEGER NOT NULL,
  source TEXT NOT NULL,
  agent TEXT NOT NULL,
  totp_key TEXT NOT NULL,
  totp_pending BLOB NOT NULL);           -- a TOTP seed sealed under seal/totp, awaiting its first code
CREATE INDEX web_sessions_account ON web_sessions (tenant, account);
CREATE INDEX web_sessions_expires ON web_sessions (expires);
-- API keys: in the system data, as a bearer token names no tenant. 0: none.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant INTEGER NOT NULL,
  account INTEGER NOT NULL,
  address TEXT NOT NULL,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  mac BLOB NOT NULL,
  grants TEXT NOT NULL,
  expires INTEGER NOT NULL,
  created INTEGER NOT NULL,
  last_used INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX api_keys_account ON api_keys (tenant, account);
CREATE INDEX security_events_target ON security_events (target, seq);
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
    {2, R"(
-- Sign-in data (store/accounts.h). Hashes, MACs and sealed seeds are made
-- with token keys; nothing here is a secret in clear. 0 stands for "none"
-- in times and limits.
ALTER TABLE accounts ADD COLUMN password TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN state TEXT NOT NULL DEFAULT 'active';   -- active | locked | closed
ALTER TABLE accounts ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN quota INTEGER NOT NULL DEFAULT 0;          -- bytes
ALTER TABLE accounts ADD COLUMN role TEXT NOT NULL DEFAULT 'user';
ALTER TABLE accounts ADD COLUMN totp_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_seed BLOB;                         -- sealed under seal/totp
ALTER TABLE accounts ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
  account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  slot INTEGER NOT NULL,
  key TEXT NOT NULL,
  mac BLOB NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (account, slot));
CREATE TABLE app_passwords (
  id TEXT PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  mac BLOB NOT NULL,
  protocols INTEGER NOT NULL,
  networks TEXT NOT NULL,
  expires INTEGER NOT NULL,
  created INTEGER NOT NULL,
  last_used INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX app_passwords_account ON app_passwords (account);
CREATE TABLE aliases (
  address TEXT NOT NULL,
  account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  PRIMARY KEY (address, account));
CREATE INDEX aliases_account ON aliases (account);
CREATE TABLE catch_alls (
  domain TEXT PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE);
)"},
    {3, R"(
-- IMAP subscriptions: names, which need not exist as mailboxes (RFC 9051 6.3.7).
CREATE TABLE subscriptions (
  account INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  PRIMARY KEY (account, name));
)"},
    {4, R"(
-- IMAP keywords ($Junk, $Forwarded, ...): sorted, space-separated.
ALTER TABLE messages ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
)"},
    {5, R"(
-- QRESYNC (RFC 7162 3.2): the UIDs expunged from each mailbox, with the
-- mailbox's modseq when they went, so VANISHED (EARLIER) is exact. Kept by
-- triggers: every way a message leaves a mailbox (EXPUNGE, MOVE, POP3,
-- retention) is recorded, and a deleted mailbox takes its records along.
-- Whatever deletes messages takes the mailbox's next modseq first.
CREATE TABLE expunged (
  mailbox INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  modseq INTEGER NOT NULL,
  PRIMARY KEY (mailbox, uid));
CREATE TRIGGER messages_expunged AFTER DELETE ON messages BEGIN
  INSERT OR REPLACE INTO expunged (mailbox, uid, modseq)
    SELECT OLD.mailbox, OLD.uid, modseq FROM mailboxes WHERE id = OLD.mailbox;
END;
CREATE TRIGGER mailboxes_deleted AFTER DELETE ON mailboxes BEGIN
  DELETE FROM expunged WHERE mailbox = OLD.id;
END;
-- Mod-sequences are positive (RFC 7162 7): a mailbox starts at 1.
UPDATE mailboxes SET modseq = 1 WHERE modseq = 0;
-- QUOTA: an account's usage without reading every message of the tenant.
CREATE INDEX messages_account ON messages (account);
)"},
    {6, R"(
-- The outbound queue (store/queue.h), replacing the unused table of step 1:
-- one row per message, one per recipient with its own state and last reply.
DROP TABLE queue;
CREATE TABLE queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account INTEGER NOT NULL REFERENCES accounts(id),   -- the sender's: the blob is sealed under its key
  blob BLOB NOT NULL,                     -- content address
  size INTEGER NOT NULL,
  sender TEXT NOT NULL,                   -- the envelope sender
  created INTEGER NOT NULL,
  next_attempt INTEGER NOT NULL,
  last_attempt INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0);
CREATE INDEX queue_due ON queue (held, next_attempt);
CREATE TABLE queue_recipients (
  entry INTEGER NOT NULL REFERENCES queue(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  address TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | bounced
  reply TEXT NOT NULL DEFAULT '',         -- the last reply, or why the attempt failed
  host TEXT NOT NULL DEFAULT '',          -- the host of the last attempt
  tls_policy TEXT NOT NULL DEFAULT '',    -- what decided the TLS use
  tls_version TEXT NOT NULL DEFAULT '',   -- '' when the attempt ran in plain text
  updated INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (entry, seq));
)"},
    {7, R"(
-- QUOTA: each account's usage, kept by triggers as messages come and go
-- (every copy counted), so a quota check at RCPT, APPEND or COPY reads one
-- row instead of every message of the account.
ALTER TABLE accounts ADD COLUMN used_messages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN used_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET
  used_messages = (SELECT count(*) FROM messages WHERE account = accounts.id),
  used_bytes = (SELECT COALESCE(SUM(size), 0) FROM messages WHERE account = accounts.id);
CREATE TRIGGER messages_added AFTER INSERT ON messages BEGIN
  UPDATE accounts SET used_messages = used_messages + 1, used_bytes = used_bytes + NEW.size
    WHERE id = NEW.account;
END;
CREATE TRIGGER messages_removed AFTER DELETE ON messages BEGIN
  UPDATE accounts SET used_messages = used_messages - 1, used_bytes = used_bytes - OLD.size
    WHERE id = OLD.account;
END;
)"},
    {8, R"(
-- Delay notices (deliverd): set once the sender has been told that a
-- message is still being retried, so that each message gets one notice.
ALTER TABLE queue ADD COLUMN delay_notified INTEGER NOT NULL DEFAULT 0;
)"},
    {9, R"(
-- Each account's submissions to other domains per clock hour (hour = Unix
-- time / 3600), counted as they are queued: the sending limits and the
-- burst hold of smtpd read them (docs/smtp.md).
CREATE TABLE sending (
  account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  hour INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  recipients INTEGER NOT NULL,
  PRIMARY KEY (account, hour));
)"},
    {10, R"(
-- A contact address outside the appliance, confirmed by a code sent there:
-- where a password reset goes (docs/accounts.md). '': none.
ALTER TABLE accounts ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
-- Codes sent by mail (auth/email_tokens.h), one per account and purpose
-- (contact: confirming a new contact address; reset: a password reset); a
-- new request replaces the old. Only the code's HMAC is kept.
CREATE TABLE email_tokens (
  account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  address TEXT NOT NULL,                  -- where the code was sent
  key TEXT NOT NULL,                      -- pepper version
  mac BLOB NOT NULL,
  expires INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account, purpose));
)"},
    {11, R"(
-- DSN options of the submission (RFC 3461), used by deliverd: RET and
-- ENVID of the message, NOTIFY and ORCPT of each recipient ('': not given).
ALTER TABLE queue ADD COLUMN ret TEXT NOT NULL DEFAULT '';         -- FULL | HDRS
ALTER TABLE queue ADD COLUMN envid TEXT NOT NULL DEFAULT '';       -- decoded xtext
ALTER TABLE queue_recipients ADD COLUMN notify TEXT NOT NULL DEFAULT '';  -- NEVER | SUCCESS,FAILURE,DELAY
ALTER TABLE queue_recipients ADD COLUMN orcpt TEXT NOT NULL DEFAULT '';   -- type;address, decoded
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
