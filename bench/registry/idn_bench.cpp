// IDN benchmarks: Root Zone LGR evaluation of the root's IDN ccTLDs (target: >= 100,000
// labels/s), variant generation, and one string against every TLD of the real root zone and
// every ISO 3166-1 code (target: < 1 ms). Skips when ../shared/data is absent.
#include "rootsim/registry/idn/label.hpp"
#include "rootsim/registry/idn/lgr_set.hpp"
#include "rootsim/registry/idn/panel.hpp"
#include "rootsim/registry/idn/similarity.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace idn = rootsim::registry::idn;
const std::filesystem::path kShared = ROOTSIM_SHARED_DATA_DIR;
const std::filesystem::path kProjectData = ROOTSIM_PROJECT_DATA_DIR;

const idn::LgrSet* rz_lgr() {
  static const std::unique_ptr<const idn::LgrSet> kSet = [] {
    auto set = idn::LgrSet::load_directory(kShared / "idn" / "rz-lgr-5");
    return set ? std::make_unique<const idn::LgrSet>(std::move(set).value()) : nullptr;
  }();
  return kSet.get();
}

std::vector<idn::CodePoints> cctld_labels() {
  std::ifstream in(kShared / "idn" / "idn_cctlds.csv");
  std::vector<idn::CodePoints> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string a_label;
    std::string u_label;
    std::getline(fields, a_label, ',');
    std::getline(fields, u_label, ',');
    if (auto cps = idn::decode_utf8(u_label)) {
      out.push_back(*cps);
    }
  }
  return out;
}

// Every delegated TLD of the real root zone (U-labels for xn--) plus the ISO 3166-1 codes.
std::vector<idn::Reference> root_references() {
  std::vector<idn::Reference> out;
  std::ifstream zone(kShared / "root.zone");
  std::string line;
  std::vector<std::string> seen;
  while (std::getline(zone, line)) {
    std::istringstream fields(line);
    std::string owner;
    std::string ttl;
    std::string cls;
    std::string type;
    fields >> owner >> ttl >> cls >> type;
    if (type != "NS" || owner == "." || owner.find('.') != owner.size() - 1) {
      continue;
    }
    const std::string label = owner.substr(0, owner.size() - 1);
    if (!seen.empty() && seen.back() == label) {
      continue;
    }
    seen.push_back(label);
    auto forms = idn::check_label(label);
    if (forms) {
      out.push_back({forms->u_label, idn::ReferenceKind::kTld, std::nullopt});
    }
  }
  std::ifstream iso("/usr/share/iso-codes/json/iso_3166-1.json");
  std::ostringstream buffer;
  buffer << iso.rdbuf();
  const std::string text = buffer.str();
  for (std::size_t at = text.find("\"alpha_2\": \""); at != std::string::npos;
       at = text.find("\"alpha_2\": \"", at + 1)) {
    out.push_back({text.substr(at + 12, 2), idn::ReferenceKind::kIsoCode, std::nullopt});
  }
  return out;
}

void BM_Lgr_EvaluateIdnCcTlds(benchmark::State& state) {
  const idn::LgrSet* set = rz_lgr();
  const auto labels = cctld_labels();
  if (set == nullptr || labels.empty()) {
    state.SkipWithError("no RZ-LGR-5 / idn_cctlds.csv");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto verdict = set->check(labels[i]);
    benchmark::DoNotOptimize(verdict);
    i = (i + 1) % labels.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Lgr_EvaluateIdnCcTlds);

void BM_Lgr_ElementEvaluate(benchmark::State& state) {
  const idn::LgrSet* set = rz_lgr();
  if (set == nullptr) {
    state.SkipWithError("no RZ-LGR-5");
    return;
  }
  const idn::Lgr* arabic = set->element("Arab");
  const auto label = idn::decode_utf8("السعودية").value();
  for (auto _ : state) {
    auto verdict = arabic->evaluate(label);
    benchmark::DoNotOptimize(verdict);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Lgr_ElementEvaluate);

void BM_Lgr_VariantsChina(benchmark::State& state) {
  const idn::LgrSet* set = rz_lgr();
  if (set == nullptr) {
    state.SkipWithError("no RZ-LGR-5");
    return;
  }
  const auto label = idn::decode_utf8("中国").value();
  for (auto _ : state) {
    auto variants = set->variants(label);
    benchmark::DoNotOptimize(variants);
  }
}
BENCHMARK(BM_Lgr_VariantsChina);

void BM_Similarity_OneStringAgainstRootAndIso(benchmark::State& state) {
  auto table = idn::load_glyph_table(kProjectData / "idn" / "glyph_similarity.json");
  auto rules = idn::load_rule_set("fip-2019", kProjectData / "idn" / "rules");
  auto refs = root_references();
  if (!table || !rules || refs.size() < 1000) {
    state.SkipWithError("no root.zone or glyph table");
    return;
  }
  state.counters["references"] = static_cast<double>(refs.size());
  auto index = idn::SimilarityIndex::create(*table, std::move(refs));
  const std::vector<idn::CodePoints> queries = {
      idn::decode_utf8("ею").value(), idn::decode_utf8("бг").value(),
      idn::decode_utf8("укр").value(), idn::decode_utf8("ελ").value()};
  std::size_t i = 0;
  for (auto _ : state) {
    auto decision = idn::judge(*rules, *index, queries[i]);
    benchmark::DoNotOptimize(decision);
    i = (i + 1) % queries.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Similarity_OneStringAgainstRootAndIso)->Unit(benchmark::kMicrosecond);

}  // namespace
