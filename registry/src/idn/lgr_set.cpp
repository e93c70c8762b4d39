// The Root Zone LGR as a set of Element LGRs and the Common LGR.
#include "rootsim/registry/idn/lgr_set.hpp"

#include <algorithm>
#include <cstdlib>

namespace rootsim::registry::idn {
namespace {

// "und-Cyrl" -> "Cyrl"; other tags give nothing.
std::string script_of_language(const std::string& tag) {
  if (tag.size() == 8 && tag.rfind("und-", 0) == 0) {
    return tag.substr(4);
  }
  return {};
}

// Element LGR scripts that may hold a label of this (ICU) script, most specific first.
std::vector<std::string> scripts_for(const std::string& script) {
  if (script == "Hani") {
    return {"Hani", "Jpan", "Kore"};
  }
  if (script == "Hira" || script == "Kana" || script == "Jpan") {
    return {"Jpan"};
  }
  if (script == "Hang" || script == "Kore") {
    return {"Kore"};
  }
  return {script};
}

}  // namespace

std::filesystem::path lgr_directory(const std::filesystem::path& project_dir,
                                    const std::optional<std::filesystem::path>& explicit_dir) {
  if (explicit_dir && !explicit_dir->empty()) {
    return *explicit_dir;
  }
  if (const char* env = std::getenv(kLgrDirEnv); env != nullptr && *env != '\0') {
    return env;
  }
  return project_dir / ".." / "shared" / "data" / "idn" / "rz-lgr-5";
}

Result<LgrSet> LgrSet::load_directory(const std::filesystem::path& dir, const LgrLimits& limits) {
  const std::string hint =
      " (give the RZ-LGR folder with --lgr-dir or " + std::string(kLgrDirEnv) + ")";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return fail(Errc::kNotFound, "no Root Zone LGR: " + dir.string() + " is not a folder" + hint);
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".xml") {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    return fail(Errc::kIo, dir.string() + ": " + ec.message());
  }
  if (files.empty()) {
    return fail(Errc::kNotFound, "no Root Zone LGR: no .xml file in " + dir.string() + hint);
  }
  std::sort(files.begin(), files.end());
  LgrSet set;
  for (const auto& file : files) {
    auto lgr = Lgr::load_file(file, limits);
    if (!lgr) {
      return fail(std::move(lgr).error());
    }
    const auto& languages = lgr->metadata().languages;
    const std::string name = file.filename().string();
    if (languages.size() > 1 || name.find("common") != std::string::npos) {
      if (set.common_) {
        return fail(Errc::kConflict, dir.string() + ": more than one Common LGR (" + name + ")");
      }
      set.common_ = std::move(lgr).value();
      continue;
    }
    std::string script = languages.empty() ? std::string() : script_of_language(languages[0]);
    if (script.empty()) {
      script = file.stem().string();
    }
    set.elements_.push_back(Entry{std::move(script), name, std::move(lgr).value()});
  }
  return set;
}

LgrSet LgrSet::from_lgrs(std::vector<std::pair<std::string, Lgr>> elements,
                         std::optional<Lgr> common) {
  LgrSet set;
  for (auto& [script, lgr] : elements) {
    set.elements_.push_back(Entry{script, script, std::move(lgr)});
  }
  set.common_ = std::move(common);
  return set;
}

const Lgr* LgrSet::element(std::string_view script) const noexcept {
  for (const Entry& e : elements_) {
    if (e.script == script) {
      return &e.lgr;
    }
  }
  return nullptr;
}

const Lgr* LgrSet::common() const noexcept { return common_ ? &*common_ : nullptr; }

std::vector<std::string> LgrSet::scripts() const {
  std::vector<std::string> out;
  for (const Entry& e : elements_) {
    out.push_back(e.script);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const LgrSet::Entry*> LgrSet::candidates(std::u32string_view label) const {
  std::vector<const Entry*> out;
  for (const std::string& script : scripts_for(script_of(label))) {
    for (const Entry& e : elements_) {
      if (e.script == script && e.lgr.covers(label)) {
        out.push_back(&e);
      }
    }
  }
  for (const Entry& e : elements_) {
    if (std::find(out.begin(), out.end(), &e) == out.end() && e.lgr.covers(label)) {
      out.push_back(&e);
    }
  }
  return out;
}

Result<RootLabelVerdict> LgrSet::check(std::u32string_view label) const {
  if (label.empty() || label.size() > kMaxLabelCodePoints) {
    return fail(Errc::kLimit,
                "a label has 1 to 63 code points, not " + std::to_string(label.size()));
  }
  std::optional<RootLabelVerdict> first_invalid;
  for (const Entry* e : candidates(label)) {
    auto verdict = e->lgr.evaluate(label);
    if (!verdict) {
      return fail(std::move(verdict).error());
    }
    RootLabelVerdict out{verdict->disposition, e->script, e->name, verdict->reason};
    if (verdict->disposition != Disposition::kInvalid) {
      return out;
    }
    if (!first_invalid) {
      first_invalid = std::move(out);
    }
  }
  if (first_invalid) {
    return *first_invalid;
  }
  std::string reason = "no Element LGR of the root covers the label";
  const std::string script = script_of(label);
  reason += script == "Zyyy" ? " (it mixes scripts or has no letters)" : " (script " + script + ")";
  return RootLabelVerdict{Disposition::kInvalid, script, {}, std::move(reason)};
}

Result<VariantList> LgrSet::variants(std::u32string_view label, std::size_t limit) const {
  auto verdict = check(label);
  if (!verdict) {
    return fail(std::move(verdict).error());
  }
  if (verdict->disposition == Disposition::kInvalid) {
    return fail(Errc::kSemantic,
                "the label is invalid under the Root Zone LGR: " + verdict->reason);
  }
  for (const Entry& e : elements_) {
    if (e.name == verdict->lgr_name) {
      return e.lgr.variants(label, limit);
    }
  }
  return VariantList{};
}

std::optional<VariantRelation> LgrSet::relation(std::u32string_view label,
                                                std::u32string_view candidate) const {
  if (label == candidate) {
    return std::nullopt;
  }
  for (const Entry* e : candidates(label)) {
    auto verdict = e->lgr.evaluate(label);
    if (!verdict || verdict->disposition == Disposition::kInvalid) {
      continue;
    }
    if (auto v = e->lgr.variant_of(label, candidate);
        v && v->disposition != Disposition::kInvalid) {
      return VariantRelation{v->disposition, script_of(candidate) != script_of(label)};
    }
    break;
  }
  if (common_) {
    if (auto v = common_->variant_of(label, candidate);
        v && v->disposition != Disposition::kInvalid) {
      return VariantRelation{Disposition::kBlocked, true};
    }
  }
  return std::nullopt;
}

}  // namespace rootsim::registry::idn
