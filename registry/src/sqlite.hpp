// RAII wrappers for sqlite3 handles (private to the registry module). Errors become rootsim::Error
// here and never leave as SQLite codes. Thread-safety: one Database per thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/dns/result.hpp"

namespace rootsim::registry::sqlite {

class Statement;

class Database {
 public:
  /// Opens (creating when `create`) with WAL, foreign keys on and a busy timeout.
  [[nodiscard]] static Result<Database> open(const std::filesystem::path& file, bool create);

  [[nodiscard]] Status exec(const std::string& sql);
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] std::string error_message() const;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

/// A prepared statement. bind() uses 1-based positions; step() returns true while rows come.
class Statement {
 public:
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_blob(int index, std::span<const std::uint8_t> value);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::string>& value);

  /// Runs one step. Errors: kIo with SQLite's message (the statement's first bind error too).
  [[nodiscard]] Result<bool> step();
  /// Runs to completion and resets for reuse.
  [[nodiscard]] Status run();
  void reset();

  [[nodiscard]] std::int64_t column_int(int index) const;
  [[nodiscard]] std::string column_text(int index) const;
  [[nodiscard]] std::optional<std::string> column_optional_text(int index) const;
  [[nodiscard]] std::vector<std::uint8_t> column_blob(int index) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  sqlite3* db_;  // borrowed from the Database, which outlives its statements
  int bind_error_ = SQLITE_OK;
};

/// BEGIN IMMEDIATE on construction; rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> begin(Database& db);
  [[nodiscard]] Status commit();
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // borrowed; null once committed or moved from
};

}  // namespace rootsim::registry::sqlite
