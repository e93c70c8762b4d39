// The registry database's schema, as an ordered list of migrations (PRAGMA user_version counts
// how many have run). Private to the registry module.
#pragma once

#include <array>
#include <string_view>

namespace rootsim::registry::schema {

inline constexpr std::array<std::string_view, 2> kMigrations = {
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE apex_records(
  position INTEGER PRIMARY KEY, owner TEXT NOT NULL, type INTEGER NOT NULL,
  ttl INTEGER NOT NULL, rdata BLOB NOT NULL);
CREATE TABLE tlds(
  label TEXT PRIMARY KEY, u_label TEXT NOT NULL, kind TEXT NOT NULL, iso_code TEXT,
  manager TEXT NOT NULL,
  admin_name TEXT NOT NULL, admin_org TEXT NOT NULL, admin_email TEXT NOT NULL,
  tech_name TEXT NOT NULL, tech_org TEXT NOT NULL, tech_email TEXT NOT NULL,
  ns_ttl INTEGER NOT NULL, ds_ttl INTEGER NOT NULL,
  status TEXT NOT NULL, removal_date TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE tld_nameservers(
  label TEXT NOT NULL REFERENCES tlds(label) ON DELETE CASCADE, position INTEGER NOT NULL,
  host TEXT NOT NULL, PRIMARY KEY(label, position));
CREATE TABLE tld_ds(
  label TEXT NOT NULL REFERENCES tlds(label) ON DELETE CASCADE, position INTEGER NOT NULL,
  key_tag INTEGER NOT NULL, algorithm INTEGER NOT NULL, digest_type INTEGER NOT NULL,
  digest BLOB NOT NULL, PRIMARY KEY(label, position));
CREATE TABLE hosts(name TEXT PRIMARY KEY);
CREATE TABLE host_addresses(
  host TEXT NOT NULL REFERENCES hosts(name) ON DELETE CASCADE, position INTEGER NOT NULL,
  type INTEGER NOT NULL, rdata BLOB NOT NULL, ttl INTEGER NOT NULL, PRIMARY KEY(host, position));
CREATE TABLE requests(
  id INTEGER PRIMARY KEY, type TEXT NOT NULL, tld TEXT NOT NULL, requester TEXT NOT NULL,
  document TEXT NOT NULL, status TEXT NOT NULL, findings TEXT NOT NULL,
  submitted_at INTEGER NOT NULL, applied_at INTEGER, serial INTEGER);
CREATE TABLE zone_versions(
  serial INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, digest TEXT NOT NULL,
  request_ids TEXT NOT NULL);
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE signing_keys(
  id INTEGER PRIMARY KEY, role TEXT NOT NULL, state TEXT NOT NULL, algorithm INTEGER NOT NULL,
  private_pem TEXT NOT NULL, dnskey_rdata BLOB NOT NULL, created_at INTEGER NOT NULL);
-- The audit log is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    R"sql(
-- Governance (issue 5): the arrangement that decided a request and its decision trace (JSON).
ALTER TABLE requests ADD COLUMN arrangement TEXT;
ALTER TABLE requests ADD COLUMN trace TEXT;
)sql",
};

}  // namespace rootsim::registry::schema
