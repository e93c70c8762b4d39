// patch_snapshot(): a snapshot patched from the previous version answers byte for byte as one
// built afresh from the new version, over the real root zone and the changes a root sees (a DS
// changed, glue moved, a DS added to an unsigned delegation, an NS set replaced, a chain of
// them, glue names coming and going), and it falls back to a fresh build when names above the
// cuts come or go. Versions whose arrays come from a MappingPool (memory of released versions,
// full of their bytes) answer the same.
#include "rootsim/dns/zone_file.hpp"

#include "snapshot_test_util.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <map>
#include <set>

namespace rootsim::resolver {
namespace {

using dns::Record;
using dns::RRType;

SnapshotOptions options() {
  SnapshotOptions o;
  o.keep_transfer_data = false;  // as the scenario engine builds them; patching needs it
  return o;
}

dns::Name name(const char* text) { return *dns::Name::from_text(text); }

class SnapshotPatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::real_root_zone())) {
      return;
    }
    auto parsed = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    dns::sort_canonical(parsed->records);
    root_ = new dns::ZoneContent(std::move(*parsed));
  }
  static void TearDownTestSuite() {
    delete root_;
    root_ = nullptr;
  }
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    zone_ = *root_;
    auto built = build_snapshot(zone_, options());
    ASSERT_TRUE(built.has_value()) << built.error().message;
    base_ = *built;
  }

  // The SOA serial moved (as every new version of a zone does).
  void bump_serial(dns::ZoneContent& zone) {
    for (Record& r : zone.records) {
      if (r.type == RRType::kSoa) {
        r.rdata[r.rdata.size() - 20] ^= 1;  // the first byte of the serial
      }
    }
  }

  // Every owner and a name below it by NS, DS and A, with and without DO, plus junk around the
  // `focus` names under every EDNS size and type that matters: the answers must be the same.
  void expect_same_answers(const ZoneSnapshot& patched, const ZoneSnapshot& fresh,
                           const std::vector<dns::Name>& focus) {
    std::set<dns::Name> owners;
    for (const Record& r : zone_.records) {
      owners.insert(r.owner);
    }
    std::size_t compared = 0;
    std::vector<std::uint8_t> out_a(kMaxResponseSize);
    std::vector<std::uint8_t> out_b(kMaxResponseSize);
    auto same = [&](const std::string& qname, RRType type, const testing::QueryOptions& o) {
      const auto query = testing::make_query(qname, type, o);
      const AnswerResult a = answer(patched, query, out_a);
      const AnswerResult b = answer(fresh, query, out_b);
      ++compared;
      ASSERT_TRUE(a.size == b.size &&
                  std::equal(out_a.begin(), out_a.begin() + static_cast<std::ptrdiff_t>(a.size),
                             out_b.begin()))
          << qname << " " << dns::to_number(type) << " do=" << o.dnssec_ok << " edns=" << o.edns
          << " size=" << o.udp_size;
    };
    for (const dns::Name& owner : owners) {
      if (owner.label_count() > 1) {
        continue;  // glue below a cut: its referral is asked for through the TLD
      }
      const std::string text = owner.to_text();
      for (RRType type : {RRType::kNs, RRType::kDs, RRType::kA}) {
        for (bool dnssec : {false, true}) {
          same(text, type, {.dnssec_ok = dnssec});
        }
      }
    }
    for (const dns::Name& n : focus) {
      const std::string text = n.to_text();
      std::vector<std::string> around = {text, "zz0."};
      if (!n.is_root()) {
        const std::string bare = text.substr(0, text.size() - 1);
        around.insert(around.end(), {"www." + text, bare + "0.", bare + "zz.", "a" + text});
      }
      for (const std::string& q : around) {
        for (RRType type : {RRType::kNs, RRType::kDs, RRType::kA, RRType::kAaaa, RRType::kSoa,
                            RRType::kDnskey, RRType::kNsec, RRType::kZonemd}) {
          for (bool dnssec : {false, true}) {
            same(q, type, {.edns = false});
            for (const std::uint16_t size :
                 {std::uint16_t{512}, std::uint16_t{1232}, std::uint16_t{4096}}) {
              same(q, type, {.dnssec_ok = dnssec, .udp_size = size});
            }
          }
        }
      }
    }
    EXPECT_GT(compared, 4000U);
  }

  // Patches `base` to `next` and builds `next` afresh; checks both and returns the patched one.
  std::shared_ptr<const ZoneSnapshot> patch_and_compare(const ZoneSnapshot& base,
                                                        const dns::ZoneContent& next,
                                                        const std::vector<dns::Name>& changed,
                                                        bool expect_patched,
                                                        bool same_names = true) {
    auto patched = patch_snapshot(base, next, changed);
    EXPECT_TRUE(patched.has_value()) << patched.error().message;
    auto fresh = build_snapshot(next, options());
    EXPECT_TRUE(fresh.has_value()) << fresh.error().message;
    if (!patched || !fresh) {
      return nullptr;
    }
    const dns::ZoneContent kept = zone_;
    zone_ = next;
    expect_same_answers(**patched, **fresh, changed);
    zone_ = kept;
    EXPECT_EQ((*patched)->serial(), (*fresh)->serial());
    if (same_names) {
      EXPECT_EQ((*patched)->stats().names, (*fresh)->stats().names);
    }
    // A patch appends the pieces it renders again: its arena is larger than a fresh one's.
    EXPECT_EQ((*patched)->stats().bytes > (*fresh)->stats().bytes, expect_patched);
    return *patched;
  }

  Record* find(dns::ZoneContent& zone, const char* owner, RRType type) {
    const dns::Name n = name(owner);
    for (Record& r : zone.records) {
      if (r.owner == n && r.type == type) {
        return &r;
      }
    }
    ADD_FAILURE() << "no " << owner << " " << dns::to_number(type);
    return nullptr;
  }

  static inline dns::ZoneContent* root_ = nullptr;  // the real root zone, canonical order
  dns::ZoneContent zone_;
  std::shared_ptr<const ZoneSnapshot> base_;
};

TEST_F(SnapshotPatch, DsChangeAnswersAsAFreshBuild) {
  dns::ZoneContent next = zone_;
  bump_serial(next);
  Record* ds = find(next, "cz.", RRType::kDs);
  ASSERT_NE(ds, nullptr);
  ds->rdata.back() ^= 0xff;
  patch_and_compare(*base_, next, {dns::Name(), name("cz.")}, true);
}

TEST_F(SnapshotPatch, GlueAddressChangeReachesEveryReferralUsingTheHost) {
  dns::ZoneContent next = zone_;
  bump_serial(next);
  Record* a = find(next, "a.ns.nic.cz.", RRType::kA);
  ASSERT_NE(a, nullptr);
  a->rdata.back() ^= 0x01;
  patch_and_compare(*base_, next, {dns::Name(), name("a.ns.nic.cz.")}, true);
}

TEST_F(SnapshotPatch, DsAddedToAnUnsignedDelegationAndNsSetReplaced) {
  dns::ZoneContent next = zone_;
  bump_serial(next);
  // The first delegation without DS gets one; the first with two or more NS loses one.
  std::set<dns::Name> with_ds;
  std::map<dns::Name, int> ns_count;
  for (const Record& r : next.records) {
    with_ds.insert(r.type == RRType::kDs ? r.owner : dns::Name());
    ns_count[r.owner] += r.type == RRType::kNs && !r.owner.is_root() ? 1 : 0;
  }
  dns::Name unsigned_tld;
  for (const auto& [owner, count] : ns_count) {
    if (count > 0 && with_ds.count(owner) == 0) {
      unsigned_tld = owner;
      break;
    }
  }
  ASSERT_FALSE(unsigned_tld.is_root());
  const Record* some_ds = find(next, "cz.", RRType::kDs);
  ASSERT_NE(some_ds, nullptr);
  Record added = *some_ds;
  added.owner = unsigned_tld;
  next.records.push_back(added);
  dns::Name trimmed;
  for (const auto& [owner, count] : ns_count) {
    if (count >= 2 && owner != unsigned_tld) {
      trimmed = owner;
      break;
    }
  }
  const auto gone = std::find_if(next.records.begin(), next.records.end(), [&](const Record& r) {
    return r.owner == trimmed && r.type == RRType::kNs;
  });
  next.records.erase(gone);
  dns::sort_canonical(next.records);
  patch_and_compare(*base_, next, {dns::Name(), unsigned_tld, trimmed}, true);
}

TEST_F(SnapshotPatch, GlueNamesComingAndGoingArePatchedToo) {
  // cz. moves from a.ns.nic.cz. to two new hosts (one under a new empty non-terminal), and the
  // sibling glue gt. uses (gt.anycastdns.cz.) loses its addresses while gt. itself is unchanged.
  dns::ZoneContent next = zone_;
  bump_serial(next);
  const dns::Name old_host = name("a.ns.nic.cz.");
  const dns::Name sibling = name("gt.anycastdns.cz.");
  std::erase_if(next.records, [&](const Record& r) {
    return r.owner == old_host || r.owner == sibling ||
           (r.owner == name("cz.") && r.type == RRType::kNs &&
            r.rdata == dns::make_name_rdata(old_host));
  });
  for (const char* host : {"x.ns.nic.cz.", "ns1.new.nic.cz."}) {
    next.records.push_back(Record{name("cz."), RRType::kNs, dns::RRClass::kIn, 172800,
                                  dns::make_name_rdata(name(host))});
    next.records.push_back(
        Record{name(host), RRType::kA, dns::RRClass::kIn, 172800, {192, 0, 2, 77}});
  }
  dns::sort_canonical(next.records);
  patch_and_compare(
      *base_, next,
      {dns::Name(), name("cz."), old_host, sibling, name("x.ns.nic.cz."), name("ns1.new.nic.cz.")},
      true, false);
}

TEST_F(SnapshotPatch, AChainOfPatchesStaysAFreshBuild) {
  std::shared_ptr<const ZoneSnapshot> current = base_;
  for (const char* tld : {"cz.", "de.", "nl.", "cz."}) {
    dns::ZoneContent next = zone_;
    bump_serial(next);
    Record* ds = find(next, tld, RRType::kDs);
    ASSERT_NE(ds, nullptr);
    ds->rdata[ds->rdata.size() - 2] ^= 0x5a;
    current = patch_and_compare(*current, next, {dns::Name(), name(tld)}, true);
    ASSERT_NE(current, nullptr);
    zone_ = next;
  }
}

TEST_F(SnapshotPatch, VersionsOnMemoryOfReleasedOnesAnswerAsFreshBuilds) {
  auto pool = std::make_shared<MappingPool>();
  SnapshotOptions pooled = options();
  pooled.memory = pool;
  auto built = build_snapshot(zone_, pooled);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  std::shared_ptr<const ZoneSnapshot> current = *built;
  std::size_t reused = 0;
  for (const char* tld : {"cz.", "de.", "nl.", "cz.", "jp."}) {
    dns::ZoneContent next = zone_;
    bump_serial(next);
    Record* ds = find(next, tld, RRType::kDs);
    ASSERT_NE(ds, nullptr);
    ds->rdata[ds->rdata.size() - 2] ^= 0x5a;
    const std::size_t kept_before = pool->kept_bytes();
    // The version before goes as soon as the next exists: its arrays go back to the pool.
    current = patch_and_compare(*current, next, {dns::Name(), name(tld)}, true);
    ASSERT_NE(current, nullptr);
    reused += kept_before > 0 ? 1 : 0;
    zone_ = next;
  }
  EXPECT_GE(reused, 3U);  // later versions were made on the memory of earlier ones
  // A fresh build, and one that has to build afresh, on that memory too.
  ASSERT_GT(pool->kept_bytes(), 0U);
  auto again = build_snapshot(zone_, pooled);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  auto fresh = build_snapshot(zone_, options());
  ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
  expect_same_answers(**again, **fresh, {dns::Name(), name("cz.")});
  dns::ZoneContent without = zone_;
  bump_serial(without);
  std::erase_if(without.records, [](const Record& r) { return r.owner == name("de."); });
  patch_and_compare(**again, without, {dns::Name(), name("de.")}, false);
}

TEST_F(SnapshotPatch, OlderVersionsKeepTheirAnswersWhileNewerOnesShareTheirMemory) {
  // base -> v1 -> v2 append to one buffer; base and v1 must still answer as they did.
  const dns::ZoneContent zone0 = zone_;
  dns::ZoneContent zone1 = zone0;
  bump_serial(zone1);
  Record* ds = find(zone1, "cz.", RRType::kDs);
  ASSERT_NE(ds, nullptr);
  ds->rdata[ds->rdata.size() - 2] ^= 0x5a;
  auto v1 = patch_and_compare(*base_, zone1, {dns::Name(), name("cz.")}, true);
  ASSERT_NE(v1, nullptr);
  zone_ = zone1;
  dns::ZoneContent zone2 = zone1;
  bump_serial(zone2);
  ds = find(zone2, "cz.", RRType::kDs);
  ds->rdata[ds->rdata.size() - 3] ^= 0x33;
  auto v2 = patch_and_compare(*v1, zone2, {dns::Name(), name("cz.")}, true);
  ASSERT_NE(v2, nullptr);
  const std::vector<std::pair<std::shared_ptr<const ZoneSnapshot>, const dns::ZoneContent*>> older =
      {{base_, &zone0}, {v1, &zone1}};
  for (const auto& [version, content] : older) {
    auto fresh = build_snapshot(*content, options());
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
    zone_ = *content;
    expect_same_answers(*version, **fresh, {dns::Name(), name("cz.")});
  }
  // v1 is no longer the newest of its buffer: a patch of it is a fresh build, and right.
  zone_ = zone1;
  patch_and_compare(*v1, zone2, {dns::Name(), name("cz.")}, false);
}

TEST_F(SnapshotPatch, AnEmptyNonTerminalFollowsItsCoveringNsec) {
  // x.zzzent. makes zzzent. an empty non-terminal, covered by the NSEC of zw. (the name before
  // it). When zw.'s NSEC changes, the non-terminal's answers must carry the new one.
  zone_.records.push_back(Record{name("x.zzzent."), RRType::kNs, dns::RRClass::kIn, 172800,
                                 dns::make_name_rdata(name("a.ns.nic.cz."))});
  dns::sort_canonical(zone_.records);
  auto built = build_snapshot(zone_, options());
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ((*built)->lookup(name("zzzent.")).kind, LookupKind::kExact);
  dns::ZoneContent next = zone_;
  bump_serial(next);
  Record* nsec = find(next, "zw.", RRType::kNsec);
  ASSERT_NE(nsec, nullptr);
  nsec->ttl -= 1;
  auto patched = patch_and_compare(**built, next, {dns::Name(), name("zw.")}, true);
  ASSERT_NE(patched, nullptr);
  auto fresh = build_snapshot(next, options());
  ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
  zone_ = next;
  expect_same_answers(*patched, **fresh, {name("zzzent."), name("x.zzzent.")});
}

TEST_F(SnapshotPatch, NamesAboveTheCutsComingOrGoingBuildAfresh) {
  dns::ZoneContent next = zone_;
  bump_serial(next);
  next.records.push_back(Record{name("newtld."), RRType::kNs, dns::RRClass::kIn, 172800,
                                dns::make_name_rdata(name("a.ns.nic.cz."))});
  dns::sort_canonical(next.records);
  patch_and_compare(*base_, next, {dns::Name(), name("newtld.")}, false);
  dns::ZoneContent without = zone_;
  bump_serial(without);
  std::erase_if(without.records, [](const Record& r) { return r.owner == name("de."); });
  patch_and_compare(*base_, without, {dns::Name(), name("de.")}, false);
}

}  // namespace
}  // namespace rootsim::resolver
