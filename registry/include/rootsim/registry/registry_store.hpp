// RegistryStore: the registry's SQLite database (WAL, foreign keys, versioned schema with
// migrations). Every mutation runs in one transaction together with its audit-log entry, so a
// crash leaves the database as before or fully changed. The audit log is append-only and
// hash-chained (each entry holds the SHA-256 of the one before); verify_audit() detects edits.
// Thread-safety: one RegistryStore per thread; SQLite serialises writers between processes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rootsim/dns/result.hpp"
#include "rootsim/registry/registry_state.hpp"

namespace rootsim::registry {

namespace sqlite {
class Database;
}

/// What an audit entry records; the store adds sequence number and hashes.
struct AuditRecord {
  std::int64_t at = 0;  ///< unix seconds
  std::string actor;    ///< "iana", "gov:CZ", "manager:cz", "cli"
  std::string action;   ///< "init", "request.submit", "request.apply", "keys.roll", ...
  std::string subject;  ///< a TLD label, a request id, "zone"
  std::string detail;   ///< canonical JSON
};

struct AuditEntry {
  std::int64_t seq = 0;
  AuditRecord record;
  std::string prev_hash;  ///< hex; 64 zeros for the first entry
  std::string hash;       ///< hex SHA-256 over prev_hash and the record's fields
};

struct AuditVerification {
  bool intact = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;  ///< empty when intact
};

enum class RequestStatus : std::uint8_t { kPending, kRejected, kPublished };
[[nodiscard]] std::string_view to_string(RequestStatus status) noexcept;

struct StoredRequest {
  std::int64_t id = 0;
  std::string type;      ///< "ds-update", ...
  std::string tld;       ///< label in text form, "cz."
  std::string requester;
  std::string document;  ///< the request as canonical JSON
  RequestStatus status = RequestStatus::kPending;
  std::string findings;  ///< JSON array of check findings and decisions
  std::int64_t submitted_at = 0;
  std::optional<std::int64_t> applied_at;
  std::optional<std::uint32_t> serial;  ///< the zone version that published it
  std::optional<std::string> arrangement;  ///< the governance arrangement that decided it
  std::optional<std::string> trace;        ///< its decision trace (JSON object)
};

struct ZoneVersion {
  std::uint32_t serial = 0;
  std::int64_t created_at = 0;
  std::string digest;  ///< hex SHA-256 of the unsigned zone text
  std::vector<std::int64_t> request_ids;
};

/// A signing key as stored; the signer converts it to and from its own type.
struct StoredKey {
  std::int64_t id = 0;
  std::string role;   ///< "ksk" | "zsk"
  std::string state;  ///< "published" | "active" | "retired"
  std::uint8_t algorithm = 8;
  std::string private_pem;
  dns::Bytes dnskey_rdata;
  std::int64_t created_at = 0;
};

class RegistryStore {
 public:
  enum class Mode : std::uint8_t { kCreate, kExisting };

  /// Opens the database, creating or migrating its schema. kExisting fails (kNotFound) when the
  /// file does not exist; kIo for anything SQLite refuses.
  [[nodiscard]] static Result<RegistryStore> open(const std::filesystem::path& file, Mode mode);
  RegistryStore(RegistryStore&&) noexcept;
  RegistryStore& operator=(RegistryStore&&) noexcept;
  ~RegistryStore();

  /// True once initialise() has committed.
  [[nodiscard]] Result<bool> initialised();
  /// Loads the current content. kNotFound when not initialised.
  [[nodiscard]] Result<RegistryState> load_state();

  /// Writes `state` into an empty registry with its first zone version and audit entry, in one
  /// transaction. kConflict when the registry already holds content.
  [[nodiscard]] Status initialise(const RegistryState& state, const ZoneVersion& version,
                                  const AuditRecord& audit);

  /// Records a submitted request with its audit entry; returns its id.
  [[nodiscard]] Result<std::int64_t> add_request(const StoredRequest& request,
                                                 const AuditRecord& audit);
  [[nodiscard]] Result<StoredRequest> find_request(std::int64_t id);
  /// Records a governance arrangement's decision on a pending request: the arrangement's name,
  /// the trace (JSON) and the status it leads to (kPending or kRejected; publication goes
  /// through apply_change), with the audit entry, in one transaction. kConflict when the request
  /// is not pending or `status` is kPublished.
  [[nodiscard]] Status record_decision(std::int64_t id, RequestStatus status,
                                       const std::string& arrangement, const std::string& trace,
                                       const AuditRecord& audit);
  [[nodiscard]] Result<std::vector<StoredRequest>> list_requests();

  /// Applies a pending request: writes what differs between `before` and `after`, marks the
  /// request applied in `version`, records the version and the audit entry — all or nothing.
  [[nodiscard]] Status apply_change(std::int64_t request_id, const RegistryState& before,
                                    const RegistryState& after, const ZoneVersion& version,
                                    const AuditRecord& audit);

  [[nodiscard]] Result<std::vector<ZoneVersion>> list_versions();
  [[nodiscard]] Result<std::vector<AuditEntry>> list_audit();
  [[nodiscard]] Result<AuditVerification> verify_audit();

  [[nodiscard]] Result<std::vector<StoredKey>> load_keys();
  /// Replaces the key set and writes the audit entry in one transaction.
  [[nodiscard]] Status replace_keys(const std::vector<StoredKey>& keys, const AuditRecord& audit);

  /// Appends an audit entry on its own (for actions that change nothing else).
  [[nodiscard]] Status append_audit(const AuditRecord& audit);

 private:
  explicit RegistryStore(std::unique_ptr<sqlite::Database> db);
  std::unique_ptr<sqlite::Database> db_;
};

/// The serial that follows `current` on day `yyyymmdd` (YYYYMMDDNN as IANA numbers versions).
[[nodiscard]] std::uint32_t next_serial(std::uint32_t current, std::uint32_t yyyymmdd) noexcept;

}  // namespace rootsim::registry
