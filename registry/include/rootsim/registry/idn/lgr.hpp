// A Label Generation Ruleset (RFC 7940): loaded from its XML with libxml2 (no DTDs, no entity
// expansion, no network, bounded size and depth), then used to evaluate labels: repertoire
// membership with each code point's when/not-when context rule, whole-label evaluation rules,
// actions (the first that triggers wins; RFC 7940 §7.6 default actions last), and variant
// labels with their dispositions (§8). Any RFC 7940 file loads, not only the Root Zone LGR.
// Thread-safety: immutable after load; const methods may be called from any thread.
// Ownership: an Lgr owns its compiled tables; results are values.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/registry/idn/label.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry::idn {

namespace detail {
struct LgrModel;
}

/// The dispositions RFC 7940 §7.3 registers; any other name an LGR uses is kOther.
enum class Disposition : std::uint8_t { kValid, kAllocatable, kBlocked, kInvalid, kOther };
[[nodiscard]] std::string_view to_string(Disposition disposition) noexcept;

/// Bounds against hostile files; the defaults admit every RZ-LGR-5 file.
struct LgrLimits {
  std::size_t max_file_bytes = 16U << 20U;  ///< RZ-LGR-5's largest file is 3.5 MB
  std::size_t max_depth = 40;               ///< XML element nesting
  std::size_t max_elements = 1'000'000;     ///< XML elements in the file
};

struct LgrMetadata {
  std::string version;
  std::string date;
  std::vector<std::string> languages;  ///< "und-Cyrl"; the Common LGR lists many
  std::string scope;                   ///< "." for the root zone
  std::string unicode_version;
};

/// The verdict on one label (the original label, with its reflexive variants applied).
struct LabelVerdict {
  Disposition disposition = Disposition::kInvalid;
  std::string disposition_name;  ///< as the LGR spells it
  /// Why: "U+0061 is not in the repertoire", "context rule 'follows-only-C' fails for U+094D",
  /// or the comment/name of the action that decided.
  std::string reason;
  std::optional<std::size_t> position;  ///< code point index an invalid verdict refers to
  friend bool operator==(const LabelVerdict&, const LabelVerdict&) = default;
};

struct VariantLabel {
  CodePoints label;
  Disposition disposition = Disposition::kBlocked;
  std::string disposition_name;
  friend bool operator==(const VariantLabel&, const VariantLabel&) = default;
};

struct VariantList {
  std::vector<VariantLabel> variants;  ///< without the original label, in generation order
  bool truncated = false;              ///< more than `limit` variant labels exist
};

class Lgr {
 public:
  /// Reads and compiles an RFC 7940 file (a UTF-8 BOM is allowed). Errors: kIo for an
  /// unreadable file; kLimit for a file, depth or element count over `limits` or more than 64
  /// variant types; kParse (file name and line) for malformed XML, a DTD, an unknown element,
  /// a bad code point, a reference to an undefined class or rule, a cycle of references.
  [[nodiscard]] static Result<Lgr> load_file(const std::filesystem::path& file,
                                             const LgrLimits& limits = {});
  /// The same from memory; `source` names it in errors.
  [[nodiscard]] static Result<Lgr> load_text(std::string_view xml, const std::string& source,
                                             const LgrLimits& limits = {});

  Lgr(Lgr&&) noexcept;
  Lgr& operator=(Lgr&&) noexcept;
  ~Lgr();

  [[nodiscard]] const LgrMetadata& metadata() const noexcept;
  /// Repertoire elements (code points and sequences, ranges counted per code point).
  [[nodiscard]] std::size_t repertoire_size() const noexcept;
  /// Whether the label splits into repertoire elements (context rules not applied). O(n).
  [[nodiscard]] bool covers(std::u32string_view label) const;

  /// RFC 7940 §8.1 and §8.3 for the label itself. Errors: kLimit for an empty label or one over
  /// 63 code points. Complexity: O(n · rule size) with n code points; no heap use per
  /// code point beyond the verdict's strings.
  [[nodiscard]] Result<LabelVerdict> evaluate(std::u32string_view label) const;

  /// RFC 7940 §8.2: the variant labels of `label` (which must itself not be invalid) with their
  /// dispositions; invalid variant labels are left out unless `include_invalid`. Generation
  /// stops after `limit` labels (truncated = true). Errors: as evaluate, and kSemantic when the
  /// label itself is invalid.
  [[nodiscard]] Result<VariantList> variants(std::u32string_view label, std::size_t limit = 10000,
                                             bool include_invalid = false) const;

  /// The disposition `candidate` has as a variant label of `original`, or nullopt when it is
  /// not one (or `original` is invalid). `candidate == original` gives the original's own
  /// disposition. Searches only the mappings that lead to `candidate`: O(n · variants per
  /// code point) for typical LGRs, never the whole variant set.
  [[nodiscard]] std::optional<VariantLabel> variant_of(std::u32string_view original,
                                                       std::u32string_view candidate) const;

 private:
  explicit Lgr(std::unique_ptr<const detail::LgrModel> model);
  std::unique_ptr<const detail::LgrModel> model_;
};

}  // namespace rootsim::registry::idn
