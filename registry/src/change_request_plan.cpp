// Semantic checks of a change request against the registry, and applying the planned mutation.
// Rules (docs/change-requests.md): in-domain name servers need glue; name servers must lie under
// a delegated TLD; glue is per host and shared by every TLD that uses the host; a TLD under which
// other delegations' (or the root's) name servers lie cannot be revoked; a request must change
// something.
#include "rootsim/registry/change_request.hpp"

#include "rootsim/registry/label_review.hpp"

#include <algorithm>
#include <array>
#include <idn2.h>
#include <memory>
#include <set>
#include <utility>

namespace rootsim::registry {
namespace {

using IdnString = std::unique_ptr<char, decltype(&idn2_free)>;

constexpr std::uint32_t kDefaultGlueTtl = 172800;

Unexpected<Error> semantic(const std::string& what) { return fail(Errc::kSemantic, what); }

// A TLD that is in the zone: present and not marked removed.
const Tld* live_tld(const RegistryState& state, const dns::Name& label) {
  const Tld* tld = state.find_tld(label);
  return (tld != nullptr && tld->status != TldStatus::kRemoved) ? tld : nullptr;
}

bool contains(const std::vector<dns::Name>& names, const dns::Name& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

template <class T>
bool same_set(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::all_of(a.begin(), a.end(), [&b](const T& x) {
           return std::find(b.begin(), b.end(), x) != b.end();
         });
}

bool same_addresses(const Host* host, const std::vector<dns::Address>& addresses) {
  const std::size_t have = host == nullptr ? 0 : host->addresses.size();
  if (have != addresses.size()) {
    return false;
  }
  return std::all_of(addresses.begin(), addresses.end(), [host](const dns::Address& a) {
    return std::any_of(host->addresses.begin(), host->addresses.end(),
                       [&a](const HostAddress& h) { return h.address.rdata == a.rdata; });
  });
}

std::vector<dns::Name> apex_name_servers(const RegistryState& state) {
  std::vector<dns::Name> out;
  for (const dns::Record& record : state.apex) {
    if (record.type == dns::RRType::kNs) {
      if (auto name = dns::read_name_rdata(record.rdata)) {
        out.push_back(std::move(name).value());
      }
    }
  }
  return out;
}

const GlueEntry* find_glue(const std::vector<GlueEntry>& glue, const dns::Name& host) {
  const auto it = std::find_if(glue.begin(), glue.end(),
                               [&host](const GlueEntry& g) { return g.host == host; });
  return it == glue.end() ? nullptr : &*it;
}

// Every name server lies under a delegated TLD (or the one being delegated), and those inside
// the TLD itself (in-domain, RFC 9471) have addresses after the change.
Status check_name_servers(const dns::Name& tld, const std::vector<dns::Name>& ns,
                          const std::vector<GlueEntry>& glue, const RegistryState& state) {
  for (const dns::Name& host : ns) {
    const dns::Name top = host.suffix(1);
    if (!(top == tld) && live_tld(state, top) == nullptr) {
      return semantic(tld.to_text() + ": name server " + host.to_text() + " lies under " +
                      top.to_text() + ", which is not delegated");
    }
    if (host.is_subdomain_of(tld)) {
      const GlueEntry* given = find_glue(glue, host);
      const Host* known = state.find_host(host);
      const bool has = given != nullptr ? !given->addresses.empty()
                                        : (known != nullptr && !known->addresses.empty());
      if (!has) {
        return semantic(tld.to_text() + ": name server " + host.to_text() +
                        " lies inside the TLD and needs glue");
      }
    }
  }
  return {};
}

// Host changes for the glue a request supplies; unchanged hosts are left out.
std::vector<Host> glue_upserts(const std::vector<GlueEntry>& glue, const RegistryState& state) {
  std::vector<Host> out;
  for (const GlueEntry& entry : glue) {
    const Host* known = state.find_host(entry.host);
    if (same_addresses(known, entry.addresses)) {
      continue;
    }
    const std::uint32_t ttl = (known != nullptr && !known->addresses.empty())
                                  ? known->addresses.front().ttl
                                  : kDefaultGlueTtl;
    Host host{entry.host, {}};
    for (const dns::Address& address : entry.addresses) {
      host.addresses.push_back(HostAddress{address, ttl});
    }
    out.push_back(std::move(host));
  }
  return out;
}

// Other live TLDs that use a host whose glue the mutation changes.
std::vector<dns::Name> sharing_tlds(const Mutation& mutation, const dns::Name& tld,
                                    const RegistryState& state) {
  std::set<dns::Name> out;
  for (const Host& host : mutation.host_upserts) {
    for (const auto& [label, other] : state.tlds) {
      if (!(label == tld) && other.status != TldStatus::kRemoved &&
          contains(other.delegation.name_servers, host.name)) {
        out.insert(label);
      }
    }
  }
  return {out.begin(), out.end()};
}

std::string u_label_of(const dns::Name& tld) {
  const std::string label = tld.first_label();
  if (label.rfind("xn--", 0) != 0) {
    return {};
  }
  char* raw = nullptr;
  const int rc = idn2_to_unicode_8z8z(label.c_str(), &raw, 0);
  IdnString unicode(raw, &idn2_free);
  return rc == IDN2_OK ? std::string(unicode.get()) : std::string();
}

Status check_kind(const dns::Name& tld, const Delegate& change) {
  const std::string label = tld.first_label();
  const bool country = change.kind == TldKind::kCountryCode;
  const bool idn_country = change.kind == TldKind::kIdnCountryCode;
  if ((country || idn_country) && !change.iso_code) {
    return semantic(tld.to_text() + ": a " + std::string(to_string(change.kind)) +
                    " TLD needs an iso_code");
  }
  if (!country && !idn_country && change.iso_code) {
    return semantic(tld.to_text() + ": only country-code TLDs have an iso_code");
  }
  const bool two_letters = label.size() == 2 && std::all_of(label.begin(), label.end(), [](char c) {
                             return c >= 'a' && c <= 'z';
                           });
  if (country != two_letters) {
    return semantic(tld.to_text() + (country ? ": a country-code TLD is two letters"
                                             : ": two-letter TLDs are country codes"));
  }
  if (idn_country && label.rfind("xn--", 0) != 0) {
    return semantic(tld.to_text() + ": an IDN country-code TLD is an A-label (xn--)");
  }
  return {};
}

class Planner {
 public:
  Planner(const ChangeRequest& request, const RegistryState& state, const LabelReview* review)
      : request_(request), state_(state), review_(review), name_(request.tld.to_text()) {}

  Result<Mutation> operator()(const NsUpdate& change) {
    const Tld* tld = live_tld(state_, request_.tld);
    if (tld == nullptr) {
      return not_found();
    }
    if (auto ok = check_name_servers(request_.tld, change.ns, change.glue, state_); !ok) {
      return fail(std::move(ok).error());
    }
    Tld updated = *tld;
    updated.delegation.name_servers = change.ns;
    return finish(*tld, std::move(updated), change.glue);
  }

  Result<Mutation> operator()(const DsUpdate& change) {
    const Tld* tld = live_tld(state_, request_.tld);
    if (tld == nullptr) {
      return not_found();
    }
    Tld updated = *tld;
    updated.delegation.ds = change.ds;
    return finish(*tld, std::move(updated), {});
  }

  Result<Mutation> operator()(const GlueUpdate& change) {
    const Tld* tld = live_tld(state_, request_.tld);
    if (tld == nullptr) {
      return not_found();
    }
    const dns::Name& host = change.glue.host;
    if (!contains(tld->delegation.name_servers, host)) {
      return semantic(name_ + ": " + host.to_text() + " is not one of its name servers");
    }
    if (change.glue.addresses.empty()) {
      if (contains(apex_name_servers(state_), host)) {
        return semantic(name_ + ": " + host.to_text() + " serves the root and needs glue");
      }
      for (const auto& [label, other] : state_.tlds) {
        if (other.status != TldStatus::kRemoved && host.is_subdomain_of(label) &&
            contains(other.delegation.name_servers, host)) {
          return semantic(name_ + ": " + host.to_text() + " lies inside " + label.to_text() +
                          ", which it serves, and needs glue");
        }
      }
    }
    return finish(*tld, *tld, {change.glue});
  }

  Result<Mutation> operator()(const Delegate& change) {
    if (live_tld(state_, request_.tld) != nullptr) {
      return fail(Errc::kConflict, name_ + ": already delegated");
    }
    if (auto ok = check_kind(request_.tld, change); !ok) {
      return fail(std::move(ok).error());
    }
    if (review_ != nullptr) {
      if (auto ok = review_->review_delegation(request_.tld, change.manager, state_); !ok) {
        return fail(std::move(ok).error());
      }
    }
    if (auto ok = check_name_servers(request_.tld, change.ns, change.glue, state_); !ok) {
      return fail(std::move(ok).error());
    }
    Tld tld;
    tld.label = request_.tld;
    tld.u_label = u_label_of(request_.tld);
    tld.kind = change.kind;
    tld.iso_code = change.iso_code;
    tld.manager = change.manager;
    tld.admin = change.admin;
    tld.tech = change.tech;
    tld.delegation.name_servers = change.ns;
    tld.delegation.ds = change.ds;
    Mutation mutation;
    mutation.upserts.push_back(std::move(tld));
    mutation.host_upserts = glue_upserts(change.glue, state_);
    mutation.also_affected = sharing_tlds(mutation, request_.tld, state_);
    return mutation;
  }

  Result<Mutation> operator()(const Transfer& change) {
    const Tld* tld = live_tld(state_, request_.tld);
    if (tld == nullptr) {
      return not_found();
    }
    if (review_ != nullptr) {
      if (auto ok = review_->review_transfer(request_.tld, change.manager, state_); !ok) {
        return fail(std::move(ok).error());
      }
    }
    Tld updated = *tld;
    updated.manager = change.manager;
    updated.admin = change.admin;
    updated.tech = change.tech;
    if (change.ns) {
      updated.delegation.name_servers = *change.ns;
      if (auto ok = check_name_servers(request_.tld, *change.ns, change.glue, state_); !ok) {
        return fail(std::move(ok).error());
      }
    }
    for (const GlueEntry& entry : change.glue) {
      if (!contains(updated.delegation.name_servers, entry.host)) {
        return semantic(name_ + ": glue for " + entry.host.to_text() +
                        ", which is not one of its name servers");
      }
    }
    if (change.ds) {
      updated.delegation.ds = *change.ds;
    }
    return finish(*tld, std::move(updated), change.glue);
  }

  Result<Mutation> operator()(const Revoke& /*change*/) {
    if (live_tld(state_, request_.tld) == nullptr) {
      return not_found();
    }
    std::vector<std::string> dependants;
    for (const dns::Name& host : apex_name_servers(state_)) {
      if (host.is_subdomain_of(request_.tld)) {
        dependants.emplace_back("the root");
        break;
      }
    }
    for (const auto& [label, other] : state_.tlds) {
      if (label == request_.tld || other.status == TldStatus::kRemoved) {
        continue;
      }
      const auto& ns = other.delegation.name_servers;
      if (std::any_of(ns.begin(), ns.end(),
                      [this](const dns::Name& h) { return h.is_subdomain_of(request_.tld); })) {
        dependants.push_back(label.to_text());
      }
    }
    if (!dependants.empty()) {
      std::string list;
      for (std::size_t i = 0; i < dependants.size() && i < 5; ++i) {
        list += (i == 0 ? "" : ", ") + dependants[i];
      }
      if (dependants.size() > 5) {
        list += ", ...";
      }
      return fail(Errc::kConflict, name_ + ": cannot revoke, name servers of " +
                                       std::to_string(dependants.size()) +
                                       " other delegations lie under it (" + list + ")");
    }
    Mutation mutation;
    mutation.removed_tlds.push_back(request_.tld);
    return mutation;
  }

  Result<Mutation> operator()(const Retire& change) {
    const Tld* tld = live_tld(state_, request_.tld);
    if (tld == nullptr) {
      return not_found();
    }
    if (tld->status == TldStatus::kRetiring) {
      return fail(Errc::kConflict,
                  name_ + ": already retiring (removal " + tld->removal_date.value_or("?") + ")");
    }
    Tld updated = *tld;
    updated.status = TldStatus::kRetiring;
    updated.removal_date = change.removal_date;
    return finish(*tld, std::move(updated), {});
  }

 private:
  [[nodiscard]] Unexpected<Error> not_found() const {
    return fail(Errc::kNotFound, name_ + ": no such TLD in the registry");
  }

  // The mutation for a TLD that exists: its new value, the hosts whose glue changes, and the
  // other TLDs those hosts serve. A request that changes nothing is refused.
  Result<Mutation> finish(const Tld& before, Tld after, const std::vector<GlueEntry>& glue) {
    Mutation mutation;
    mutation.host_upserts = glue_upserts(glue, state_);
    const Delegation& a = before.delegation;
    const Delegation& b = after.delegation;
    const bool same_tld = same_set(a.name_servers, b.name_servers) && same_set(a.ds, b.ds) &&
                          before.manager == after.manager && before.admin == after.admin &&
                          before.tech == after.tech && before.status == after.status &&
                          before.removal_date == after.removal_date;
    if (same_tld && mutation.host_upserts.empty()) {
      return semantic(name_ + ": the request changes nothing");
    }
    mutation.upserts.push_back(std::move(after));
    mutation.also_affected = sharing_tlds(mutation, request_.tld, state_);
    return mutation;
  }

  const ChangeRequest& request_;
  const RegistryState& state_;
  const LabelReview* review_;
  std::string name_;
};

}  // namespace

Result<Mutation> plan_change(const ChangeRequest& request, const RegistryState& state,
                             const LabelReview* review) {
  Planner planner(request, state, review);
  return std::visit(planner, request.change);
}

RegistryState apply_mutation(RegistryState state, const Mutation& mutation,
                             std::chrono::sys_seconds now) {
  const std::int64_t seconds = now.time_since_epoch().count();
  // Hosts that may have lost their last user: the name servers of every TLD this mutation
  // changes or removes (before and after) and the hosts it rewrites. Every other host keeps the
  // user it had, so only these need checking (O(NS records) with no allocation per host).
  std::vector<dns::Name> candidates;
  auto add_candidates_of = [&](const dns::Name& label) {
    if (const Tld* before = live_tld(state, label)) {
      candidates.insert(candidates.end(), before->delegation.name_servers.begin(),
                        before->delegation.name_servers.end());
    }
  };
  for (const Tld& tld : mutation.upserts) {
    add_candidates_of(tld.label);
  }
  for (const dns::Name& label : mutation.removed_tlds) {
    add_candidates_of(label);
  }
  for (const Host& host : mutation.host_upserts) {
    candidates.push_back(host.name);
  }
  for (const Tld& tld : mutation.upserts) {
    Tld value = tld;
    const Tld* before = live_tld(state, tld.label);
    value.created_at = before != nullptr ? before->created_at : seconds;
    value.updated_at = seconds;
    state.tlds.insert_or_assign(value.label, std::move(value));
  }
  for (const dns::Name& label : mutation.removed_tlds) {
    state.tlds.erase(label);
  }
  for (const Host& host : mutation.host_upserts) {
    if (host.addresses.empty()) {
      state.hosts.erase(host.name);
    } else {
      state.hosts.insert_or_assign(host.name, host);
    }
  }
  // Glue nobody uses any more is dropped: hosts live only as name servers of the root or a TLD.
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::erase_if(candidates, [&](const dns::Name& host) { return !state.hosts.contains(host); });
  if (candidates.empty()) {
    return state;
  }
  std::vector<bool> used(candidates.size(), false);
  // Most name servers of the root are no candidate: a wire length no candidate has settles it
  // without comparing names (this walk is over every NS record of the zone).
  std::array<bool, 256> candidate_length{};
  for (const dns::Name& host : candidates) {
    candidate_length[host.wire().size() & 0xff] = true;
  }
  std::size_t unused = candidates.size();
  auto mark = [&](const dns::Name& host) {
    if (!candidate_length[host.wire().size() & 0xff]) {
      return;
    }
    const auto it = std::lower_bound(candidates.begin(), candidates.end(), host);
    if (it != candidates.end() && *it == host) {
      const auto at = static_cast<std::size_t>(it - candidates.begin());
      unused -= used[at] ? 0U : 1U;
      used[at] = true;
    }
  };
  for (const dns::Name& host : apex_name_servers(state)) {
    mark(host);
  }
  // The TLDs this mutation wrote come first: when they still use every candidate (a DS change,
  // an NS set that kept its hosts), no other TLD needs a look.
  for (const Tld& tld : mutation.upserts) {
    if (const Tld* now_live = live_tld(state, tld.label)) {
      for (const dns::Name& host : now_live->delegation.name_servers) {
        mark(host);
      }
    }
  }
  if (unused == 0) {
    return state;
  }
  for (const auto& [label, tld] : state.tlds) {
    if (tld.status != TldStatus::kRemoved) {
      for (const dns::Name& host : tld.delegation.name_servers) {
        mark(host);
      }
    }
  }
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!used[i]) {
      state.hosts.erase(candidates[i]);
    }
  }
  return state;
}

}  // namespace rootsim::registry
