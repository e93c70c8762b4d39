// IDN rules for delegations and transfers, and a TLD's variant set.
#include "rootsim/registry/idn/idn_review.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

namespace rootsim::registry::idn {
namespace {

Unexpected<Error> refuse(const dns::Name& tld, const std::string& why) {
  return fail(Errc::kSemantic, tld.to_text() + ": " + why);
}

// The code points of a TLD in the registry (its U-label for xn-- labels).
std::optional<CodePoints> code_points_of(const Tld& tld) {
  if (!tld.u_label.empty()) {
    auto cps = decode_utf8(tld.u_label);
    if (cps) {
      return std::move(cps).value();
    }
  }
  auto forms = check_label(tld.label.first_label());
  if (!forms) {
    return std::nullopt;
  }
  return std::move(forms->code_points);
}

std::string shown(const Tld& tld) {
  return tld.u_label.empty() ? tld.label.to_text() : tld.label.to_text() + " (" + tld.u_label + ")";
}

}  // namespace

struct IdnLabelReview::Lazy {
  std::filesystem::path dir;
  std::shared_ptr<const LgrSet> set;
  std::optional<Error> error;
  std::once_flag once;
};

IdnLabelReview::IdnLabelReview(std::filesystem::path lgr_dir) : lazy_(std::make_unique<Lazy>()) {
  lazy_->dir = std::move(lgr_dir);
}

IdnLabelReview::IdnLabelReview(std::shared_ptr<const LgrSet> lgr)
    : lazy_(std::make_unique<Lazy>()) {
  lazy_->set = std::move(lgr);
  std::call_once(lazy_->once, [] {});
}

IdnLabelReview::~IdnLabelReview() = default;

Result<const LgrSet*> IdnLabelReview::lgr() const {
  std::call_once(lazy_->once, [this] {
    auto set = LgrSet::load_directory(lazy_->dir);
    if (set) {
      lazy_->set = std::make_shared<const LgrSet>(std::move(set).value());
    } else {
      lazy_->error = set.error();
    }
  });
  if (!lazy_->set) {
    return fail(lazy_->error ? *lazy_->error : Error{Errc::kNotFound, "no Root Zone LGR"});
  }
  return lazy_->set.get();
}

Status IdnLabelReview::review_delegation(const dns::Name& tld, const std::string& manager,
                                         const RegistryState& state) const {
  const std::string label = tld.first_label();
  const bool idn = label.rfind("xn--", 0) == 0;
  auto forms = check_label(label);
  if (!forms) {
    return idn ? refuse(tld, "not a valid IDN label: " + forms.error().message) : Status{};
  }
  auto set = lgr();
  if (!set) {
    if (idn) {
      return fail(set.error().code,
                  tld.to_text() + ": cannot check the IDN label: " + set.error().message);
    }
    return {};  // an ASCII label: without the LGR there is no collision to look for
  }
  const CodePoints& cps = forms->code_points;
  if (idn) {
    auto verdict = (*set)->check(cps);
    if (!verdict) {
      return refuse(tld, verdict.error().message);
    }
    if (verdict->disposition == Disposition::kInvalid ||
        verdict->disposition == Disposition::kBlocked) {
      return refuse(tld, "'" + forms->u_label + "' is " +
                             std::string(to_string(verdict->disposition)) +
                             " under the Root Zone LGR" +
                             (verdict->script.empty() ? "" : " (" + verdict->script + ")") + ": " +
                             verdict->reason);
    }
  }
  for (const auto& [other_label, other] : state.tlds) {
    if (other.status == TldStatus::kRemoved || other_label == tld) {
      continue;
    }
    const auto other_cps = code_points_of(other);
    if (!other_cps) {
      continue;
    }
    const auto relation = (*set)->relation(*other_cps, cps);
    if (!relation) {
      continue;
    }
    if (relation->disposition == Disposition::kAllocatable) {
      if (other.manager != manager) {
        return refuse(tld, "an allocatable variant of " + shown(other) + ", which '" +
                               other.manager + "' manages: only that manager may have it");
      }
      continue;
    }
    return refuse(tld, "a blocked variant of " + shown(other) +
                           (relation->cross_script ? " (a cross-script look-alike)" : ""));
  }
  return {};
}

Status IdnLabelReview::review_transfer(const dns::Name& tld, const std::string& manager,
                                       const RegistryState& state) const {
  const Tld* self = state.find_tld(tld);
  if (self == nullptr) {
    return {};
  }
  const auto cps = code_points_of(*self);
  if (!cps) {
    return {};
  }
  auto set = lgr();
  if (!set) {
    if (tld.first_label().rfind("xn--", 0) == 0) {
      return fail(set.error().code,
                  tld.to_text() + ": cannot check the variant set: " + set.error().message);
    }
    return {};
  }
  for (const auto& [other_label, other] : state.tlds) {
    if (other.status == TldStatus::kRemoved || other_label == tld || other.manager == manager) {
      continue;
    }
    const auto other_cps = code_points_of(other);
    if (!other_cps) {
      continue;
    }
    const auto relation = (*set)->relation(*cps, *other_cps);
    if (relation && relation->disposition == Disposition::kAllocatable) {
      return refuse(tld, "its allocatable variant " + shown(other) + " stays with '" +
                             other.manager + "': a variant set has one manager");
    }
  }
  return {};
}

Result<VariantSet> variant_set(const LgrSet& lgr, const Tld& tld, const RegistryState& state,
                               std::size_t limit) {
  const auto cps = code_points_of(tld);
  if (!cps) {
    return fail(Errc::kParse, tld.label.to_text() + ": not a valid label");
  }
  auto variants = lgr.variants(*cps, limit);
  if (!variants) {
    return fail(std::move(variants).error());
  }
  VariantSet out;
  out.truncated = variants->truncated;
  for (const VariantLabel& v : variants->variants) {
    if (v.disposition == Disposition::kAllocatable) {
      const std::string u = encode_utf8(v.label);
      auto a = to_a_label(u);
      out.members.push_back(VariantSetMember{u, a ? *a : std::string(), v.disposition, false, {}});
    } else if (v.disposition == Disposition::kBlocked) {
      ++out.blocked;
    }
  }
  for (const auto& [other_label, other] : state.tlds) {
    if (other.status == TldStatus::kRemoved || other_label == tld.label) {
      continue;
    }
    const auto other_cps = code_points_of(other);
    if (!other_cps) {
      continue;
    }
    const auto relation = lgr.relation(*cps, *other_cps);
    if (!relation) {
      continue;
    }
    const std::string u = encode_utf8(*other_cps);
    auto it = std::find_if(out.members.begin(), out.members.end(),
                           [&u](const VariantSetMember& m) { return m.u_label == u; });
    if (it == out.members.end()) {
      out.members.push_back(VariantSetMember{u, other_label.first_label(), relation->disposition,
                                             true, other.manager});
    } else {
      it->delegated = true;
      it->manager = other.manager;
    }
  }
  return out;
}

}  // namespace rootsim::registry::idn
