#include "rootsim/registry/change_request.hpp"

#include "rootsim/dns/zone_file.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include "registry_fixtures.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace rootsim::registry {
namespace {

using dns::Name;

Name name(std::string_view text) { return Name::from_text(text).value(); }


constexpr std::string_view kSmallRoot = R"(
.  86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400
.  518400 IN NS a.root-servers.net.
a.root-servers.net. 518400 IN A 198.41.0.4
net. 172800 IN NS a.gtld-servers.net.
a.gtld-servers.net. 172800 IN A 192.5.6.30
cz. 172800 IN NS a.ns.nic.cz.
cz. 172800 IN NS b.ns.nic.cz.
cz. 86400 IN DS 20237 13 2 CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2
a.ns.nic.cz. 172800 IN A 194.0.12.1
b.ns.nic.cz. 172800 IN A 194.0.13.1
sk. 172800 IN NS a.ns.nic.cz.
sk. 172800 IN NS b.tld.sk.
b.tld.sk. 172800 IN A 192.0.2.7
)";

RegistryState small_state() {
  return testing::imported(dns::parse_zone_text(kSmallRoot, Name(), "<small>").value().records);
}

ChangeRequest parse_ok(std::string_view text) {
  auto request = parse_change_request(text);
  EXPECT_TRUE(request.has_value()) << (request ? "" : request.error().message);
  return request ? std::move(request).value() : ChangeRequest{};
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> example_files() {
  const auto dir = testing::project_data().parent_path() / "examples" / "requests";
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

constexpr std::chrono::sys_seconds kNow{std::chrono::seconds{1785542400}};  // 2026-08-01

TEST(ChangeRequest, ExamplesCoverEveryTypeAndRoundTrip) {
  std::set<RequestType> types;
  for (const auto& file : example_files()) {
    SCOPED_TRACE(file.string());
    const ChangeRequest request = parse_ok(slurp(file));
    types.insert(request.type());
    const std::string canonical = to_json(request);
    const ChangeRequest again = parse_ok(canonical);
    EXPECT_EQ(again, request);
    EXPECT_EQ(to_json(again), canonical);
  }
  EXPECT_EQ(types.size(), 7U);
}

TEST(ChangeRequest, CanonicalJsonSortsKeysAndNormalisesNames) {
  const ChangeRequest request =
      parse_ok(R"({"type": "ds-update", "tld": "CZ.", "requester": "manager:cz",
      "ds": ["20237 13 2 cff0f3ecdbc529c1f0031ba1840bfb83 5853b9209ed1e508fff48451d7b778e2"]})");
  EXPECT_EQ(
      to_json(request),
      R"({"ds":[{"algorithm":13,"digest":"CFF0F3ECDBC529C1F0031BA1840BFB)"
      R"(835853B9209ED1E508FFF48451D7B778E2","digest_type":2,"key_tag":20237}],)"
      R"("requester":"manager:cz","tld":"cz","type":"ds-update"})");
}

TEST(ChangeRequest, GlueIsKeptPerHostInCanonicalOrder) {
  const ChangeRequest request = parse_ok(R"({"type": "ns-update", "tld": "cz", "requester": "iana",
      "ns": ["B.ns.nic.cz", "a.ns.nic.cz."],
      "glue": {"b.ns.nic.cz": ["2001:db8::1", "192.0.2.2"], "A.NS.NIC.CZ.": ["192.0.2.1"]}})");
  const auto& change = std::get<NsUpdate>(request.change);
  ASSERT_EQ(change.ns.size(), 2U);
  EXPECT_EQ(change.ns[0].to_text(), "b.ns.nic.cz.");  // order kept, case folded
  ASSERT_EQ(change.glue.size(), 2U);
  EXPECT_EQ(change.glue[0].host.to_text(), "a.ns.nic.cz.");
  ASSERT_EQ(change.glue[1].addresses.size(), 2U);
  EXPECT_EQ(change.glue[1].addresses[0].type, dns::RRType::kAaaa);
}

TEST(ChangeRequest, AcceptsULabelsAsIdnaTwoThousandEight) {
  const ChangeRequest request = parse_ok(R"({"type": "revoke", "tld": "РФ", "requester": "iana"})");
  EXPECT_EQ(request.tld.to_text(), "xn--p1ai.");
  EXPECT_EQ(parse_ok(R"({"type": "revoke", "tld": "xn--P1AI", "requester": "iana"})").tld, request.tld);
}

struct BadCase {
  std::string json;
  std::string message_prefix;
};

class ChangeRequestErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ChangeRequestErrors, NameTheJsonPointer) {
  auto request = parse_change_request(GetParam().json);
  ASSERT_FALSE(request.has_value()) << to_json(*request);
  EXPECT_EQ(request.error().code, Errc::kParse);
  EXPECT_EQ(request.error().message.rfind(GetParam().message_prefix, 0), 0U)
      << request.error().message;
}

constexpr std::string_view kHead = R"("tld": "cz", "requester": "manager:cz")";
std::string doc(std::string_view type, std::string_view rest) {
  return "{\"type\": \"" + std::string(type) + "\", " + std::string(kHead) +
         (rest.empty() ? "" : ", ") + std::string(rest) + "}";
}
const std::string kDigest = "CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2";
const std::string kContact = R"({"name": "A", "email": "a@b.c"})";

INSTANTIATE_TEST_SUITE_P(
    Documents, ChangeRequestErrors,
    ::testing::Values(
        BadCase{"{\"type\": ", "/: not JSON"}, BadCase{"[1, 2]", "/: expected a change request"},
        BadCase{R"({"tld": "cz", "requester": "x"})", "/type: missing"},
        BadCase{doc("move", ""), "/type: unknown request type 'move'"},
        BadCase{doc("revoke", R"("extra": 1)"), "/extra: unknown member"},
        BadCase{doc("revoke", R"("a/b~c": 1)"), "/a~1b~0c: unknown member"},
        BadCase{doc("ns-update", R"("ns": ["a.ns.nic.cz", "b..cz"])"), "/ns/1: 'b..cz' is not"},
        BadCase{doc("ns-update", R"("ns": ["a.ns.nic.cz", "192.0.2.1"])"), "/ns/1: "},
        BadCase{doc("ns-update", R"("ns": ["a.ns.nic.cz", "A.ns.nic.cz."])"),
                "/ns/1: duplicate name server"},
        BadCase{doc("ns-update", R"("ns": [])"), "/ns: a delegation needs at least one"},
        BadCase{doc("ns-update", R"("ns": "a.ns.nic.cz")"), "/ns: expected an array"},
        BadCase{doc("ns-update", R"("ns": ["a.ns.nic.cz"], "glue": {"a.ns.nic.cz": ["1.2.3"]})"),
                "/glue/a.ns.nic.cz/0: '1.2.3' is not an IPv4"},
        BadCase{doc("ns-update", R"("ns": ["a.ns.nic.cz"], "glue": {"x.nic.cz": ["1.2.3.4"]})"),
                "/glue/x.nic.cz: x.nic.cz. is not one of the request's name servers"},
        BadCase{doc("ns-update", R"("ns": ["a.ns.nic.cz"], "glue": {"a.ns.nic.cz": []})"),
                "/glue/a.ns.nic.cz: glue needs at least one address"},
        BadCase{doc("ds-update", R"("ds": [{"key_tag": 70000, "algorithm": 13,
                "digest_type": 2, "digest": ")" +
                                     kDigest + "\"}]"),
                "/ds/0/key_tag: expected an integer 0..65535"},
        BadCase{doc("ds-update", R"("ds": [{"key_tag": 1.5, "algorithm": 13, "digest_type": 2,
                "digest": ")" + kDigest +
                                     "\"}]"),
                "/ds/0/key_tag: expected an integer"},
        BadCase{doc("ds-update", R"("ds": [{"key_tag": 1, "algorithm": 13, "digest_type": 2,
                "digest": "XYZ0"}])"),
                "/ds/0/digest: digest is not hex"},
        BadCase{doc("ds-update", R"("ds": ["1 13 2 ABCD"])"), "/ds/0: digest type 2 needs 32"},
        BadCase{doc("ds-update", R"("ds": ["1 13 3 ABCD"])"), "/ds/0: unsupported digest type 3"},
        BadCase{doc("ds-update", R"("ds": [{"key_tag": 1, "algorithm": 13, "digest_type": 2,
                "digest": ")" + kDigest +
                                     R"(", "flags": 1}])"),
                "/ds/0/flags: unknown member"},
        BadCase{doc("ds-update", R"("ds": [7])"), "/ds/0: expected a DS object"},
        BadCase{doc("glue-update", R"("host": "a.ns.nic.cz")"), "/addresses: missing"},
        BadCase{doc("retire", R"("removal_date": "2026-02-30")"),
                "/removal_date: '2026-02-30' is not a calendar date"},
        BadCase{doc("retire", R"("removal_date": "1 Aug 2031")"), "/removal_date: expected a date"},
        BadCase{doc("transfer", R"("manager": "M", "admin": {"name": "A", "email": "nope"},
                "tech": )" + kContact),
                "/admin/email: 'nope' is not an email address"},
        BadCase{doc("transfer", R"("manager": "M", "admin": {"name": "A", "email": "a@b.c",
                "phone": "1"}, "tech": )" +
                                    kContact),
                "/admin/phone: unknown member"},
        BadCase{
            doc("transfer", R"("manager": "", "admin": )" + kContact + ", \"tech\": " + kContact),
            "/manager: must not be empty"},
        BadCase{doc("delegate", R"("kind": "brand", "manager": "M", "admin": )" + kContact +
                                    ", \"tech\": " + kContact + R"(, "ns": ["a.nic.cz"])"),
                "/kind: unknown kind 'brand'"},
        BadCase{doc("delegate", R"("kind": "generic", "iso_code": "CZE", "manager": "M")"),
                "/iso_code: 'CZE' is not an ISO 3166-1"},
        BadCase{R"({"type": "revoke", "tld": "a.b", "requester": "iana"})",
                "/tld: 'a.b' is not a single label"},
        BadCase{R"({"type": "revoke", "tld": "123", "requester": "iana"})", "/tld: '123' is not a"},
        BadCase{R"({"type": "revoke", "tld": "ab--cd", "requester": "iana"})",
                "/tld: 'ab--cd' has hyphens in positions 3-4"},
        BadCase{R"({"type": "revoke", "tld": "xn--zz-", "requester": "iana"})", "/tld: 'xn--zz-'"},
        BadCase{R"({"type": "revoke", "tld": "☃", "requester": "iana"})",
                "/tld: '☃' is not a valid IDN label"},
        BadCase{R"({"type": "revoke", "tld": "cz", "requester": "gov CZ"})", "/requester: an actor id"},
        BadCase{R"({"type": "revoke", "tld": "cz", "requester": "iana", "reason": 5})",
                "/reason: expected a string"}));

TEST(ChangeRequest, EmbeddedDocumentsPrefixTheirPointer) {
  const auto outer = nlohmann::json::parse(R"({"events": [{"request": {"type": "ns-update",
      "tld": "cz", "requester": "iana"}}]})");
  auto request = change_request_from_json(outer["events"][0]["request"], "/events/0/request");
  ASSERT_FALSE(request.has_value());
  EXPECT_EQ(request.error().message, "/events/0/request/ns: missing");
}

TEST(ChangeRequest, ToJsonValueEqualsTheText) {
  const ChangeRequest request =
      parse_ok(doc("glue-update", R"("host": "a.ns.nic.cz", "addresses": [])"));
  EXPECT_EQ(to_json_value(request).dump(), to_json(request));
  EXPECT_TRUE(std::get<GlueUpdate>(request.change).glue.addresses.empty());
}

// --- plan_change and apply_mutation ---

Result<Mutation> plan(std::string_view text, const RegistryState& state) {
  return plan_change(parse_ok(text), state);
}

void expect_error(const Result<Mutation>& result, Errc code, std::string_view fragment) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code) << result.error().message;
  EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
}

TEST(PlanChange, DsUpdateReplacesTheSetAndBumpsUpdatedAt) {
  const RegistryState state = small_state();
  auto mutation = plan(doc("ds-update", R"("ds": [])"), state);
  ASSERT_TRUE(mutation.has_value()) << mutation.error().message;
  ASSERT_EQ(mutation->upserts.size(), 1U);
  EXPECT_TRUE(mutation->upserts[0].delegation.ds.empty());
  EXPECT_TRUE(mutation->host_upserts.empty());
  const RegistryState next = apply_mutation(state, *mutation, kNow);
  EXPECT_TRUE(next.find_tld(name("cz"))->delegation.ds.empty());
  EXPECT_EQ(next.find_tld(name("cz"))->updated_at, 1785542400);
  EXPECT_EQ(next.hosts, state.hosts);
  EXPECT_EQ(state.find_tld(name("cz"))->delegation.ds.size(), 1U);  // the input is untouched
}

TEST(PlanChange, RefusesRequestsThatChangeNothing) {
  const RegistryState state = small_state();
  expect_error(plan(doc("ds-update", "\"ds\": [\"20237 13 2 " + kDigest + "\"]"), state),
               Errc::kSemantic, "changes nothing");
  // The same NS set in another order is no change either.
  expect_error(plan(doc("ns-update", R"("ns": ["b.ns.nic.cz", "a.ns.nic.cz"])"), state),
               Errc::kSemantic, "changes nothing");
  expect_error(
      plan(doc("glue-update", R"("host": "b.ns.nic.cz", "addresses": ["194.0.13.1"])"), state),
      Errc::kSemantic, "changes nothing");
}

TEST(PlanChange, UnknownTldIsNotFound) {
  const RegistryState state = small_state();
  expect_error(plan(R"({"type": "ds-update", "tld": "de", "requester": "x", "ds": []})", state),
               Errc::kNotFound, "de.: no such TLD");
  expect_error(plan(R"({"type": "revoke", "tld": "de", "requester": "x"})", state), Errc::kNotFound,
               "de.");
}

TEST(PlanChange, InDomainNameServersNeedGlue) {
  const RegistryState state = small_state();
  expect_error(plan(doc("ns-update", R"("ns": ["a.ns.nic.cz", "c.ns.nic.cz"])"), state),
               Errc::kSemantic, "c.ns.nic.cz. lies inside the TLD and needs glue");
  auto with_glue = plan(doc("ns-update", R"("ns": ["a.ns.nic.cz", "c.ns.nic.cz"],
                                           "glue": {"c.ns.nic.cz": ["192.0.2.3"]})"),
                        state);
  ASSERT_TRUE(with_glue.has_value()) << with_glue.error().message;
  const RegistryState next = apply_mutation(state, *with_glue, kNow);
  EXPECT_NE(next.find_host(name("c.ns.nic.cz")), nullptr);
  EXPECT_EQ(next.find_host(name("b.ns.nic.cz")), nullptr);  // unused glue is dropped
  EXPECT_NE(next.find_host(name("a.ns.nic.cz")), nullptr);  // still used by cz and sk
}

TEST(PlanChange, NameServersMustLieUnderADelegatedTld) {
  const RegistryState state = small_state();
  expect_error(plan(doc("ns-update", R"("ns": ["a.ns.nic.cz", "ns.example.invalid"])"), state),
               Errc::kSemantic, "lies under invalid., which is not delegated");
  // Out-of-domain (sibling) name servers need no glue.
  EXPECT_TRUE(plan(doc("ns-update", R"("ns": ["a.ns.nic.cz", "ns1.example.net"])"), state));
}

TEST(PlanChange, SharedGlueChangesForEveryTldAndSaysSo) {
  const RegistryState state = small_state();
  auto mutation =
      plan(doc("glue-update", R"("host": "a.ns.nic.cz", "addresses": ["194.0.12.53"])"), state);
  ASSERT_TRUE(mutation.has_value()) << mutation.error().message;
  ASSERT_EQ(mutation->also_affected.size(), 1U);
  EXPECT_EQ(mutation->also_affected[0], name("sk"));
  const RegistryState next = apply_mutation(state, *mutation, kNow);
  const Host* host = next.find_host(name("a.ns.nic.cz"));
  ASSERT_NE(host, nullptr);
  ASSERT_EQ(host->addresses.size(), 1U);
  EXPECT_EQ(dns::address_to_text(host->addresses[0].address.rdata), "194.0.12.53");
  EXPECT_EQ(host->addresses[0].ttl, 172800U);
}

TEST(PlanChange, GlueUpdateRules) {
  const RegistryState state = small_state();
  expect_error(plan(doc("glue-update", R"("host": "b.tld.sk", "addresses": ["192.0.2.9"])"), state),
               Errc::kSemantic, "not one of its name servers");
  // a.ns.nic.cz serves cz, inside which it lies: its glue cannot go.
  expect_error(plan(doc("glue-update", R"("host": "a.ns.nic.cz", "addresses": [])"), state),
               Errc::kSemantic, "needs glue");
}

TEST(PlanChange, DelegateChecksExistenceKindAndGlue) {
  const RegistryState state = small_state();
  const std::string management =
      R"("manager": "M", "admin": )" + kContact + ", \"tech\": " + kContact;
  expect_error(plan(doc("delegate", R"("kind": "country-code", "iso_code": "CZ", )" + management +
                                        R"(, "ns": ["a.ns.nic.cz"])"),
                    state),
               Errc::kConflict, "already delegated");
  auto delegate = [&](std::string_view tld, std::string_view kind_and_iso) {
    return plan("{\"type\": \"delegate\", \"tld\": \"" + std::string(tld) +
                    "\", \"requester\": \"iana\", " + std::string(kind_and_iso) + ", " + management +
                    R"(, "ns": ["a.nic.)" + std::string(tld) + R"(", "ns1.example.net"],
                    "glue": {"a.nic.)" +
                    std::string(tld) + R"(": ["192.0.2.1"]}})",
                state);
  };
  expect_error(delegate("de", R"("kind": "country-code")"), Errc::kSemantic, "needs an iso_code");
  expect_error(delegate("de", R"("kind": "generic")"), Errc::kSemantic, "two-letter TLDs");
  expect_error(delegate("shop", R"("kind": "generic", "iso_code": "DE")"), Errc::kSemantic,
               "only country-code TLDs");
  auto ok = delegate("xn--p1ai", R"("kind": "idn-country-code", "iso_code": "ru")");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  const RegistryState next = apply_mutation(state, *ok, kNow);
  const Tld* tld = next.find_tld(name("xn--p1ai"));
  ASSERT_NE(tld, nullptr);
  EXPECT_EQ(tld->u_label, "рф");
  EXPECT_EQ(tld->iso_code, "RU");
  EXPECT_EQ(tld->created_at, 1785542400);
  EXPECT_EQ(tld->status, TldStatus::kActive);
  EXPECT_NE(next.find_host(name("a.nic.xn--p1ai")), nullptr);
}

TEST(PlanChange, RevokeRefusesWhenOthersDependOnItsHosts) {
  const RegistryState state = small_state();
  // sk uses a.ns.nic.cz; the root's own servers lie under net.
  expect_error(plan(doc("revoke", ""), state), Errc::kConflict, "sk.");
  expect_error(plan(R"({"type": "revoke", "tld": "net", "requester": "iana"})", state), Errc::kConflict,
               "the root");
  auto revoke_sk = plan(R"({"type": "revoke", "tld": "sk", "requester": "iana"})", state);
  ASSERT_TRUE(revoke_sk.has_value()) << revoke_sk.error().message;
  const RegistryState next = apply_mutation(state, *revoke_sk, kNow);
  EXPECT_EQ(next.find_tld(name("sk")), nullptr);
  EXPECT_EQ(next.find_host(name("b.tld.sk")), nullptr);
  EXPECT_NE(next.find_host(name("a.ns.nic.cz")), nullptr);
  EXPECT_NE(next.find_host(name("a.root-servers.net")), nullptr);  // apex NS keep their glue
}

TEST(PlanChange, RetireOnceThenConflict) {
  const RegistryState state = small_state();
  const std::string retire = doc("retire", R"("removal_date": "2031-08-01")");
  auto first = plan(retire, state);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  const RegistryState next = apply_mutation(state, *first, kNow);
  EXPECT_EQ(next.find_tld(name("cz"))->status, TldStatus::kRetiring);
  EXPECT_EQ(next.find_tld(name("cz"))->removal_date, "2031-08-01");
  expect_error(plan(retire, next), Errc::kConflict, "already retiring");
  // A retiring TLD still takes technical changes.
  EXPECT_TRUE(plan(doc("ds-update", R"("ds": [])"), next));
}

TEST(PlanChange, TransferGlueMustNameItsNameServers) {
  const RegistryState state = small_state();
  const std::string management =
      R"("manager": "New", "admin": )" + kContact + ", \"tech\": " + kContact;
  expect_error(
      plan(doc("transfer", management + R"(, "glue": {"b.tld.sk": ["192.0.2.1"]})"), state),
      Errc::kSemantic, "not one of its name servers");
  auto ok = plan(doc("transfer", management + R"(, "ds": [])"), state);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->upserts.at(0).manager, "New");
  EXPECT_TRUE(ok->upserts.at(0).delegation.ds.empty());
}

TEST(PlanChange, ExamplesApplyToTheRealRootZone) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  const RegistryState state =
      testing::imported(dns::parse_zone_file(testing::real_root_zone(), Name()).value().records);
  ASSERT_GT(state.tlds.size(), 1000U);
  for (const auto& file : example_files()) {
    SCOPED_TRACE(file.string());
    const ChangeRequest request = parse_ok(slurp(file));
    auto mutation = plan_change(request, state);
    ASSERT_TRUE(mutation.has_value()) << mutation.error().message;
    const RegistryState next = apply_mutation(state, *mutation, kNow);
    const Tld* tld = next.find_tld(request.tld);
    switch (request.type()) {
      case RequestType::kRevoke:
        EXPECT_EQ(tld, nullptr);
        EXPECT_EQ(next.tlds.size(), state.tlds.size() - 1);
        EXPECT_EQ(next.find_host(name("a.nic.xerox")), nullptr);
        break;
      case RequestType::kDelegate:
        ASSERT_NE(tld, nullptr);
        EXPECT_EQ(tld->created_at, 1785542400);
        EXPECT_EQ(next.tlds.size(), state.tlds.size() + 1);
        break;
      case RequestType::kRetire:
        ASSERT_NE(tld, nullptr);
        EXPECT_EQ(tld->status, TldStatus::kRetiring);
        break;
      default:
        ASSERT_NE(tld, nullptr);
        EXPECT_FALSE(*tld == *state.find_tld(request.tld) && next.hosts == state.hosts);
    }
  }
}

}  // namespace
}  // namespace rootsim::registry
