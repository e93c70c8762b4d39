// Test-only: builds queries by hand and reads responses through ldns (an independent parser),
// so the tests do not read our answers with our own code.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/rr_type.hpp"

#include <ldns/ldns.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rootsim::testing {

struct QueryOptions {
  std::uint16_t id = 0x1234;
  std::uint16_t qclass = 1;
  bool edns = true;
  bool dnssec_ok = false;
  std::uint16_t udp_size = 1232;
  std::uint8_t version = 0;
  std::uint8_t opcode = 0;
  bool rd = false;
  bool cd = false;
};

/// A query in wire form, written without compression.
inline std::vector<std::uint8_t> make_query(const std::string& qname, dns::RRType qtype,
                                            const QueryOptions& opt = {}) {
  std::vector<std::uint8_t> q;
  auto put16 = [&](unsigned v) {
    q.push_back(static_cast<std::uint8_t>(v >> 8));
    q.push_back(static_cast<std::uint8_t>(v & 0xFF));
  };
  put16(opt.id);
  q.push_back(static_cast<std::uint8_t>((opt.opcode << 3) | (opt.rd ? 1 : 0)));
  q.push_back(opt.cd ? 0x10 : 0);
  put16(1);
  put16(0);
  put16(0);
  put16(opt.edns ? 1 : 0);
  auto name = dns::Name::from_text(qname);
  const auto wire = name->wire();
  q.insert(q.end(), wire.begin(), wire.end());
  put16(dns::to_number(qtype));
  put16(opt.qclass);
  if (opt.edns) {
    q.push_back(0);
    put16(41);
    put16(opt.udp_size);
    q.push_back(0);
    q.push_back(opt.version);
    q.push_back(opt.dnssec_ok ? 0x80 : 0);
    q.push_back(0);
    put16(0);
  }
  return q;
}

struct ParsedRecord {
  std::string owner;  ///< presentation form, case as sent
  dns::RRType type;
  std::string text;  ///< the whole RR as ldns prints it
};

struct ParsedResponse {
  std::uint16_t id = 0;
  unsigned rcode = 0;  ///< with the EDNS extended bits
  bool qr = false, aa = false, tc = false, rd = false, cd = false, ra = false, ad = false;
  std::string qname;
  std::vector<ParsedRecord> answer, authority, additional;
  bool edns = false;
  std::uint16_t udp_size = 0;
  bool dnssec_ok = false;
  std::uint8_t version = 0;

  [[nodiscard]] std::size_t count(const std::vector<ParsedRecord>& section,
                                  dns::RRType type) const {
    std::size_t n = 0;
    for (const auto& r : section) {
      n += r.type == type ? 1U : 0U;
    }
    return n;
  }
};

inline std::string rdf_text(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  std::string out = s != nullptr ? s : "";
  LDNS_FREE(s);
  return out;
}

inline std::vector<ParsedRecord> read_section(const ldns_rr_list* list) {
  std::vector<ParsedRecord> out;
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    char* text = ldns_rr2str(rr);
    out.push_back(ParsedRecord{rdf_text(ldns_rr_owner(rr)),
                               static_cast<dns::RRType>(ldns_rr_get_type(rr)),
                               text != nullptr ? text : ""});
    LDNS_FREE(text);
  }
  return out;
}

/// Parses a response with ldns; nullopt when ldns rejects it.
inline std::optional<ParsedResponse> parse_response(const std::uint8_t* data, std::size_t size) {
  ldns_pkt* pkt = nullptr;
  if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK) {
    return std::nullopt;
  }
  ParsedResponse r;
  r.id = ldns_pkt_id(pkt);
  r.qr = ldns_pkt_qr(pkt);
  r.aa = ldns_pkt_aa(pkt);
  r.tc = ldns_pkt_tc(pkt);
  r.rd = ldns_pkt_rd(pkt);
  r.cd = ldns_pkt_cd(pkt);
  r.ra = ldns_pkt_ra(pkt);
  r.ad = ldns_pkt_ad(pkt);
  r.rcode = ldns_pkt_get_rcode(pkt);
  if (ldns_pkt_question(pkt) != nullptr && ldns_rr_list_rr_count(ldns_pkt_question(pkt)) == 1) {
    r.qname = rdf_text(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(pkt), 0)));
  }
  r.answer = read_section(ldns_pkt_answer(pkt));
  r.authority = read_section(ldns_pkt_authority(pkt));
  r.additional = read_section(ldns_pkt_additional(pkt));
  r.edns = ldns_pkt_edns(pkt);
  if (r.edns) {
    r.udp_size = ldns_pkt_edns_udp_size(pkt);
    r.dnssec_ok = ldns_pkt_edns_do(pkt);
    r.version = ldns_pkt_edns_version(pkt);
    r.rcode |= static_cast<unsigned>(ldns_pkt_edns_extended_rcode(pkt)) << 4;
  }
  ldns_pkt_free(pkt);
  return r;
}

}  // namespace rootsim::testing
