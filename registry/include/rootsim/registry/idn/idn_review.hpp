// The registry's IDN rules as a LabelReview: an xn-- TLD must be a valid IDNA2008 label (UTS #46
// and libidn2) that the Root Zone LGR allows; a label that is a blocked variant of a TLD in the
// registry (in-script, or cross-script by the Common LGR) cannot be delegated; an allocatable
// variant goes only to the manager of the TLD it is a variant of (and a transfer may not split
// a variant set between managers). Also the variant set of a TLD, for `tld show`.
// Thread-safety: const methods may be called from any thread; the LGR is loaded once, on the
// first review that needs it (std::call_once). Ownership: owns the loaded LgrSet.
#pragma once

#include "rootsim/registry/idn/lgr_set.hpp"
#include "rootsim/registry/label_review.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace rootsim::registry::idn {

class IdnLabelReview final : public LabelReview {
 public:
  /// Loads the Root Zone LGR from `lgr_dir` when a review first needs it.
  explicit IdnLabelReview(std::filesystem::path lgr_dir);
  /// Uses an LGR set that is already loaded.
  explicit IdnLabelReview(std::shared_ptr<const LgrSet> lgr);
  ~IdnLabelReview() override;
  IdnLabelReview(const IdnLabelReview&) = delete;
  IdnLabelReview& operator=(const IdnLabelReview&) = delete;

  /// Errors: kSemantic (invalid label, LGR disposition invalid/blocked, blocked variant of an
  /// existing TLD, allocatable variant of another manager's TLD); kNotFound when the LGR files
  /// are missing and the label needs them. O(TLDs · label length).
  [[nodiscard]] Status review_delegation(const dns::Name& tld, const std::string& manager,
                                         const RegistryState& state) const override;
  /// Errors: kSemantic when a live allocatable variant of the TLD has another manager.
  [[nodiscard]] Status review_transfer(const dns::Name& tld, const std::string& manager,
                                       const RegistryState& state) const override;

 private:
  [[nodiscard]] Result<const LgrSet*> lgr() const;
  struct Lazy;
  std::unique_ptr<Lazy> lazy_;
};

/// One member of a TLD's variant set.
struct VariantSetMember {
  std::string u_label;
  std::string a_label;
  Disposition disposition = Disposition::kBlocked;  ///< as a variant of the TLD
  bool delegated = false;                           ///< in the registry (not removed)
  std::string manager;                              ///< when delegated
};

struct VariantSet {
  std::vector<VariantSetMember> members;  ///< allocatable ones, then delegated blocked ones
  std::size_t blocked = 0;                ///< blocked variant labels (not listed unless delegated)
  bool truncated = false;                 ///< the variant generation hit its limit
};

/// The variant set of a TLD in the registry: every allocatable variant label of its U-label
/// (delegated or not), every TLD of the registry that is a variant of it, and how many blocked
/// variant labels exist. Errors: kSemantic for a label the LGR rejects; kParse for a bad label.
[[nodiscard]] Result<VariantSet> variant_set(const LgrSet& lgr, const Tld& tld,
                                             const RegistryState& state, std::size_t limit = 10000);

}  // namespace rootsim::registry::idn
