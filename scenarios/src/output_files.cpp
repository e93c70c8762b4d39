// write_results: summary.json, events.jsonl, resolution.csv and results.db, written to a fresh
// sibling folder first and moved into place by rename, so that a failed or interrupted write
// leaves nothing of the new run behind.
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <memory>
#include <system_error>

#include "rootsim/scenarios/output.hpp"

#include "text_files.hpp"

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 4> kFiles = {"summary.json", "events.jsonl", "resolution.csv",
                                               "results.db"};

std::string events_text(const RunResults& results) {
  std::string text;
  for (const ReplicationResult& r : results.replications) {
    for (const std::string& line : r.events) {
      text += line;
      if (line.empty() || line.back() != '\n') {
        text += '\n';
      }
    }
  }
  return text;
}

const std::string& region_name(const RunResults& results, std::uint16_t region) {
  static const std::string kUnknown = "?";
  return region < results.regions.size() ? results.regions[region] : kUnknown;
}

std::string resolution_text(const RunResults& results) {
  std::string text = "arrangement,replication,day,region,correct,wrong,failed\n";
  for (const ReplicationResult& r : results.replications) {
    const std::string prefix = csv_field(r.arrangement) + "," + std::to_string(r.replication) + ",";
    for (const ResolutionSample& s : r.resolution) {
      text += prefix + std::to_string(s.day) + "," + csv_field(region_name(results, s.region)) +
              "," + std::to_string(s.correct) + "," + std::to_string(s.wrong) + "," +
              std::to_string(s.failed) + "\n";
    }
  }
  return text;
}

// SQLite handles, wrapped once (STYLE.md §5).
using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

constexpr const char* kSchema = R"sql(
CREATE TABLE metrics(key TEXT PRIMARY KEY, unit TEXT NOT NULL, definition TEXT NOT NULL);
CREATE TABLE runs(arrangement TEXT NOT NULL, replication INTEGER NOT NULL, seed INTEGER NOT NULL,
                  PRIMARY KEY(arrangement, replication));
CREATE TABLE metric_values(arrangement TEXT NOT NULL, replication INTEGER NOT NULL,
                           key TEXT NOT NULL REFERENCES metrics(key), value REAL);
CREATE TABLE lead_times(arrangement TEXT NOT NULL, replication INTEGER NOT NULL, days REAL NOT NULL);
CREATE TABLE resolution(arrangement TEXT NOT NULL, replication INTEGER NOT NULL,
                        day INTEGER NOT NULL, region TEXT NOT NULL, correct INTEGER NOT NULL,
                        wrong INTEGER NOT NULL, failed INTEGER NOT NULL);
CREATE TABLE participation(arrangement TEXT NOT NULL, replication INTEGER NOT NULL,
                           party TEXT NOT NULL, steps INTEGER NOT NULL);
)sql";

/// Binds text, integers and doubles by position; NaN becomes NULL (SQLite's own rule).
class Inserter {
 public:
  Inserter(sqlite3* db, const char* sql) : stmt_(nullptr, &sqlite3_finalize) {
    sqlite3_stmt* raw = nullptr;
    ok_ = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) == SQLITE_OK;
    stmt_.reset(raw);
  }
  Inserter& text(const std::string& s) {
    ok_ = ok_ && sqlite3_bind_text(stmt_.get(), ++index_, s.data(), static_cast<int>(s.size()),
                                   SQLITE_TRANSIENT) == SQLITE_OK;
    return *this;
  }
  Inserter& integer(std::int64_t v) {
    ok_ = ok_ && sqlite3_bind_int64(stmt_.get(), ++index_, v) == SQLITE_OK;
    return *this;
  }
  Inserter& real(double v) {
    ok_ = ok_ && sqlite3_bind_double(stmt_.get(), ++index_, v) == SQLITE_OK;
    return *this;
  }
  /// Runs the statement with what was bound and resets it for the next row.
  void step() {
    ok_ = ok_ && sqlite3_step(stmt_.get()) == SQLITE_DONE;
    if (stmt_) {
      sqlite3_reset(stmt_.get());
      sqlite3_clear_bindings(stmt_.get());
    }
    index_ = 0;
  }
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  Stmt stmt_;
  int index_ = 0;
  bool ok_ = false;
};

Status write_db(const fs::path& file, const RunResults& results) {
  auto error = [&](sqlite3* db) {
    return fail(Errc::kIo, file.string() + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
  };
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 nullptr);
  Db db(raw, &sqlite3_close);
  if (rc != SQLITE_OK) {
    return error(db.get());
  }
  if (sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_exec(db.get(), kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return error(db.get());
  }
  bool ok = true;
  {
    Inserter metric(db.get(), "INSERT INTO metrics VALUES(?,?,?)");
    for (const MetricDefinition& d : metric_definitions()) {
      metric.text(std::string(d.key)).text(std::string(d.unit)).text(std::string(d.definition));
      metric.step();
    }
    Inserter run(db.get(), "INSERT INTO runs VALUES(?,?,?)");
    Inserter value(db.get(), "INSERT INTO metric_values VALUES(?,?,?,?)");
    Inserter lead(db.get(), "INSERT INTO lead_times VALUES(?,?,?)");
    Inserter resolution(db.get(), "INSERT INTO resolution VALUES(?,?,?,?,?,?,?)");
    Inserter party(db.get(), "INSERT INTO participation VALUES(?,?,?,?)");
    for (const ReplicationResult& r : results.replications) {
      const auto rep = static_cast<std::int64_t>(r.replication);
      // A 64-bit seed is stored as its two's-complement signed value (SQLite has no unsigned).
      run.text(r.arrangement).integer(rep).integer(static_cast<std::int64_t>(r.seed));
      run.step();
      for (std::size_t i = 0; i < kMetricCount; ++i) {
        value.text(r.arrangement).integer(rep).text(std::string(metric_definitions()[i].key));
        value.real(r.values[i]);
        value.step();
      }
      for (const double days : r.lead_times_days) {
        lead.text(r.arrangement).integer(rep).real(days);
        lead.step();
      }
      for (const ResolutionSample& s : r.resolution) {
        resolution.text(r.arrangement).integer(rep).integer(s.day);
        resolution.text(region_name(results, s.region));
        resolution.integer(static_cast<std::int64_t>(s.correct))
            .integer(static_cast<std::int64_t>(s.wrong))
            .integer(static_cast<std::int64_t>(s.failed));
        resolution.step();
      }
      for (const auto& [name, steps] : r.participation) {
        party.text(r.arrangement).integer(rep).text(name).integer(static_cast<std::int64_t>(steps));
        party.step();
      }
    }
    ok = metric.ok() && run.ok() && value.ok() && lead.ok() && resolution.ok() && party.ok();
  }
  if (!ok || sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return error(db.get());
  }
  if (sqlite3_close(db.release()) != SQLITE_OK) {
    return fail(Errc::kIo, file.string() + ": cannot close");
  }
  return {};
}

/// The outermost folder of `dir` that does not exist yet (what create_directories would make),
/// or empty when `dir` exists.
fs::path first_missing(const fs::path& dir) {
  std::error_code ec;
  fs::path missing;
  for (fs::path p = dir; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p, ec)) {
      break;
    }
    missing = p;
    if (p == p.parent_path()) {
      break;
    }
  }
  return missing;
}

}  // namespace

Status write_results(const RunResults& results, const Scenario& scenario,
                     const fs::path& out_dir) {
  fs::path target = out_dir.lexically_normal();
  if (target.has_parent_path() && !target.has_filename()) {
    target = target.parent_path();  // "out/" -> "out"
  }
  const fs::path tmp =
      target.parent_path() / (target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  std::error_code ec;
  // What we create beyond what exists: the temp folder, and out_dir's missing ancestors.
  const fs::path created_tmp = first_missing(tmp);
  const fs::path created_out = first_missing(target);
  fs::remove_all(tmp, ec);  // a leftover of an earlier process with our pid
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove_all(created_tmp.empty() ? tmp : created_tmp, ignored);
  };
  if (!fs::create_directories(tmp, ec) || ec) {
    cleanup();
    return fail(Errc::kIo, target.string() + ": cannot create the temporary folder " +
                               tmp.string() + ": " + ec.message());
  }
  Status written = write_text_file(tmp / kFiles[0], summary_json(results, scenario));
  if (written) {
    written = write_text_file(tmp / kFiles[1], events_text(results));
  }
  if (written) {
    written = write_text_file(tmp / kFiles[2], resolution_text(results));
  }
  if (written) {
    written = write_db(tmp / kFiles[3], results);
  }
  if (!written) {
    cleanup();
    return written;
  }
  fs::create_directories(target, ec);
  if (ec || !fs::is_directory(target, ec)) {
    cleanup();
    return fail(Errc::kIo, target.string() + ": cannot create folder");
  }
  for (std::size_t i = 0; i < kFiles.size(); ++i) {
    fs::rename(tmp / kFiles[i], target / kFiles[i], ec);
    if (ec) {
      // Take back what was already moved: nothing of this run may remain.
      std::error_code ignored;
      for (std::size_t j = 0; j < i; ++j) {
        fs::remove(target / kFiles[j], ignored);
      }
      if (!created_out.empty()) {
        fs::remove_all(created_out, ignored);
      }
      cleanup();
      return fail(Errc::kIo, (target / kFiles[i]).string() + ": cannot move into place: " +
                                 ec.message());
    }
  }
  fs::remove_all(tmp, ec);  // only the temp folder: its parents may now hold out_dir
  return {};
}

}  // namespace rootsim::scenarios
