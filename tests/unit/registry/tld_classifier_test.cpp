#include "rootsim/registry/tld_classifier.hpp"

#include "rootsim/dns/zone_file.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace rootsim::registry {
namespace {

dns::Name name(const std::string& text) { return *dns::Name::from_text(text); }

const TldClassifier& classifier() {
  static const TldClassifier c = [] {
    auto loaded = TldClassifier::load();
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return *std::move(loaded);
  }();
  return c;
}

std::filesystem::path write_temp(const std::string& file, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / file;
  std::ofstream(path) << text;
  return path;
}

TEST(TldClassifier, KindsOfWellKnownTlds) {
  const auto& c = classifier();
  auto cz = c.classify(name("cz."));
  EXPECT_EQ(cz.kind, TldKind::kCountryCode);
  EXPECT_EQ(cz.iso_code, "CZ");
  EXPECT_EQ(cz.country_name, "Czechia");
  EXPECT_EQ(c.classify(name("com.")).kind, TldKind::kGeneric);
  EXPECT_EQ(c.classify(name("museum.")).kind, TldKind::kSponsored);
  EXPECT_EQ(c.classify(name("int.")).kind, TldKind::kSponsored);
  EXPECT_EQ(c.classify(name("arpa.")).kind, TldKind::kInfrastructure);
  EXPECT_EQ(c.classify(name("ARPA.")).kind, TldKind::kInfrastructure);
  auto uk = c.classify(name("uk."));
  EXPECT_EQ(uk.kind, TldKind::kCountryCode);
  EXPECT_EQ(uk.country_name, "United Kingdom");
  EXPECT_EQ(c.classify(name("su.")).kind, TldKind::kCountryCode);
  // Two letters that ISO 3166-1 does not assign and the root does not hold.
  EXPECT_EQ(c.classify(name("zz.")).kind, TldKind::kGeneric);
  EXPECT_FALSE(c.classify(name("zz.")).iso_code);
  // An IDN gTLD: U-label, but no country.
  auto moscow = c.classify(name("xn--80adxhks."));
  EXPECT_EQ(moscow.kind, TldKind::kGeneric);
  EXPECT_EQ(moscow.u_label, "москва");
  EXPECT_FALSE(moscow.iso_code);
  // The TLD of a longer name.
  EXPECT_EQ(c.classify(name("www.nic.cz.")).iso_code, "CZ");
}

TEST(TldClassifier, PslTldsAreSortedALabels) {
  const auto& tlds = classifier().psl_tlds();
  ASSERT_GT(tlds.size(), 1400U);
  EXPECT_TRUE(std::is_sorted(tlds.begin(), tlds.end()));
  const std::set<dns::Name> set(tlds.begin(), tlds.end());
  EXPECT_EQ(set.size(), tlds.size());
  EXPECT_TRUE(set.count(name("xn--p1ai.")));  // listed as "рф"
  EXPECT_TRUE(set.count(name("com.")));
  EXPECT_TRUE(set.count(name("ck.")));  // only "*.ck" and "!www.ck" in the PSL
  EXPECT_TRUE(set.count(name("za.")));  // only second-level rules ("co.za")
  for (const auto& tld : tlds) {
    ASSERT_EQ(tld.label_count(), 1U) << tld.to_text();
  }
}

// Every IDN ccTLD delegated in the root (reference list built from the zone and the PSL) is
// classified from the PSL comments with its country and the U-label libidn2 gives.
TEST(TldClassifier, EveryIdnCcTldOfTheRootIsClassified) {
  const auto csv = testing::shared_data() / "idn" / "idn_cctlds.csv";
  if (!std::filesystem::exists(csv)) {
    GTEST_SKIP() << "no " << csv;
  }
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line, "a_label,u_label,iso3166,script,language");
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string a_label;
    std::string u_label;
    std::string iso;
    std::getline(fields, a_label, ',');
    std::getline(fields, u_label, ',');
    std::getline(fields, iso, ',');
    const auto got = classifier().classify(name(a_label + "."));
    EXPECT_EQ(got.kind, TldKind::kIdnCountryCode) << a_label;
    EXPECT_EQ(got.iso_code, iso) << a_label;
    EXPECT_EQ(got.u_label, u_label) << a_label;
    EXPECT_FALSE(got.country_name.empty()) << a_label;
    ++rows;
  }
  EXPECT_EQ(rows, 61U);
}

TEST(TldClassifier, EveryTwoLetterTldOfTheRootIsACountryCode) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone) << zone.error().message;
  std::set<dns::Name> two_letter;
  for (const auto& r : zone->records) {
    if (r.type == dns::RRType::kNs && r.owner.label_count() == 1 &&
        r.owner.first_label().size() == 2) {
      two_letter.insert(r.owner);
    }
  }
  EXPECT_EQ(two_letter.size(), 248U);
  for (const auto& tld : two_letter) {
    const auto got = classifier().classify(tld);
    EXPECT_EQ(got.kind, TldKind::kCountryCode) << tld.to_text();
    EXPECT_TRUE(got.iso_code) << tld.to_text();
    EXPECT_FALSE(got.country_name.empty()) << tld.to_text();
  }
}

TEST(TldClassifier, MissingFileIsAnIoErrorNamingIt) {
  auto got = TldClassifier::load({.iso_3166 = "/nonexistent/iso.json"});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kIo);
  EXPECT_NE(got.error().message.find("/nonexistent/iso.json"), std::string::npos);
  got = TldClassifier::load({.public_suffix_list = "/nonexistent/psl.dat"});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kIo);
}

TEST(TldClassifier, MalformedJsonNamesFileAndPointer) {
  const auto bad_code = write_temp(
      "rootsim_iso_bad_code.json",
      R"({"3166-1": [{"alpha_2": "CZ", "name": "Czechia"}, {"alpha_2": "c1", "name": "X"}]})");
  auto got = TldClassifier::load({.iso_3166 = bad_code});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kParse);
  EXPECT_NE(got.error().message.find("rootsim_iso_bad_code.json: /3166-1/1/alpha_2"),
            std::string::npos)
      << got.error().message;

  const auto no_name = write_temp("rootsim_iso_no_name.json", R"({"3166-1": [{"alpha_2": "CZ"}]})");
  got = TldClassifier::load({.iso_3166 = no_name});
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("/3166-1/0/name"), std::string::npos) << got.error().message;

  const auto syntax = write_temp("rootsim_iso_syntax.json", R"({"3166-1": [)");
  got = TldClassifier::load({.iso_3166 = syntax});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kParse);
  EXPECT_NE(got.error().message.find("rootsim_iso_syntax.json: byte"), std::string::npos)
      << got.error().message;
}

TEST(TldClassifier, PslErrorsNameFileAndLine) {
  const auto no_section = write_temp("rootsim_psl_none.dat", "com\nnet\n");
  auto got = TldClassifier::load({.public_suffix_list = no_section});
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("ICANN DOMAINS"), std::string::npos);

  // Bytes that are not UTF-8 are refused by libidn2; the error names the PSL line.
  const auto bad_label =
      write_temp("rootsim_psl_bad.dat",
                 "// ===BEGIN ICANN DOMAINS===\ncom\n--\xff\xfe\n// ===END ICANN DOMAINS===\n");
  got = TldClassifier::load({.public_suffix_list = bad_label});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::kParse);
  EXPECT_NE(got.error().message.find("rootsim_psl_bad.dat:3: "), std::string::npos)
      << got.error().message;
}

TEST(TldClassifier, SmallPslGivesItsOwnMapping) {
  const auto psl = write_temp("rootsim_psl_small.dat",
                              "// ===BEGIN ICANN DOMAINS===\n"
                              "// xn--p1ai (\"rf\", Russian-Cyrillic) : RU\n"
                              "\xd1\x80\xd1\x84\n"
                              "*.ck\n"
                              "// ===END ICANN DOMAINS===\n"
                              "private.example\n");
  auto got = TldClassifier::load({.public_suffix_list = psl});
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->psl_tlds(), (std::vector<dns::Name>{name("ck."), name("xn--p1ai.")}));
  EXPECT_EQ(got->idn_countries().at("xn--p1ai"), "RU");
  EXPECT_EQ(got->classify(name("xn--p1ai.")).u_label, "\xd1\x80\xd1\x84");
}

}  // namespace
}  // namespace rootsim::registry
