// The Root Zone LGR as a set: one Element LGR per script (validity, in-script variants) plus
// the Common LGR (cross-script collisions), loaded from a directory of RFC 7940 files at run
// time (RZ-LGR-5: ../shared/data/idn/rz-lgr-5/, 26 files). Answers: is a label valid for the
// root, under which script's LGR; its variant labels; whether two labels collide.
// Thread-safety: immutable after load; const methods may be called from any thread.
// Ownership: owns its Lgr objects; pointers it returns live as long as the set.
#pragma once

#include "rootsim/registry/idn/lgr.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry::idn {

/// The environment variable that overrides the LGR directory.
inline constexpr const char* kLgrDirEnv = "ROOTSIM_LGR_DIR";

/// The LGR directory to use: `explicit_dir` when given, else $ROOTSIM_LGR_DIR, else
/// `project_dir`/../shared/data/idn/rz-lgr-5.
[[nodiscard]] std::filesystem::path lgr_directory(
    const std::filesystem::path& project_dir,
    const std::optional<std::filesystem::path>& explicit_dir = std::nullopt);

/// Verdict of the whole Root Zone LGR on a label.
struct RootLabelVerdict {
  Disposition disposition = Disposition::kInvalid;
  std::string script;    ///< ISO 15924 of the Element LGR that decided ("Cyrl", "Hani", "Jpan")
  std::string lgr_name;  ///< its file name; empty when no Element LGR covers the label
  std::string reason;
};

/// How `candidate` relates to `label` under the root's rules.
struct VariantRelation {
  Disposition disposition = Disposition::kBlocked;  ///< of candidate as a variant of label
  bool cross_script = false;                        ///< the two labels are in different scripts
};

class LgrSet {
 public:
  /// Loads every *.xml in `dir`. The file whose metadata lists several languages (or whose name
  /// contains "common") is the Common LGR; each other file is an Element LGR for the script of
  /// its "und-Xxxx" language tag. Errors: kNotFound with a message naming the directory and
  /// how to point elsewhere (--lgr-dir, ROOTSIM_LGR_DIR) when it is absent or has no XML file;
  /// any Lgr::load_file error, prefixed with the file.
  [[nodiscard]] static Result<LgrSet> load_directory(const std::filesystem::path& dir,
                                                     const LgrLimits& limits = {});
  /// Builds a set from already loaded LGRs (tests, custom rule sets). `common` may be absent.
  [[nodiscard]] static LgrSet from_lgrs(std::vector<std::pair<std::string, Lgr>> elements,
                                        std::optional<Lgr> common);

  /// The Element LGR for a script code ("Cyrl"), or nullptr.
  [[nodiscard]] const Lgr* element(std::string_view script) const noexcept;
  [[nodiscard]] const Lgr* common() const noexcept;
  /// Scripts of the Element LGRs, sorted.
  [[nodiscard]] std::vector<std::string> scripts() const;

  /// Evaluates the label under the Element LGR of its script (Han tries Chinese, then Japanese,
  /// then Korean; a label no Element LGR covers, e.g. one mixing scripts, is invalid).
  /// Errors: kLimit for an empty label or one over 63 code points.
  [[nodiscard]] Result<RootLabelVerdict> check(std::u32string_view label) const;
  /// Variant labels under the deciding Element LGR. Errors: as check; kSemantic when the label
  /// is invalid.
  [[nodiscard]] Result<VariantList> variants(std::u32string_view label,
                                             std::size_t limit = 10000) const;
  /// Whether `candidate` is a variant of `label`: through the label's Element LGR (with that
  /// disposition; Element LGRs list some cross-script homoglyphs too), else through the Common
  /// LGR (always blocked). nullopt when unrelated or equal.
  [[nodiscard]] std::optional<VariantRelation> relation(std::u32string_view label,
                                                        std::u32string_view candidate) const;

 private:
  struct Entry {
    std::string script;
    std::string name;
    Lgr lgr;
  };
  [[nodiscard]] std::vector<const Entry*> candidates(std::u32string_view label) const;

  std::vector<Entry> elements_;
  std::optional<Lgr> common_;
};

}  // namespace rootsim::registry::idn
