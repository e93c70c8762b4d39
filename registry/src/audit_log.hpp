// The hash-chained audit log (private). Callers hold the transaction that the entry joins.
#pragma once

#include "rootsim/registry/registry_store.hpp"
#include "sqlite.hpp"

namespace rootsim::registry::audit_log {

/// The hash an entry must carry: hex SHA-256 over the previous hash and the record's fields.
[[nodiscard]] std::string entry_hash(std::int64_t seq, const std::string& prev_hash,
                                     const AuditRecord& record);
[[nodiscard]] Status append(sqlite::Database& db, const AuditRecord& record);
[[nodiscard]] Result<std::vector<AuditEntry>> list(sqlite::Database& db);
[[nodiscard]] Result<AuditVerification> verify(sqlite::Database& db);

}  // namespace rootsim::registry::audit_log
