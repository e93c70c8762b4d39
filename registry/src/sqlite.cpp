#include "sqlite.hpp"

namespace rootsim::registry::sqlite {

Result<Database> Database::open(const std::filesystem::path& file, bool create) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Database db(raw, file.string());
  if (rc != SQLITE_OK) {
    return fail(Errc::kIo, file.string() + ": " +
                               (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 5000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
    if (auto s = db.exec(pragma); !s) {
      return fail(std::move(s).error());
    }
  }
  return db;
}

Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    return fail(Errc::kIo, path_ + ": " + text);
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return fail(Errc::kIo, path_ + ": " + sqlite3_errmsg(db_.get()));
  }
  return Statement(stmt, db_.get());
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }

std::string Database::error_message() const { return sqlite3_errmsg(db_.get()); }

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  bind_error_ = bind_error_ == SQLITE_OK ? rc : bind_error_;
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  bind_error_ = bind_error_ == SQLITE_OK ? rc : bind_error_;
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> value) {
  const int rc = sqlite3_bind_blob(stmt_.get(), index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  bind_error_ = bind_error_ == SQLITE_OK ? rc : bind_error_;
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_.get(), index);
  bind_error_ = bind_error_ == SQLITE_OK ? rc : bind_error_;
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) {
    return fail(Errc::kIo, std::string("bind failed: ") + sqlite3_errstr(bind_error_));
  }
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  const int ext = sqlite3_extended_errcode(db_);
  return fail(ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE
                  ? Errc::kConflict
                  : Errc::kIo,
              sqlite3_errmsg(db_));
}

Status Statement::run() {
  auto r = step();
  while (r && *r) {
    r = step();
  }
  reset();
  if (!r) {
    return fail(std::move(r).error());
  }
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_error_ = SQLITE_OK;
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(stmt_.get(), index);
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_.get(), index);
  const int size = sqlite3_column_bytes(stmt_.get(), index);
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text),
                                       static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL) {
    return std::nullopt;
  }
  return column_text(index);
}

std::vector<std::uint8_t> Statement::column_blob(int index) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), index));
  const int size = sqlite3_column_bytes(stmt_.get(), index);
  return data == nullptr ? std::vector<std::uint8_t>()
                         : std::vector<std::uint8_t>(data, data + size);
}

Result<Transaction> Transaction::begin(Database& db) {
  if (auto s = db.exec("BEGIN IMMEDIATE"); !s) {
    return fail(std::move(s).error());
  }
  return Transaction(&db);
}

Status Transaction::commit() {
  if (db_ == nullptr) {
    return fail(Errc::kIo, "transaction already finished");
  }
  auto s = db_->exec("COMMIT");
  if (s) {
    db_ = nullptr;
  }
  return s;
}

Transaction::~Transaction() {
  if (db_ != nullptr) {
    (void)db_->exec("ROLLBACK");
  }
}

}  // namespace rootsim::registry::sqlite
