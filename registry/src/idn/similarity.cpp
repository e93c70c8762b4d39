// Visual similarity: ICU uspoof skeletons + a glyph table + a weighted edit distance.
#include "rootsim/registry/idn/similarity.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unordered_map>

namespace rootsim::registry::idn {
namespace {

struct SpoofClose {
  void operator()(USpoofChecker* p) const { uspoof_close(p); }
};
using SpoofChecker = std::unique_ptr<USpoofChecker, SpoofClose>;

// Labels have at most 63 code points; longer reference strings are cut, which only lowers
// their scores.
constexpr std::size_t kMaxSkeleton = 128;
// Ids for code points no reference has: unique, so equal to nothing.
constexpr std::uint32_t kFreshIds = 0x80000000U;

CodePoints lower_case(std::u32string_view s) {
  CodePoints out;
  for (const char32_t cp : s) {
    out.push_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
  }
  return out;
}

// Upper case, except Georgian: Mtavruli capitals are not used in domain names.
CodePoints upper_case(std::u32string_view s) {
  CodePoints out;
  for (const char32_t cp : s) {
    UErrorCode status = U_ZERO_ERROR;
    const bool georgian = uscript_getScript(static_cast<UChar32>(cp), &status) == USCRIPT_GEORGIAN;
    out.push_back(georgian ? cp : static_cast<char32_t>(u_toupper(static_cast<UChar32>(cp))));
  }
  return out;
}

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  const std::uint32_t lo = std::min(a, b);
  const std::uint32_t hi = std::max(a, b);
  return (static_cast<std::uint64_t>(lo) << 32U) | hi;
}

Unexpected<Error> bad(const std::string& where, const std::string& what) {
  return fail(Errc::kParse, where + ": " + what);
}

}  // namespace

std::string_view to_string(ReferenceKind kind) noexcept {
  switch (kind) {
    case ReferenceKind::kTld:
      return "tld";
    case ReferenceKind::kIsoCode:
      return "iso3166";
    case ReferenceKind::kPending:
      return "pending";
  }
  return "tld";
}

Result<std::vector<GlyphPair>> parse_glyph_table(std::string_view json, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    return bad(source, std::string("byte ") + std::to_string(e.byte) + ": not JSON");
  }
  if (!doc.is_object() || doc.value("schema", 0) != 1 || !doc.contains("pairs") ||
      !doc["pairs"].is_array()) {
    return bad(source, "/: expected {\"schema\": 1, \"pairs\": [...]}");
  }
  std::vector<GlyphPair> out;
  for (std::size_t i = 0; i < doc["pairs"].size(); ++i) {
    const nlohmann::json& p = doc["pairs"][i];
    const std::string where = source + ": /pairs/" + std::to_string(i);
    if (!p.is_object() || !p.contains("a") || !p.contains("b") || !p.contains("score") ||
        !p.contains("source") || !p["a"].is_string() || !p["b"].is_string() ||
        !p["source"].is_string()) {
      return fail(Errc::kParse, where + ": expected {a, b, score, source}");
    }
    auto a = decode_utf8(p["a"].get<std::string>());
    auto b = decode_utf8(p["b"].get<std::string>());
    if (!a || !b || a->size() != 1 || b->size() != 1) {
      return fail(Errc::kParse, where + ": a and b are single code points");
    }
    if (!p["score"].is_number() || p["score"].get<double>() <= 0 || p["score"].get<double>() > 1) {
      return fail(Errc::kParse, where + "/score: expected a number in (0, 1]");
    }
    out.push_back(
        GlyphPair{(*a)[0], (*b)[0], p["score"].get<double>(), p["source"].get<std::string>()});
  }
  return out;
}

Result<std::vector<GlyphPair>> load_glyph_table(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot open");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_glyph_table(text.str(), file.filename().string());
}

// Strings are compared code point by code point, each code point reduced to the id of its own
// UTS #39 skeleton (so homoglyphs share an id even when the skeleton is several code points,
// as Ю -> "lO"); the glyph table is keyed by those ids. Equal whole-string skeletons (which
// also catch multi-character confusables like "rn" and "m") score 1.
struct SimilarityIndex::Impl {
  using Ids = std::vector<std::uint32_t>;
  struct Form {
    Ids ids;
    CodePoints skeleton;
  };
  struct Prepared {
    CodePoints lower_raw;
    Form lower;
    Form upper;
  };

  SpoofChecker spoof;
  std::unordered_map<CodePoints, std::uint32_t> ids;
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, float>>> neighbours;
  std::vector<Reference> references;
  std::vector<Prepared> prepared;

  [[nodiscard]] CodePoints skeleton(std::u32string_view s) const {
    const std::string utf8 = encode_utf8(s);
    std::array<char, 1024> out{};
    UErrorCode status = U_ZERO_ERROR;
    const std::int32_t n =
        uspoof_getSkeletonUTF8(spoof.get(), 0, utf8.data(), static_cast<std::int32_t>(utf8.size()),
                               out.data(), static_cast<std::int32_t>(out.size()), &status);
    if (U_FAILURE(status)) {
      return CodePoints(s);  // an over-long skeleton: compare the string itself
    }
    auto decoded = decode_utf8(std::string_view(out.data(), static_cast<std::size_t>(n)));
    return decoded ? std::move(decoded).value() : CodePoints(s);
  }

  std::uint32_t intern(char32_t cp) {
    const CodePoints key = skeleton(CodePoints(1, cp));
    return ids.emplace(key, static_cast<std::uint32_t>(ids.size())).first->second;
  }

  // The id of a code point's skeleton; one no reference or table entry has gets an id of its
  // own (equal to nothing else).
  [[nodiscard]] std::uint32_t lookup(char32_t cp, std::uint32_t& fresh) const {
    const auto it = ids.find(skeleton(CodePoints(1, cp)));
    return it != ids.end() ? it->second : fresh++;
  }

  [[nodiscard]] Form form(const CodePoints& cased, std::uint32_t& fresh) const {
    Form out;
    for (const char32_t cp : cased) {
      out.ids.push_back(lookup(cp, fresh));
    }
    if (out.ids.size() > kMaxSkeleton) {
      out.ids.resize(kMaxSkeleton);
    }
    out.skeleton = skeleton(cased);
    return out;
  }

  [[nodiscard]] Prepared prepare(std::u32string_view s, std::uint32_t& fresh) const {
    const CodePoints lower = lower_case(s);
    return Prepared{lower, form(lower, fresh), form(upper_case(s), fresh)};
  }

  // Neighbour lists of each query position, so the distance needs no hash lookups.
  using Row = std::vector<const std::vector<std::pair<std::uint32_t, float>>*>;
  [[nodiscard]] Row rows(const Form& q) const {
    Row out;
    for (const std::uint32_t id : q.ids) {
      const auto it = neighbours.find(id);
      out.push_back(it == neighbours.end() ? nullptr : &it->second);
    }
    return out;
  }

  // 1 - weighted edit distance / longer length; 1 for equal skeletons.
  static double similarity(const Form& q, const Row& row, const Form& r) {
    if (q.skeleton == r.skeleton && !q.skeleton.empty()) {
      return 1.0;
    }
    const std::size_t m = q.ids.size();
    const std::size_t n = r.ids.size();
    if (m == 0 || n == 0) {
      return 0;
    }
    std::array<float, kMaxSkeleton + 1> prev{};
    std::array<float, kMaxSkeleton + 1> cur{};
    for (std::size_t j = 0; j <= n; ++j) {
      prev[j] = static_cast<float>(j);
    }
    for (std::size_t i = 1; i <= m; ++i) {
      cur[0] = static_cast<float>(i);
      const std::uint32_t a = q.ids[i - 1];
      const auto* near = row[i - 1];
      for (std::size_t j = 1; j <= n; ++j) {
        const std::uint32_t b = r.ids[j - 1];
        float s = 0;
        if (a == b) {
          s = 1;
        } else if (near != nullptr) {
          for (const auto& [c, v] : *near) {
            if (c == b) {
              s = v;
              break;
            }
          }
        }
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (1 - s)});
      }
      std::swap(prev, cur);
    }
    return 1.0 - static_cast<double>(prev[n]) / static_cast<double>(std::max(m, n));
  }
};

SimilarityIndex::SimilarityIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SimilarityIndex::SimilarityIndex(SimilarityIndex&&) noexcept = default;
SimilarityIndex& SimilarityIndex::operator=(SimilarityIndex&&) noexcept = default;
SimilarityIndex::~SimilarityIndex() = default;

std::size_t SimilarityIndex::size() const noexcept { return impl_->references.size(); }

Result<SimilarityIndex> SimilarityIndex::create(const std::vector<GlyphPair>& table,
                                                std::vector<Reference> references) {
  auto impl = std::make_unique<Impl>();
  UErrorCode status = U_ZERO_ERROR;
  impl->spoof.reset(uspoof_open(&status));
  if (U_FAILURE(status) || !impl->spoof) {
    return fail(Errc::kIo,
                std::string("ICU: cannot open the spoof checker: ") + u_errorName(status));
  }
  // Every code point of the references and of the table gets its skeleton's id.
  std::vector<CodePoints> texts;
  for (Reference& ref : references) {
    auto cps = decode_utf8(ref.text);
    if (!cps) {
      return fail(Errc::kParse, "reference '" + ref.text + "': " + cps.error().message);
    }
    for (const char32_t cp : lower_case(*cps) + upper_case(*cps)) {
      impl->intern(cp);
    }
    texts.push_back(std::move(cps).value());
  }
  std::unordered_map<std::uint64_t, float> pairs;
  for (const GlyphPair& p : table) {
    const std::uint32_t a = impl->intern(p.a);
    const std::uint32_t b = impl->intern(p.b);
    if (a != b) {
      float& slot = pairs[pair_key(a, b)];
      slot = std::max(slot, static_cast<float>(p.score));
    }
  }
  for (const auto& [key, score] : pairs) {
    const auto lo = static_cast<std::uint32_t>(key >> 32U);
    const auto hi = static_cast<std::uint32_t>(key & 0xFFFFFFFFU);
    impl->neighbours[lo].emplace_back(hi, score);
    impl->neighbours[hi].emplace_back(lo, score);
  }
  std::uint32_t fresh = kFreshIds;  // unused: every reference code point is interned
  for (const CodePoints& text : texts) {
    impl->prepared.push_back(impl->prepare(text, fresh));
  }
  impl->references = std::move(references);
  return SimilarityIndex(std::move(impl));
}

Match SimilarityIndex::score(std::u32string_view a, std::u32string_view b) const {
  std::uint32_t fresh = kFreshIds;
  const Impl::Prepared pa = impl_->prepare(a, fresh);
  const Impl::Prepared pb = impl_->prepare(b, fresh);
  return Match{nullptr, Impl::similarity(pa.lower, impl_->rows(pa.lower), pb.lower),
               Impl::similarity(pa.upper, impl_->rows(pa.upper), pb.upper)};
}

std::vector<Match> SimilarityIndex::compare(std::u32string_view s, double floor) const {
  std::uint32_t fresh = kFreshIds;
  const Impl::Prepared q = impl_->prepare(s, fresh);
  const Impl::Row lower_row = impl_->rows(q.lower);
  const Impl::Row upper_row = impl_->rows(q.upper);
  auto bound = [](std::size_t m, std::size_t n) {
    const std::size_t longer = std::max(m, n);
    const std::size_t diff = m > n ? m - n : n - m;
    return longer == 0 ? 0.0 : 1.0 - static_cast<double>(diff) / static_cast<double>(longer);
  };
  std::vector<Match> out;
  for (std::size_t i = 0; i < impl_->prepared.size(); ++i) {
    const Impl::Prepared& r = impl_->prepared[i];
    if (r.lower_raw == q.lower_raw) {
      continue;
    }
    Match m{&impl_->references[i], 0, 0};
    if (bound(q.lower.ids.size(), r.lower.ids.size()) >= floor) {
      m.lower = Impl::similarity(q.lower, lower_row, r.lower);
    }
    if (bound(q.upper.ids.size(), r.upper.ids.size()) >= floor) {
      m.upper = Impl::similarity(q.upper, upper_row, r.upper);
    }
    if (m.best() >= floor) {
      out.push_back(m);
    }
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    if (a.best() != b.best()) {
      return a.best() > b.best();
    }
    return a.reference->text < b.reference->text;
  });
  return out;
}

}  // namespace rootsim::registry::idn
