// Graded visual similarity of two strings, in lower and in upper case, for the string-similarity
// panel: UTS #39 confusable skeletons (ICU uspoof) make homoglyphs identical, then a weighted
// edit distance over the skeletons charges a substitution 1 - s(a, b), where s comes from a
// glyph-similarity table (data/idn/glyph_similarity.json: Latin, Greek and Cyrillic pairs the
// skeletons miss, each with its source). score = 1 - distance / longer length, in [0, 1].
// Thread-safety: immutable after create(); const methods may be called from any thread.
// Ownership: the index owns its references; Match points into it and lives as long as it.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/registry/idn/label.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry::idn {

struct GlyphPair {
  char32_t a = 0;
  char32_t b = 0;
  double score = 0;    ///< 0 < score <= 1, symmetric
  std::string source;  ///< where the judgement comes from
};

/// Parses the glyph table document: {"schema": 1, "pairs": [{"a", "b", "score", "source"}]}.
/// Errors: kIo, kParse with the JSON pointer ("/pairs/3/score: expected a number in (0, 1]").
[[nodiscard]] Result<std::vector<GlyphPair>> load_glyph_table(const std::filesystem::path& file);
[[nodiscard]] Result<std::vector<GlyphPair>> parse_glyph_table(std::string_view json,
                                                               const std::string& source);

enum class ReferenceKind : std::uint8_t { kTld, kIsoCode, kPending };
[[nodiscard]] std::string_view to_string(ReferenceKind kind) noexcept;

/// A string the panel compares against.
struct Reference {
  std::string text;  ///< as shown: U-label for IDN TLDs, "EU" for codes
  ReferenceKind kind = ReferenceKind::kTld;
  std::optional<std::string> country;  ///< ISO 3166 code it stands for, when known
};

struct Match {
  const Reference* reference = nullptr;
  double lower = 0;  ///< score with both strings in lower case
  double upper = 0;  ///< score with both in upper case (Georgian left as is)
  [[nodiscard]] double best() const noexcept { return lower > upper ? lower : upper; }
};

class SimilarityIndex {
 public:
  /// Opens ICU's spoof checker and prepares every reference (skeletons in both cases).
  /// Errors: kIo when ICU fails; kParse for a reference that is not UTF-8.
  [[nodiscard]] static Result<SimilarityIndex> create(const std::vector<GlyphPair>& table,
                                                      std::vector<Reference> references);
  SimilarityIndex(SimilarityIndex&&) noexcept;
  SimilarityIndex& operator=(SimilarityIndex&&) noexcept;
  ~SimilarityIndex();

  [[nodiscard]] std::size_t size() const noexcept;
  /// Scores of two strings (lower, upper).
  [[nodiscard]] Match score(std::u32string_view a, std::u32string_view b) const;
  /// Every reference whose best score is at least `floor` (references equal to `s` itself are
  /// left out), best first; ties by text. Complexity: O(R · |s| · |r|) with a length bound that
  /// skips references that cannot reach `floor`.
  [[nodiscard]] std::vector<Match> compare(std::u32string_view s, double floor) const;

 private:
  struct Impl;
  explicit SimilarityIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rootsim::registry::idn
