#include "rootsim/dns/message.hpp"

#include <gtest/gtest.h>
#include <ldns/ldns.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

namespace rootsim::dns {
namespace {

Name name(const char* text) { return *Name::from_text(text); }

Record rr(const char* owner, RRType type, Bytes rdata, std::uint32_t ttl = 172800) {
  return Record{name(owner), type, RRClass::kIn, ttl, std::move(rdata)};
}

Bytes a_rdata(std::uint8_t last) { return Bytes{192, 0, 2, last}; }

std::span<const std::uint8_t> build_referral(MessageBuilder& b) {
  b.reset(Header{.id = 0x1234, .qr = true}, 512);
  EXPECT_EQ(b.add_question({name("www.example.cz."), RRType::kA, RRClass::kIn}),
            AppendStatus::kAppended);
  for (const char* ns : {"a.ns.nic.cz.", "b.ns.nic.cz."}) {
    EXPECT_EQ(b.add(Section::kAuthority, rr("cz.", RRType::kNs, make_name_rdata(name(ns)))),
              AppendStatus::kAppended);
  }
  EXPECT_EQ(b.add(Section::kAdditional, rr("a.ns.nic.cz.", RRType::kA, a_rdata(1))),
            AppendStatus::kAppended);
  return b.finish();
}

TEST(MessageBuilder, QueryHasExactRfc1035Bytes) {
  MessageBuilder b;
  b.reset(Header{.id = 0xbeef, .rd = true}, 512);
  ASSERT_EQ(b.add_question({name("cz."), RRType::kSoa, RRClass::kIn}), AppendStatus::kAppended);
  const auto wire = b.finish();
  const Bytes expected = {0xbe, 0xef, 0x01, 0x00, 0,   1, 0, 0, 0, 0,
                          0,    0,    2,    'c',  'z', 0, 0, 6, 0, 1};
  EXPECT_EQ(Bytes(wire.begin(), wire.end()), expected);
}

TEST(MessageBuilder, CompressesOwnersAndNsRdataAgainstTheQuestion) {
  MessageBuilder b;
  const auto wire = build_referral(b);
  // Question "www.example.cz." starts at 12; "cz." at 12 + 4 + 8 = 24.
  // First NS at 32: owner = pointer to 24, type..rdlength (10), rdata "a.ns.nic" + ptr to 24.
  EXPECT_EQ(wire[32], 0xc0);
  EXPECT_EQ(wire[33], 24);
  EXPECT_EQ(wire[53], 0xc0);
  EXPECT_EQ(wire[54], 24);
  // Sizes: header 12, question 16+4, NS1 2+10+(2+3+4+2)=23, NS2 2+10+(2+2)=16 (b + ptr to
  // "ns.nic.cz."), A 2+10+4=16 (owner points at NS1's rdata).
  EXPECT_EQ(wire.size(), 12U + 20U + 23U + 16U + 16U);
  auto msg = parse_message(wire);
  ASSERT_TRUE(msg) << msg.error().message;
  ASSERT_EQ(msg->authority.size(), 2U);
  EXPECT_EQ(*read_name_rdata(msg->authority[1].rdata), name("b.ns.nic.cz."));
  EXPECT_EQ(msg->additional.at(0).owner, name("a.ns.nic.cz."));
}

TEST(MessageBuilder, LeavesRrsigAndNsecRdataUncompressed) {
  MessageBuilder b(4096);
  b.reset(Header{.qr = true}, 4096);
  ASSERT_EQ(b.add_question({name("cz."), RRType::kNsec, RRClass::kIn}), AppendStatus::kAppended);
  Bytes nsec = make_name_rdata(name("dad."));
  nsec.insert(nsec.end(), {0, 6, 0x20, 0, 0, 0, 0, 3});  // NS DS RRSIG NSEC
  Bytes rrsig = {0, 47, 8, 1, 0, 1, 0x51, 0x80, 0x6a, 0, 0, 0, 0x69, 0, 0, 0, 0xe1, 0xb4};
  const Bytes signer = make_name_rdata(name("cz."));  // would compress to the question's "cz."
  rrsig.insert(rrsig.end(), signer.begin(), signer.end());
  rrsig.insert(rrsig.end(), {1, 2, 3, 4});
  ASSERT_EQ(b.add(Section::kAnswer, rr("cz.", RRType::kNsec, nsec)), AppendStatus::kAppended);
  ASSERT_EQ(b.add(Section::kAnswer, rr("cz.", RRType::kRrsig, rrsig)), AppendStatus::kAppended);
  const auto wire = b.finish();
  // Owner compressed (2) + 10 + rdata verbatim, both records.
  EXPECT_EQ(wire.size(), 12U + 8U + (12U + nsec.size()) + (12U + rrsig.size()));
  auto msg = parse_message(wire);
  ASSERT_TRUE(msg) << msg.error().message;
  EXPECT_EQ(msg->answer.at(0).rdata, nsec);
  EXPECT_EQ(msg->answer.at(1).rdata, rrsig);
}

TEST(MessageBuilder, NoSpaceLeavesTheMessageUnchanged) {
  MessageBuilder b;
  b.reset(Header{.qr = true}, 60);
  ASSERT_EQ(b.add_question({name("example.cz."), RRType::kA, RRClass::kIn}),
            AppendStatus::kAppended);  // 12 + 16
  ASSERT_EQ(b.add(Section::kAdditional, rr("example.cz.", RRType::kA, a_rdata(1))),
            AppendStatus::kAppended);  // +16 = 44
  ASSERT_EQ(b.add(Section::kAdditional, rr("example.cz.", RRType::kA, a_rdata(2))),
            AppendStatus::kAppended);  // +16 = 60, exactly the limit
  EXPECT_EQ(b.size(), 60U);
  EXPECT_EQ(b.add(Section::kAdditional, rr("x.example.cz.", RRType::kA, a_rdata(3))),
            AppendStatus::kNoSpace);
  EXPECT_EQ(b.size(), 60U);
  EXPECT_EQ(b.count(Section::kAdditional), 2U);
  auto msg = parse_message(b.finish());
  ASSERT_TRUE(msg) << msg.error().message;
  EXPECT_EQ(msg->additional.size(), 2U);
}

TEST(MessageBuilder, RollbackForgetsCompressionTargetsOfTheDroppedRecord) {
  MessageBuilder b;
  b.reset(Header{.qr = true}, 48);
  ASSERT_EQ(b.add_question({name("example.cz."), RRType::kA, RRClass::kIn}),
            AppendStatus::kAppended);  // 28
  // NS example.cz. foo.bar. would take 21 octets (49 > 48); its "bar." sat at offset 44.
  ASSERT_EQ(
      b.add(Section::kAuthority, rr("example.cz.", RRType::kNs, make_name_rdata(name("foo.bar.")))),
      AppendStatus::kNoSpace);
  // A pointer to the dropped "bar." would fit (44 + 16) but point past the message.
  ASSERT_EQ(b.add(Section::kAdditional, rr("bar.", RRType::kA, a_rdata(1))),
            AppendStatus::kAppended);
  EXPECT_EQ(b.size(), 47U);
  auto msg = parse_message(b.finish());
  ASSERT_TRUE(msg) << msg.error().message;
  EXPECT_EQ(msg->additional.at(0).owner, name("bar."));
}

TEST(MessageBuilder, EdnsReservesRoomAndCarriesDoAndExtendedRcode) {
  MessageBuilder b;
  b.reset(Header{.qr = true, .rcode = 16}, 512);  // BADVERS needs the OPT's upper bits
  ASSERT_EQ(b.add_question({name("."), RRType::kNs, RRClass::kIn}), AppendStatus::kAppended);
  ASSERT_EQ(b.set_edns({.udp_size = 1232, .dnssec_ok = true, .options = {}}),
            AppendStatus::kAppended);
  EXPECT_EQ(b.size(), 12U + 5U + 11U);
  auto msg = parse_message(b.finish());
  ASSERT_TRUE(msg) << msg.error().message;
  ASSERT_TRUE(msg->edns.has_value());
  EXPECT_EQ(msg->edns->udp_size, 1232);
  EXPECT_TRUE(msg->edns->dnssec_ok);
  EXPECT_EQ(msg->header.rcode, 16);
  EXPECT_TRUE(msg->additional.empty());

  b.reset(Header{}, 30);
  ASSERT_EQ(b.add_question({name("cz."), RRType::kA, RRClass::kIn}), AppendStatus::kAppended);
  EXPECT_EQ(b.set_edns({}), AppendStatus::kNoSpace);  // 20 + 11 > 30
  b.reset(Header{}, 31);
  ASSERT_EQ(b.add_question({name("cz."), RRType::kA, RRClass::kIn}), AppendStatus::kAppended);
  EXPECT_EQ(b.set_edns({}), AppendStatus::kAppended);
  EXPECT_EQ(b.add(Section::kAdditional, rr("cz.", RRType::kA, a_rdata(1))),
            AppendStatus::kNoSpace);  // the OPT's room is kept
  EXPECT_EQ(b.finish().size(), 31U);
}

TEST(MessageBuilder, RefusesOutOfOrderAndMalformedRdata) {
  MessageBuilder b;
  b.reset(Header{}, 512);
  ASSERT_EQ(b.add(Section::kAdditional, rr("cz.", RRType::kA, a_rdata(1))),
            AppendStatus::kAppended);
  EXPECT_EQ(b.add(Section::kAnswer, rr("cz.", RRType::kA, a_rdata(1))), AppendStatus::kOutOfOrder);
  EXPECT_EQ(b.add_question({name("cz."), RRType::kA, RRClass::kIn}), AppendStatus::kOutOfOrder);
  EXPECT_EQ(b.add(Section::kAdditional, rr("cz.", RRType::kNs, Bytes{3, 'a', 'b'})),
            AppendStatus::kBadRdata);
  EXPECT_EQ(b.add(Section::kAdditional, rr("cz.", RRType::kMx, Bytes{0})), AppendStatus::kBadRdata);
  (void)b.finish();
  EXPECT_EQ(b.add(Section::kAdditional, rr("cz.", RRType::kA, a_rdata(1))),
            AppendStatus::kOutOfOrder);
  EXPECT_EQ(to_string(AppendStatus::kNoSpace), "no-space");
}

// --- parser strictness ---

Bytes header_with(std::uint16_t qd, std::uint16_t an) {
  return Bytes{0, 1, 0x84, 0, 0, static_cast<std::uint8_t>(qd), 0, static_cast<std::uint8_t>(an),
               0, 0, 0,    0};
}

TEST(ParseMessage, RejectsForwardAndLoopingPointers) {
  Bytes forward = header_with(1, 0);
  forward.insert(forward.end(), {0xc0, 14, 0, 0, 1, 0, 1});
  EXPECT_FALSE(parse_message(forward));
  Bytes self = header_with(1, 0);
  self.insert(self.end(), {0xc0, 12, 0, 1, 0, 1});
  EXPECT_FALSE(parse_message(self));
  // "a" + pointer back to "a": a loop that only a length bound or strict order stops.
  Bytes loop = header_with(2, 0);
  loop.insert(loop.end(), {1, 'a', 0, 0, 1, 0, 1, 1, 'b', 0xc0, 19, 0, 1, 0, 1});
  auto r = parse_message(loop);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("backwards"), std::string::npos);
}

TEST(ParseMessage, RejectsTruncationOverrunAndTrailingOctets) {
  MessageBuilder b;
  const auto good = build_referral(b);
  const Bytes wire(good.begin(), good.end());
  ASSERT_TRUE(parse_message(wire));
  for (std::size_t cut = 0; cut < wire.size(); ++cut) {
    EXPECT_FALSE(parse_message(std::span(wire).first(cut))) << "cut at " << cut;
  }
  Bytes trailing = wire;
  trailing.push_back(0);
  EXPECT_FALSE(parse_message(trailing));
  Bytes overrun = wire;
  overrun[wire.size() - 5] = 0x10;  // the A record's RDLENGTH low octet: 16 > 4 left
  EXPECT_FALSE(parse_message(overrun));
  Bytes reserved = header_with(1, 0);
  reserved.insert(reserved.end(), {0x40, 0, 0, 1, 0, 1});
  EXPECT_FALSE(parse_message(reserved));
}

TEST(ParseMessage, RejectsNamesOver255AndMisplacedOpt) {
  Bytes longname = header_with(1, 0);
  for (int i = 0; i < 5; ++i) {
    longname.push_back(63);
    longname.insert(longname.end(), 63, 'x');
  }
  longname.insert(longname.end(), {0, 0, 1, 0, 1});
  EXPECT_FALSE(parse_message(longname));
  Bytes opt_in_answer = header_with(0, 1);
  opt_in_answer.insert(opt_in_answer.end(), {0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_FALSE(parse_message(opt_in_answer));
}

// --- cross-check with ldns ---

using LdnsPkt = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;
using LdnsBuffer = std::unique_ptr<ldns_buffer, decltype(&ldns_buffer_free)>;

std::string ldns_text(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  std::string out = s == nullptr ? "" : s;
  std::free(s);  // NOLINT(cppcoreguidelines-no-malloc): ldns allocates with malloc
  return out;
}

void expect_ldns_agrees(std::span<const std::uint8_t> wire, const Message& ours) {
  ldns_pkt* raw = nullptr;
  ASSERT_EQ(ldns_wire2pkt(&raw, wire.data(), wire.size()), LDNS_STATUS_OK);
  const LdnsPkt pkt(raw, &ldns_pkt_free);
  EXPECT_EQ(ldns_pkt_id(pkt.get()), ours.header.id);
  EXPECT_EQ(ldns_pkt_qr(pkt.get()), ours.header.qr);
  EXPECT_EQ(ldns_pkt_aa(pkt.get()), ours.header.aa);
  EXPECT_EQ(ldns_pkt_qdcount(pkt.get()), ours.questions.size());
  const std::array<std::pair<ldns_rr_list*, const std::vector<Record>*>, 3> sections = {{
      {ldns_pkt_answer(pkt.get()), &ours.answer},
      {ldns_pkt_authority(pkt.get()), &ours.authority},
      {ldns_pkt_additional(pkt.get()), &ours.additional},
  }};
  for (const auto& [list, records] : sections) {
    ASSERT_EQ(ldns_rr_list_rr_count(list), records->size());
    for (std::size_t i = 0; i < records->size(); ++i) {
      const ldns_rr* r = ldns_rr_list_rr(list, i);
      const Record& mine = (*records)[i];
      EXPECT_EQ(*Name::from_text(ldns_text(ldns_rr_owner(r))), mine.owner);
      EXPECT_EQ(static_cast<std::uint16_t>(ldns_rr_get_type(r)), to_number(mine.type));
      EXPECT_EQ(ldns_rr_ttl(r), mine.ttl);
      const LdnsBuffer buf(ldns_buffer_new(512), &ldns_buffer_free);
      ASSERT_EQ(ldns_rr_rdata2buffer_wire(buf.get(), r), LDNS_STATUS_OK);
      const Bytes theirs(ldns_buffer_begin(buf.get()),
                         ldns_buffer_begin(buf.get()) + ldns_buffer_position(buf.get()));
      EXPECT_EQ(canonical_rdata(mine.type, theirs), canonical_rdata(mine.type, mine.rdata));
    }
  }
  EXPECT_EQ(ldns_pkt_edns(pkt.get()), ours.edns.has_value());
  if (ours.edns) {
    EXPECT_EQ(ldns_pkt_edns_udp_size(pkt.get()), ours.edns->udp_size);
    EXPECT_EQ(ldns_pkt_edns_do(pkt.get()), ours.edns->dnssec_ok);
  }
}

TEST(MessageBuilder, LdnsReadsTheReferralAsWeDo) {
  MessageBuilder b;
  const auto wire = build_referral(b);
  auto msg = parse_message(wire);
  ASSERT_TRUE(msg) << msg.error().message;
  expect_ldns_agrees(wire, *msg);
}

// --- property: random records -> build -> parse equals the input (and ldns agrees) ---

std::uint64_t test_seed() {
  if (const char* env = std::getenv("ROOTSIM_TEST_SEED")) {
    return std::strtoull(env, nullptr, 10);
  }
  return std::random_device{}();
}

class RandomMessages {
 public:
  explicit RandomMessages(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

  Name random_name() {
    static constexpr std::array<const char*, 8> kPool = {"cz",  "nic",      "ns", "a",
                                                         "com", "xn--p1ai", "b",  "root-servers"};
    std::string text;
    const std::size_t labels = below(4);
    for (std::size_t i = 0; i < labels; ++i) {
      std::string label = kPool[below(kPool.size())];
      for (char& c : label) {
        if (below(4) == 0 && c >= 'a' && c <= 'z') {
          c = static_cast<char>(c - 32);  // case must survive or compress case-insensitively
        }
      }
      text += label + ".";
    }
    return text.empty() ? Name() : *Name::from_text(text);
  }

  static void append_name(Bytes& out, const Name& n) {
    out.insert(out.end(), n.wire().begin(), n.wire().end());
  }

  Record random_record() {
    Record r{random_name(), RRType::kA, RRClass::kIn, static_cast<std::uint32_t>(rng_()), {}};
    switch (below(8)) {
      case 0:
        r.rdata = Bytes{1, 2, 3, static_cast<std::uint8_t>(below(256))};
        break;
      case 1:
        r.type = RRType::kAaaa;
        r.rdata = Bytes(16, static_cast<std::uint8_t>(below(256)));
        break;
      case 2:
      case 3:
        r.type = below(2) == 0 ? RRType::kNs : RRType::kCname;
        r.rdata = make_name_rdata(random_name());
        break;
      case 4:
        r.type = RRType::kMx;
        r.rdata = Bytes{0, 10};
        append_name(r.rdata, random_name());
        break;
      case 5:
        r.type = RRType::kSoa;
        r.rdata = make_soa_rdata({random_name(), random_name(), 1, 2, 3, 4, 5});
        break;
      case 6:
        r.type = RRType::kDs;
        r.rdata = make_ds_rdata({static_cast<std::uint16_t>(below(65536)), 13, 2, Bytes(32, 7)});
        break;
      default:
        r.type = RRType::kRrsig;  // a name inside that must stay as written
        r.rdata = Bytes(18, 1);
        append_name(r.rdata, random_name());
        r.rdata.insert(r.rdata.end(), {9, 9, 9});  // signature
        break;
    }
    return r;
  }

 private:
  std::mt19937_64 rng_;
};

TEST(MessageBuilder, PropertyRandomRecordsRoundTrip) {
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("ROOTSIM_TEST_SEED=" + std::to_string(seed));
  RandomMessages gen(seed);
  MessageBuilder b(MessageBuilder::kMaxMessageSize);
  for (int round = 0; round < 200; ++round) {
    Message want;
    want.header = Header{.id = static_cast<std::uint16_t>(gen.below(65536)),
                         .qr = gen.below(2) == 0,
                         .opcode = 0,
                         .aa = gen.below(2) == 0,
                         .rd = gen.below(2) == 0,
                         .rcode = static_cast<std::uint16_t>(gen.below(6))};
    b.reset(want.header, gen.below(2) == 0 ? 512 : MessageBuilder::kMaxMessageSize);
    want.questions.push_back({gen.random_name(), RRType::kA, RRClass::kIn});
    ASSERT_EQ(b.add_question(want.questions[0]), AppendStatus::kAppended);
    if (gen.below(2) == 0) {
      want.edns = Edns{.udp_size = 1232, .dnssec_ok = gen.below(2) == 0, .options = {}};
      ASSERT_EQ(b.set_edns(*want.edns), AppendStatus::kAppended);
    }
    std::array<std::vector<Record>*, 3> sections = {&want.answer, &want.authority,
                                                    &want.additional};
    for (std::size_t s = 0; s < 3; ++s) {
      const std::size_t n = gen.below(12);
      for (std::size_t i = 0; i < n; ++i) {
        Record r = gen.random_record();
        const auto status = b.add(static_cast<Section>(s), r);
        ASSERT_NE(status, AppendStatus::kBadRdata) << to_text(r);
        if (status == AppendStatus::kAppended) {
          sections[s]->push_back(std::move(r));
        }
      }
    }
    const auto wire = b.finish();
    ASSERT_LE(wire.size(), b.size_limit());
    auto got = parse_message(wire);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->header, want.header);
    EXPECT_EQ(got->questions, want.questions);
    EXPECT_EQ(got->edns, want.edns);
    std::array<std::vector<Record>*, 3> got_sections = {&got->answer, &got->authority,
                                                        &got->additional};
    for (std::size_t s = 0; s < 3; ++s) {
      ASSERT_EQ(got_sections[s]->size(), sections[s]->size());
      for (std::size_t i = 0; i < sections[s]->size(); ++i) {
        const Record& g = (*got_sections[s])[i];
        const Record& w = (*sections[s])[i];
        EXPECT_EQ(g.owner, w.owner);
        EXPECT_EQ(g.type, w.type);
        EXPECT_EQ(g.ttl, w.ttl);
        // Compression matches case-insensitively, so embedded names may take an earlier
        // spelling's case: compare canonical rdata (RRSIG stays byte-exact, it is not compressed).
        EXPECT_EQ(canonical_rdata(g.type, g.rdata), canonical_rdata(w.type, w.rdata));
        if (w.type == RRType::kRrsig) {
          EXPECT_EQ(g.rdata, w.rdata);
        }
      }
    }
    expect_ldns_agrees(wire, *got);
    if (HasFailure()) {
      return;
    }
  }
}

}  // namespace
}  // namespace rootsim::dns
