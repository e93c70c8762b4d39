// The referral a root server would send for a TLD, measured with dns::MessageBuilder, and the
// network check that asks each name server for the TLD's SOA through a NetworkProbe.
#include "rootsim/dns/message.hpp"

#include "technical_checks_internal.hpp"

#include <algorithm>
#include <set>

namespace rootsim::registry {
namespace {

struct Glue {
  const dns::Name* owner;
  const HostAddress* address;
};

// Glue a root server can add: addresses of the NS hosts that lie under a TLD of the registry,
// host by host in NS order, addresses in the order recorded.
std::vector<Glue> referral_glue(const Tld& tld, const RegistryState& state) {
  std::vector<Glue> out;
  std::set<dns::Name> done;
  for (const dns::Name& ns : tld.delegation.name_servers) {
    if (!done.insert(ns).second || !detail::under_registry_tld(ns, state)) {
      continue;
    }
    if (const Host* host = state.find_host(ns)) {
      for (const HostAddress& a : host->addresses) {
        out.push_back({&host->name, &a});
      }
    }
  }
  return out;
}

// A deterministic label of `length` letters derived from the TLD (FNV-1a, then an LCG): the
// size of the referral depends only on the length, but a fixed label keeps reports repeatable.
std::string probe_label(const Tld& tld, std::size_t length) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::uint8_t c : tld.label.wire()) {
    h = (h ^ c) * 0x100000001b3ULL;
  }
  std::string label;
  for (std::size_t i = 0; i < length; ++i) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    label += static_cast<char>('a' + static_cast<char>((h >> 33) % 26));
  }
  return label;
}

struct Built {
  std::size_t size = 0;
  std::size_t glue_fitted = 0;
  bool ns_fit = true;
};

Built build_referral(dns::MessageBuilder& builder, const Tld& tld, const dns::Name& qname,
                     const std::vector<Glue>& glue, std::size_t limit) {
  Built out;
  builder.reset(dns::Header{.id = 0, .qr = true}, limit);
  if (builder.add_question({qname, dns::RRType::kA, dns::RRClass::kIn}) !=
      dns::AppendStatus::kAppended) {
    out.ns_fit = false;
  }
  for (const dns::Name& ns : tld.delegation.name_servers) {
    if (out.ns_fit && builder.add(dns::Section::kAuthority, tld.label, dns::RRType::kNs,
                                  dns::RRClass::kIn, tld.delegation.ns_ttl,
                                  dns::make_name_rdata(ns)) != dns::AppendStatus::kAppended) {
      out.ns_fit = false;
    }
  }
  // RFC 1035 §4.2.1 / RFC 9471: glue may be left out from the end; stop at the first that fails.
  for (const Glue& g : glue) {
    if (!out.ns_fit ||
        builder.add(dns::Section::kAdditional, *g.owner, g.address->address.type, dns::RRClass::kIn,
                    g.address->ttl, g.address->address.rdata) != dns::AppendStatus::kAppended) {
      break;
    }
    ++out.glue_fitted;
  }
  out.size = builder.finish().size();
  return out;
}

}  // namespace

namespace detail {

bool under_registry_tld(const dns::Name& host, const RegistryState& state) {
  return !host.is_root() && state.find_tld(host.suffix(1)) != nullptr;
}

std::vector<CheckFinding> check_ns_authoritative(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  if (ctx.input.probe == nullptr) {
    return out;
  }
  dns::MessageBuilder builder(512);
  std::set<dns::Name> done;
  std::uint16_t id = 0x5253;  // deterministic ids: simulations must repeat exactly
  for (const dns::Name& ns : ctx.tld.delegation.name_servers) {
    const Host* host = ctx.state.find_host(ns);
    if (!done.insert(ns).second || host == nullptr) {
      continue;
    }
    for (const HostAddress& a : host->addresses) {
      const std::string subject = ns.to_text() + " " + dns::address_to_text(a.address.rdata);
      builder.reset(dns::Header{.id = ++id}, 512);
      (void)builder.add_question({ctx.tld.label, dns::RRType::kSoa, dns::RRClass::kIn});
      auto reply = ctx.input.probe->exchange(a.address, builder.finish());
      if (!reply) {
        out.push_back({CheckCode::kNsAuthoritative, Severity::kError, subject,
                       subject + " did not answer: " + reply.error().message});
        continue;
      }
      auto msg = dns::parse_message(*reply);
      std::string problem;
      if (!msg) {
        problem = "unparsable response (" + msg.error().message + ")";
      } else if (msg->header.id != id || !msg->header.qr) {
        problem = "response does not match the query";
      } else if (msg->header.rcode != 0) {
        problem = "RCODE " + std::to_string(msg->header.rcode);
      } else if (!msg->header.aa) {
        problem = "answer is not authoritative (AA clear, lame delegation)";
      } else {
        bool soa = false;
        for (const dns::Record& r : msg->answer) {
          soa = soa || (r.type == dns::RRType::kSoa && r.owner == ctx.tld.label);
        }
        if (!soa) {
          problem = "no SOA for " + ctx.tld.label.to_text() + " in the answer";
        }
      }
      if (!problem.empty()) {
        out.push_back(
            {CheckCode::kNsAuthoritative, Severity::kError, subject, subject + ": " + problem});
      }
    }
  }
  return out;
}

}  // namespace detail

ReferralSize measure_referral(const Tld& tld, const RegistryState& state, std::size_t label_length,
                              std::size_t size_limit) {
  ReferralSize out;
  const std::size_t length = std::clamp<std::size_t>(label_length, 1, 63);
  auto qname = dns::Name::from_text(probe_label(tld, length) + "." + tld.label.to_text());
  if (!qname) {
    return out;  // a TLD label of 190+ octets: the question alone cannot be formed
  }
  const auto glue = referral_glue(tld, state);
  out.glue_total = glue.size();
  for (const dns::Name& ns : tld.delegation.name_servers) {
    out.in_bailiwick_glue_needed = out.in_bailiwick_glue_needed || ns.is_subdomain_of(tld.label);
  }
  dns::MessageBuilder builder(size_limit);
  const Built limited = build_referral(builder, tld, *qname, glue, size_limit);
  out.size = limited.size;
  out.ns_fit = limited.ns_fit;
  out.glue_fitted = limited.glue_fitted;
  out.full_size =
      build_referral(builder, tld, *qname, glue, dns::MessageBuilder::kMaxMessageSize).size;
  return out;
}

}  // namespace rootsim::registry
