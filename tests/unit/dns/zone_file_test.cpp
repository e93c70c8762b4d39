#include "rootsim/dns/zone_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_paths.hpp"

namespace rootsim::dns {
namespace {

TEST(ZoneFile, ErrorNamesSourceAndLine) {
  auto zone = parse_zone_text("cz. 172800 IN NS a.ns.nic.cz.\ncz. 172800 IN A 1.2.3\n", Name(),
                              "bad.zone");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().code, Errc::kParse);
  EXPECT_EQ(zone.error().message.rfind("bad.zone:2: ", 0), 0U) << zone.error().message;
}

TEST(ZoneFile, MissingFileIsAnIoError) {
  auto zone = parse_zone_file("/nonexistent/root.zone", Name());
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().code, Errc::kIo);
}

TEST(ZoneFile, IncludeIsRefused) {
  auto zone = parse_zone_text("$INCLUDE /etc/passwd\n", Name(), "inc.zone");
  ASSERT_FALSE(zone);
  EXPECT_NE(zone.error().message.find("inc.zone:1"), std::string::npos) << zone.error().message;
}

// The real root zone reads completely and prints back line for line as IANA wrote it.
TEST(ZoneFile, RealRootZoneRoundTripsThroughText) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  auto zone = parse_zone_file(testing::real_root_zone(), Name());
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(zone->records.size(), 24877U);
  std::ifstream in(testing::real_root_zone());
  std::string line;
  std::size_t i = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(i, zone->records.size());
    // IANA aligns owners with tabs; compare with runs of tabs folded to one.
    std::string folded;
    for (char c : line) {
      if (c == '\t' && !folded.empty() && folded.back() == '\t') {
        continue;
      }
      folded += c;
    }
    ASSERT_EQ(to_text(zone->records[i]), folded) << "line " << i + 1;
    ++i;
  }
  EXPECT_EQ(i, zone->records.size());
}

TEST(ZoneFile, WriteFileAtomicallyReplacesWhole) {
  const auto path = std::filesystem::temp_directory_path() / "rootsim_atomic_test.txt";
  ASSERT_TRUE(write_file_atomically(path, "one\n"));
  ASSERT_TRUE(write_file_atomically(path, "two\n"));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "two\n");
  std::filesystem::remove(path);
  EXPECT_FALSE(write_file_atomically("/nonexistent/dir/x", "x"));
}

}  // namespace
}  // namespace rootsim::dns
