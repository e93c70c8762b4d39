#include "audit_log.hpp"

#include <openssl/evp.h>

#include <array>

#include "rootsim/dns/record.hpp"

namespace rootsim::registry::audit_log {
namespace {

const std::string kGenesis(64, '0');

std::string sha256_hex(const std::string& data) {
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex = dns::to_hex(std::span<const std::uint8_t>(digest.data(), length));
  for (char& c : hex) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex;
}

// Each field is length-prefixed so that no two different entries hash the same bytes.
void add_field(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += '\n';
}

// The chain head is kept in meta too, so that truncating the log's tail is detected.
Status set_head(sqlite::Database& db, const std::string& hash, std::int64_t seq) {
  auto stmt = db.prepare("INSERT OR REPLACE INTO meta VALUES('audit_head', ?1)");
  if (!stmt) {
    return fail(stmt.error());
  }
  stmt->bind(1, std::to_string(seq) + ":" + hash);
  return stmt->run();
}

}  // namespace

std::string entry_hash(std::int64_t seq, const std::string& prev_hash, const AuditRecord& record) {
  std::string data;
  add_field(data, std::to_string(seq));
  add_field(data, prev_hash);
  add_field(data, std::to_string(record.at));
  add_field(data, record.actor);
  add_field(data, record.action);
  add_field(data, record.subject);
  add_field(data, record.detail);
  return sha256_hex(data);
}

Status append(sqlite::Database& db, const AuditRecord& record) {
  auto last = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!last) {
    return fail(last.error());
  }
  std::int64_t seq = 1;
  std::string prev = kGenesis;
  auto row = last->step();
  if (!row) {
    return fail(row.error());
  }
  if (*row) {
    seq = last->column_int(0) + 1;
    prev = last->column_text(1);
  }
  const std::string hash = entry_hash(seq, prev, record);
  auto insert = db.prepare("INSERT INTO audit_log VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
  if (!insert) {
    return fail(insert.error());
  }
  insert->bind(1, seq)
      .bind(2, record.at)
      .bind(3, record.actor)
      .bind(4, record.action)
      .bind(5, record.subject)
      .bind(6, record.detail)
      .bind(7, prev)
      .bind(8, hash);
  if (auto s = insert->run(); !s) {
    return s;
  }
  return set_head(db, hash, seq);
}

Result<std::vector<AuditEntry>> list(sqlite::Database& db) {
  auto stmt = db.prepare("SELECT * FROM audit_log ORDER BY seq");
  if (!stmt) {
    return fail(stmt.error());
  }
  std::vector<AuditEntry> entries;
  auto row = stmt->step();
  for (; row && *row; row = stmt->step()) {
    entries.push_back(AuditEntry{
        stmt->column_int(0),
        AuditRecord{stmt->column_int(1), stmt->column_text(2), stmt->column_text(3),
                    stmt->column_text(4), stmt->column_text(5)},
        stmt->column_text(6), stmt->column_text(7)});
  }
  if (!row) {
    return fail(row.error());
  }
  return entries;
}

Result<AuditVerification> verify(sqlite::Database& db) {
  auto entries = list(db);
  if (!entries) {
    return fail(entries.error());
  }
  AuditVerification result;
  result.entries = static_cast<std::int64_t>(entries->size());
  std::string prev = kGenesis;
  std::int64_t expected_seq = 1;
  for (const AuditEntry& e : *entries) {
    std::string problem;
    if (e.seq != expected_seq) {
      problem = "entry " + std::to_string(expected_seq) + " is missing";
    } else if (e.prev_hash != prev) {
      problem = "entry " + std::to_string(e.seq) + " does not link to the entry before it";
    } else if (entry_hash(e.seq, e.prev_hash, e.record) != e.hash) {
      problem = "entry " + std::to_string(e.seq) + " was altered (its hash does not match)";
    }
    if (!problem.empty()) {
      result.intact = false;
      result.first_bad_seq = expected_seq;
      result.problem = problem;
      return result;
    }
    prev = e.hash;
    ++expected_seq;
  }
  auto head = db.prepare("SELECT value FROM meta WHERE key = 'audit_head'");
  if (!head) {
    return fail(head.error());
  }
  auto row = head->step();
  const std::string recorded = (row && *row) ? head->column_text(0) : std::string();
  const std::string actual =
      entries->empty() ? std::string() : std::to_string(entries->back().seq) + ":" + prev;
  if (recorded != actual) {
    result.intact = false;
    result.first_bad_seq = expected_seq;
    result.problem = "the log ends at entry " + std::to_string(expected_seq - 1) +
                     " but its recorded head is " + (recorded.empty() ? "absent" : recorded);
  }
  return result;
}

}  // namespace rootsim::registry::audit_log
