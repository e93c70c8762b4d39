#include "rootsim/registry/registry_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "registry_fixtures.hpp"
#include "rootsim/registry/zone_io.hpp"

namespace rootsim::registry {
namespace {

using testing::name;
using testing::small_registry;
using testing::TempDb;

RegistryStore created(const TempDb& db) {
  auto store = RegistryStore::open(db.path(), RegistryStore::Mode::kCreate);
  EXPECT_TRUE(store) << store.error().message;
  auto status = store->initialise(small_registry(), ZoneVersion{2026073102, 100, "d", {}},
                                  AuditRecord{100, "test", "init", "zone", "{}"});
  EXPECT_TRUE(status) << status.error().message;
  return std::move(*store);
}

// Raw SQL against the file, as an attacker or a careless admin would do.
void raw_sql(const TempDb& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &message);
  const std::string text = message != nullptr ? message : "";
  sqlite3_free(message);
  sqlite3_close(raw);
  ASSERT_EQ(rc, SQLITE_OK) << text;
}

TEST(RegistryStore, OpeningAMissingRegistryIsNotFound) {
  auto store = RegistryStore::open("/nonexistent/dir/reg.db", RegistryStore::Mode::kExisting);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kNotFound);
}

TEST(RegistryStore, StateRoundTrips) {
  TempDb db("roundtrip");
  RegistryStore store = created(db);
  auto loaded = store.load_state();
  ASSERT_TRUE(loaded) << loaded.error().message;
  const RegistryState expected = small_registry();
  EXPECT_EQ(loaded->apex, expected.apex);
  EXPECT_EQ(loaded->tlds, expected.tlds);
  EXPECT_EQ(loaded->hosts, expected.hosts);
  EXPECT_EQ(build_unsigned_zone(*loaded), build_unsigned_zone(expected));
}

TEST(RegistryStore, InitialisingTwiceIsAConflict) {
  TempDb db("twice");
  RegistryStore store = created(db);
  auto again = store.initialise(small_registry(), ZoneVersion{2026073103, 1, "d", {}},
                                AuditRecord{1, "t", "init", "zone", "{}"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
}

TEST(RegistryStore, EmptyRegistryRefusesToLoad) {
  TempDb db("empty");
  auto store = RegistryStore::open(db.path(), RegistryStore::Mode::kCreate);
  ASSERT_TRUE(store);
  auto state = store->load_state();
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, Errc::kNotFound);
}

TEST(RegistryStore, ApplyChangeWritesOnlyTheDifferenceAndRecordsTheVersion) {
  TempDb db("apply");
  RegistryStore store = created(db);
  const RegistryState before = *store.load_state();
  auto id = store.add_request(
      StoredRequest{0, "ds-update", "cz.", "manager:cz", "{}", RequestStatus::kPending, "[]", 200,
                    std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      AuditRecord{200, "manager:cz", "request.submit", "", "{}"});
  ASSERT_TRUE(id) << id.error().message;
  RegistryState after = before;
  after.tlds.at(name("cz.")).delegation.ds.clear();
  after.tlds.erase(name("example."));
  after.hosts.erase(name("ns1.provider.cz."));
  ASSERT_TRUE(set_serial(after, 2026073103));
  auto applied = store.apply_change(*id, before, after, ZoneVersion{2026073103, 300, "d2", {*id}},
                                    AuditRecord{300, "iana", "request.apply", "cz.", "{}"});
  ASSERT_TRUE(applied) << applied.error().message;
  auto reloaded = store.load_state();
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->tlds, after.tlds);
  EXPECT_EQ(reloaded->hosts, after.hosts);
  EXPECT_EQ(reloaded->serial(), 2026073103U);
  auto request = store.find_request(*id);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->status, RequestStatus::kPublished);
  EXPECT_EQ(request->serial, 2026073103U);
  auto versions = store.list_versions();
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2U);
  EXPECT_EQ(versions->back().request_ids, std::vector<std::int64_t>{*id});
  // Applying twice is refused and changes nothing.
  auto again = store.apply_change(*id, after, before, ZoneVersion{2026073104, 400, "d3", {*id}},
                                  AuditRecord{400, "iana", "request.apply", "cz.", "{}"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_EQ(store.load_state()->tlds, after.tlds);
  EXPECT_EQ(store.list_versions()->size(), 2U);
}

TEST(RegistryStore, AuditChainHoldsAndDetectsAnEditedEntry) {
  TempDb db("audit_edit");
  {
    RegistryStore store = created(db);
    ASSERT_TRUE(store.append_audit(AuditRecord{2, "a", "x", "s", "{\"n\":1}"}));
    ASSERT_TRUE(store.append_audit(AuditRecord{3, "a", "x", "s", "{\"n\":2}"}));
    auto verdict = store.verify_audit();
    ASSERT_TRUE(verdict);
    EXPECT_TRUE(verdict->intact);
    EXPECT_EQ(verdict->entries, 3);
  }
  raw_sql(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail='{\"n\":9}' WHERE seq=2");
  auto store = RegistryStore::open(db.path(), RegistryStore::Mode::kExisting);
  auto verdict = store->verify_audit();
  ASSERT_TRUE(verdict);
  EXPECT_FALSE(verdict->intact);
  EXPECT_EQ(verdict->first_bad_seq, 2);
}

TEST(RegistryStore, AuditChainDetectsADeletedTail) {
  TempDb db("audit_tail");
  {
    RegistryStore store = created(db);
    ASSERT_TRUE(store.append_audit(AuditRecord{2, "a", "x", "s", "{}"}));
  }
  raw_sql(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq=2");
  auto store = RegistryStore::open(db.path(), RegistryStore::Mode::kExisting);
  auto verdict = store->verify_audit();
  ASSERT_TRUE(verdict);
  EXPECT_FALSE(verdict->intact);
}

TEST(RegistryStore, DatabaseRefusesAuditEdits) {
  TempDb db("audit_trigger");
  { RegistryStore store = created(db); }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(raw, "UPDATE audit_log SET actor='x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(raw, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
}

TEST(RegistryStore, KeysRoundTrip) {
  TempDb db("keys");
  RegistryStore store = created(db);
  const std::vector<StoredKey> keys = {
      {0, "ksk", "active", 8, "-----BEGIN PRIVATE KEY-----\nA\n", {1, 1, 3, 8}, 5},
      {0, "zsk", "published", 13, "-----BEGIN PRIVATE KEY-----\nB\n", {1, 0, 3, 13}, 6}};
  ASSERT_TRUE(store.replace_keys(keys, AuditRecord{7, "cli", "keys.generate", "zone", "{}"}));
  auto loaded = store.load_keys();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2U);
  EXPECT_EQ((*loaded)[1].role, "zsk");
  EXPECT_EQ((*loaded)[1].state, "published");
  EXPECT_EQ((*loaded)[1].algorithm, 13);
  EXPECT_EQ((*loaded)[1].dnskey_rdata, (dns::Bytes{1, 0, 3, 13}));
  EXPECT_EQ(store.verify_audit()->entries, 2);
}

TEST(RegistryStore, NextSerialFollowsIanaNumbering) {
  EXPECT_EQ(next_serial(2026073102, 20260731), 2026073103U);
  EXPECT_EQ(next_serial(2026073102, 20261123), 2026112300U);
  EXPECT_EQ(next_serial(2026112399, 20261123), 2026112400U);  // more than 99 in a day: carry on
}

}  // namespace
}  // namespace rootsim::registry
