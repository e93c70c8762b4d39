#include "rootsim/registry/registry_store.hpp"

#include <sstream>

#include "audit_log.hpp"
#include "schema.hpp"
#include "sqlite.hpp"
#include "state_tables.hpp"

namespace rootsim::registry {
namespace {

Status migrate(sqlite::Database& db) {
  auto version = db.prepare("PRAGMA user_version");
  if (!version) {
    return fail(version.error());
  }
  auto row = version->step();
  if (!row) {
    return fail(row.error());
  }
  const auto current = static_cast<std::size_t>(version->column_int(0));
  if (current > schema::kMigrations.size()) {
    return fail(Errc::kConflict, db.path() + ": schema version " + std::to_string(current) +
                                     " is newer than this rootsim knows");
  }
  for (std::size_t i = current; i < schema::kMigrations.size(); ++i) {
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
      return fail(tx.error());
    }
    if (auto s = db.exec(std::string(schema::kMigrations[i])); !s) {
      return s;
    }
    if (auto s = db.exec("PRAGMA user_version = " + std::to_string(i + 1)); !s) {
      return s;
    }
    if (auto s = tx->commit(); !s) {
      return s;
    }
  }
  return {};
}

std::string ids_text(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i == 0 ? "" : ",") + std::to_string(ids[i]);
  }
  return out + "]";
}

std::vector<std::int64_t> parse_ids(const std::string& text) {
  std::vector<std::int64_t> ids;
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (!digits.empty()) {
      ids.push_back(std::stoll(digits));
      digits.clear();
    }
  }
  return ids;
}

Status insert_version(sqlite::Database& db, const ZoneVersion& version) {
  auto stmt = db.prepare("INSERT INTO zone_versions VALUES(?1,?2,?3,?4)");
  if (!stmt) {
    return fail(stmt.error());
  }
  stmt->bind(1, std::int64_t{version.serial})
      .bind(2, version.created_at)
      .bind(3, version.digest)
      .bind(4, ids_text(version.request_ids));
  if (auto s = stmt->run(); !s) {
    return fail(std::move(s).error(),
                "zone version " + std::to_string(version.serial) + ": ");
  }
  return {};
}

StoredRequest read_request(const sqlite::Statement& stmt) {
  StoredRequest r;
  r.id = stmt.column_int(0);
  r.type = stmt.column_text(1);
  r.tld = stmt.column_text(2);
  r.requester = stmt.column_text(3);
  r.document = stmt.column_text(4);
  const std::string status = stmt.column_text(5);
  r.status = status == "published"  ? RequestStatus::kPublished
             : status == "rejected" ? RequestStatus::kRejected
                                    : RequestStatus::kPending;
  r.findings = stmt.column_text(6);
  r.submitted_at = stmt.column_int(7);
  if (auto applied = stmt.column_optional_text(8)) {
    r.applied_at = std::stoll(*applied);
  }
  if (auto serial = stmt.column_optional_text(9)) {
    r.serial = static_cast<std::uint32_t>(std::stoul(*serial));
  }
  r.arrangement = stmt.column_optional_text(10);
  r.trace = stmt.column_optional_text(11);
  return r;
}

}  // namespace

std::string_view to_string(RequestStatus status) noexcept {
  switch (status) {
    case RequestStatus::kPending:
      return "pending";
    case RequestStatus::kRejected:
      return "rejected";
    case RequestStatus::kPublished:
      return "published";
  }
  return "pending";
}

std::uint32_t next_serial(std::uint32_t current, std::uint32_t yyyymmdd) noexcept {
  const std::uint32_t first_of_day = yyyymmdd * 100U;
  return current < first_of_day ? first_of_day : current + 1;
}

RegistryStore::RegistryStore(std::unique_ptr<sqlite::Database> db) : db_(std::move(db)) {}
RegistryStore::RegistryStore(RegistryStore&&) noexcept = default;
RegistryStore& RegistryStore::operator=(RegistryStore&&) noexcept = default;
RegistryStore::~RegistryStore() = default;

Result<RegistryStore> RegistryStore::open(const std::filesystem::path& file, Mode mode) {
  if (mode == Mode::kExisting && !std::filesystem::exists(file)) {
    return fail(Errc::kNotFound,
                file.string() + ": no such registry (create one with 'rootsim --db FILE init')");
  }
  auto db = sqlite::Database::open(file, mode == Mode::kCreate);
  if (!db) {
    return fail(db.error());
  }
  auto owned = std::make_unique<sqlite::Database>(std::move(*db));
  if (auto s = migrate(*owned); !s) {
    return fail(std::move(s).error());
  }
  return RegistryStore(std::move(owned));
}

Result<bool> RegistryStore::initialised() {
  auto stmt = db_->prepare("SELECT value FROM meta WHERE key = 'initialised'");
  if (!stmt) {
    return fail(stmt.error());
  }
  auto row = stmt->step();
  if (!row) {
    return fail(row.error());
  }
  return *row;
}

Result<RegistryState> RegistryStore::load_state() {
  auto ready = initialised();
  if (!ready) {
    return fail(ready.error());
  }
  if (!*ready) {
    return fail(Errc::kNotFound, db_->path() + ": registry is empty (run 'rootsim --db " +
                                     db_->path() + " init' first)");
  }
  return state_tables::load(*db_);
}

Status RegistryStore::initialise(const RegistryState& state, const ZoneVersion& version,
                                 const AuditRecord& audit) {
  auto tx = sqlite::Transaction::begin(*db_);
  if (!tx) {
    return fail(tx.error());
  }
  auto ready = initialised();
  if (!ready) {
    return fail(ready.error());
  }
  if (*ready) {
    return fail(Errc::kConflict, db_->path() + ": registry already initialised");
  }
  for (auto step : {
           state_tables::insert_all(*db_, state),
           insert_version(*db_, version),
           audit_log::append(*db_, audit),
           db_->exec("INSERT INTO meta VALUES('initialised', '1')"),
       }) {
    if (!step) {
      return step;
    }
  }
  return tx->commit();
}

Result<std::int64_t> RegistryStore::add_request(const StoredRequest& request,
                                                const AuditRecord& audit) {
  auto tx = sqlite::Transaction::begin(*db_);
  if (!tx) {
    return fail(tx.error());
  }
  auto stmt = db_->prepare(
      "INSERT INTO requests(type, tld, requester, document, status, findings, submitted_at) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7)");
  if (!stmt) {
    return fail(stmt.error());
  }
  stmt->bind(1, request.type)
      .bind(2, request.tld)
      .bind(3, request.requester)
      .bind(4, request.document)
      .bind(5, to_string(request.status))
      .bind(6, request.findings)
      .bind(7, request.submitted_at);
  if (auto s = stmt->run(); !s) {
    return fail(std::move(s).error());
  }
  const std::int64_t id = db_->last_insert_rowid();
  AuditRecord entry = audit;
  entry.subject = "request " + std::to_string(id);
  if (auto s = audit_log::append(*db_, entry); !s) {
    return fail(std::move(s).error());
  }
  if (auto s = tx->commit(); !s) {
    return fail(std::move(s).error());
  }
  return id;
}

Result<StoredRequest> RegistryStore::find_request(std::int64_t id) {
  auto stmt = db_->prepare("SELECT * FROM requests WHERE id = ?1");
  if (!stmt) {
    return fail(stmt.error());
  }
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return fail(Errc::kNotFound, "no request " + std::to_string(id));
  }
  return read_request(*stmt);
}

Status RegistryStore::record_decision(std::int64_t id, RequestStatus status,
                                      const std::string& arrangement, const std::string& trace,
                                      const AuditRecord& audit) {
  if (status == RequestStatus::kPublished) {
    return fail(Errc::kConflict, "a decision to publish is recorded by apply_change");
  }
  auto tx = sqlite::Transaction::begin(*db_);
  if (!tx) {
    return fail(tx.error());
  }
  auto current = find_request(id);
  if (!current) {
    return fail(current.error());
  }
  if (current->status != RequestStatus::kPending) {
    return fail(Errc::kConflict, "request " + std::to_string(id) + " is " +
                                     std::string(to_string(current->status)) +
                                     ", only pending requests can be decided");
  }
  auto mark =
      db_->prepare("UPDATE requests SET status = ?2, arrangement = ?3, trace = ?4 WHERE id = ?1");
  if (!mark) {
    return fail(mark.error());
  }
  mark->bind(1, id).bind(2, to_string(status)).bind(3, arrangement).bind(4, trace);
  for (auto step : {mark->run(), audit_log::append(*db_, audit)}) {
    if (!step) {
      return step;
    }
  }
  return tx->commit();
}

Result<std::vector<StoredRequest>> RegistryStore::list_requests() {
  auto stmt = db_->prepare("SELECT * FROM requests ORDER BY id");
  if (!stmt) {
    return fail(stmt.error());
  }
  std::vector<StoredRequest> out;
  auto row = stmt->step();
  for (; row && *row; row = stmt->step()) {
    out.push_back(read_request(*stmt));
  }
  if (!row) {
    return fail(row.error());
  }
  return out;
}

Status RegistryStore::apply_change(std::int64_t request_id, const RegistryState& before,
                                   const RegistryState& after, const ZoneVersion& version,
                                   const AuditRecord& audit) {
  auto tx = sqlite::Transaction::begin(*db_);
  if (!tx) {
    return fail(tx.error());
  }
  auto current = find_request(request_id);
  if (!current) {
    return fail(current.error());
  }
  if (current->status != RequestStatus::kPending) {
    return fail(Errc::kConflict, "request " + std::to_string(request_id) + " is " +
                                     std::string(to_string(current->status)) +
                                     ", only pending requests can be applied");
  }
  auto mark = db_->prepare(
      "UPDATE requests SET status = 'published', applied_at = ?2, serial = ?3 WHERE id = ?1");
  if (!mark) {
    return fail(mark.error());
  }
  mark->bind(1, request_id).bind(2, version.created_at).bind(3, std::int64_t{version.serial});
  for (auto step : {state_tables::write_changes(*db_, before, after), mark->run(),
                    insert_version(*db_, version), audit_log::append(*db_, audit)}) {
    if (!step) {
      return step;
    }
  }
  return tx->commit();
}

Result<std::vector<ZoneVersion>> RegistryStore::list_versions() {
  auto stmt = db_->prepare("SELECT * FROM zone_versions ORDER BY serial");
  if (!stmt) {
    return fail(stmt.error());
  }
  std::vector<ZoneVersion> out;
  auto row = stmt->step();
  for (; row && *row; row = stmt->step()) {
    out.push_back(ZoneVersion{static_cast<std::uint32_t>(stmt->column_int(0)),
                              stmt->column_int(1), stmt->column_text(2),
                              parse_ids(stmt->column_text(3))});
  }
  if (!row) {
    return fail(row.error());
  }
  return out;
}

Result<std::vector<AuditEntry>> RegistryStore::list_audit() { return audit_log::list(*db_); }

Result<AuditVerification> RegistryStore::verify_audit() { return audit_log::verify(*db_); }

Result<std::vector<StoredKey>> RegistryStore::load_keys() {
  auto stmt = db_->prepare("SELECT * FROM signing_keys ORDER BY id");
  if (!stmt) {
    return fail(stmt.error());
  }
  std::vector<StoredKey> out;
  auto row = stmt->step();
  for (; row && *row; row = stmt->step()) {
    out.push_back(StoredKey{stmt->column_int(0), stmt->column_text(1), stmt->column_text(2),
                            static_cast<std::uint8_t>(stmt->column_int(3)), stmt->column_text(4),
                            stmt->column_blob(5), stmt->column_int(6)});
  }
  if (!row) {
    return fail(row.error());
  }
  return out;
}

Status RegistryStore::replace_keys(const std::vector<StoredKey>& keys, const AuditRecord& audit) {
  auto tx = sqlite::Transaction::begin(*db_);
  if (!tx) {
    return fail(tx.error());
  }
  if (auto s = db_->exec("DELETE FROM signing_keys"); !s) {
    return s;
  }
  auto stmt = db_->prepare(
      "INSERT INTO signing_keys(role, state, algorithm, private_pem, dnskey_rdata, created_at) "
      "VALUES(?1,?2,?3,?4,?5,?6)");
  if (!stmt) {
    return fail(stmt.error());
  }
  for (const StoredKey& k : keys) {
    stmt->bind(1, k.role)
        .bind(2, k.state)
        .bind(3, std::int64_t{k.algorithm})
        .bind(4, k.private_pem)
        .bind_blob(5, std::span<const std::uint8_t>(k.dnskey_rdata))
        .bind(6, k.created_at);
    if (auto s = stmt->run(); !s) {
      return s;
    }
  }
  if (auto s = audit_log::append(*db_, audit); !s) {
    return s;
  }
  return tx->commit();
}

Status RegistryStore::append_audit(const AuditRecord& audit) {
  auto tx = sqlite::Transaction::begin(*db_);
  if (!tx) {
    return fail(tx.error());
  }
  if (auto s = audit_log::append(*db_, audit); !s) {
    return s;
  }
  return tx->commit();
}

}  // namespace rootsim::registry
