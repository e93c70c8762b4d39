// summary.json and the summary table: per arrangement, the mean of each metric over the
// replications with a Student's t 95% confidence interval. Numbers are rounded to 6 significant
// digits so the text does not depend on the compiler's last-bit arithmetic.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "rootsim/dns/sim_time.hpp"
#include "rounded_number.hpp"
#include "rootsim/scenarios/output.hpp"

namespace rootsim::scenarios {
namespace {

/// t_{0.975, df} for df = 1..30; beyond that the normal quantile.
constexpr std::array<double, 30> kT975 = {
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

double t975(std::size_t df) { return df >= 1 && df <= kT975.size() ? kT975[df - 1] : 1.96; }

nlohmann::json number(double x) { return rounded_number(x, 6); }

/// The replications of each arrangement, in RunResults::arrangements order (arrangements that
/// appear only in `replications` follow in first-seen order).
std::vector<std::pair<std::string, std::vector<const ReplicationResult*>>> by_arrangement(
    const RunResults& results) {
  std::vector<std::pair<std::string, std::vector<const ReplicationResult*>>> groups;
  auto group_of = [&](const std::string& name) -> std::vector<const ReplicationResult*>& {
    for (auto& g : groups) {
      if (g.first == name) {
        return g.second;
      }
    }
    return groups.emplace_back(name, std::vector<const ReplicationResult*>{}).second;
  };
  for (const auto& name : results.arrangements) {
    group_of(name);
  }
  for (const ReplicationResult& r : results.replications) {
    group_of(r.arrangement).push_back(&r);
  }
  return groups;
}

std::vector<double> samples_of(const std::vector<const ReplicationResult*>& reps, Metric m) {
  std::vector<double> out;
  out.reserve(reps.size());
  for (const ReplicationResult* r : reps) {
    out.push_back(r->values[static_cast<std::size_t>(m)]);
  }
  return out;
}

/// A plain number with one replication, else {"mean", "ci95": [lo, hi]}; null when no
/// replication defined the metric (e.g. a lead time without published changes).
// Every metric is a count, a time or a share: the interval is cut at 0, and shares at 1 (a
// t-interval over few replications can reach past what the metric can be).
// (Never past the mean itself, should a value lie outside the range.)
Estimate within_range(Estimate e, Metric metric) {
  e.lo = std::max(e.lo, std::min(0.0, e.mean));
  if (definition(metric).unit == "share") {
    e.hi = std::min(e.hi, std::max(1.0, e.mean));
  }
  return e;
}

nlohmann::json value_json(const std::vector<double>& samples, Metric metric) {
  const Estimate e = within_range(estimate(samples), metric);
  const bool any = std::any_of(samples.begin(), samples.end(),
                               [](double x) { return std::isfinite(x); });
  if (samples.size() <= 1) {
    return any ? number(e.mean) : nlohmann::json(nullptr);
  }
  if (!any) {
    return {{"mean", nullptr}, {"ci95", nullptr}};
  }
  return {{"mean", number(e.mean)}, {"ci95", {number(e.lo), number(e.hi)}}};
}

std::uint32_t max_replications(
    const std::vector<std::pair<std::string, std::vector<const ReplicationResult*>>>& groups) {
  std::size_t n = 0;
  for (const auto& g : groups) {
    n = std::max(n, g.second.size());
  }
  return static_cast<std::uint32_t>(n);
}

}  // namespace

Estimate estimate(const std::vector<double>& samples) {
  std::vector<double> xs;
  xs.reserve(samples.size());
  for (const double x : samples) {
    if (std::isfinite(x)) {  // undefined in a replication (NaN): left out
      xs.push_back(x);
    }
  }
  Estimate e;
  if (xs.empty()) {
    e.mean = e.lo = e.hi = std::nan("");
    return e;
  }
  double sum = 0;
  for (const double x : xs) {
    sum += x;
  }
  e.mean = sum / static_cast<double>(xs.size());
  e.lo = e.hi = e.mean;
  if (xs.size() == 1) {
    return e;
  }
  double ss = 0;
  for (const double x : xs) {
    ss += (x - e.mean) * (x - e.mean);
  }
  const double n = static_cast<double>(xs.size());
  const double half = t975(xs.size() - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(n);
  e.lo = e.mean - half;
  e.hi = e.mean + half;
  e.single = false;
  return e;
}

std::string summary_json(const RunResults& results, const Scenario& scenario) {
  const auto groups = by_arrangement(results);
  const auto& defs = metric_definitions();
  nlohmann::json arrangements = nlohmann::json::object();
  for (const auto& [name, reps] : groups) {
    nlohmann::json a = nlohmann::json::object();
    for (std::size_t i = 0; i < kMetricCount; ++i) {
      a[std::string(defs[i].key)] =
          value_json(samples_of(reps, static_cast<Metric>(i)), static_cast<Metric>(i));
    }
    a["lead_time_days"] = {{"p50", value_json(samples_of(reps, Metric::kLeadTimeP50), Metric::kLeadTimeP50)},
                           {"p90", value_json(samples_of(reps, Metric::kLeadTimeP90), Metric::kLeadTimeP90)},
                           {"p95", value_json(samples_of(reps, Metric::kLeadTimeP95), Metric::kLeadTimeP95)}};
    a["resolution"] = {{"correct", value_json(samples_of(reps, Metric::kResolutionCorrect), Metric::kResolutionCorrect)},
                       {"wrong", value_json(samples_of(reps, Metric::kResolutionWrong), Metric::kResolutionWrong)},
                       {"failed", value_json(samples_of(reps, Metric::kResolutionFailed), Metric::kResolutionFailed)}};
    // Steps per party and replication, averaged over the replications (absent = 0).
    std::map<std::string, double> participation;
    for (const ReplicationResult* r : reps) {
      for (const auto& [party, steps] : r->participation) {
        participation[party] += static_cast<double>(steps);
      }
    }
    nlohmann::json p = nlohmann::json::object();
    for (const auto& [party, total] : participation) {
      p[party] = number(total / static_cast<double>(reps.size()));
    }
    for (std::size_t k = 0; k < results.arrangements.size(); ++k) {
      if (results.arrangements[k] == name && k < results.arrangement_sources.size()) {
        a["source"] = results.arrangement_sources[k];
      }
    }
    a["participation"] = std::move(p);
    arrangements[name] = std::move(a);
  }
  nlohmann::json metrics = nlohmann::json::object();
  for (const MetricDefinition& d : defs) {
    metrics[std::string(d.key)] = {{"unit", d.unit}, {"definition", d.definition}};
  }
  nlohmann::json doc = {
      {"scenario", scenario.name},
      {"description", scenario.description},
      {"question", scenario.question},
      {"seed", results.seed},
      {"replications", max_replications(groups)},
      {"duration_days", number(dns::to_days(scenario.duration))},
      {"arrangements", std::move(arrangements)},
      {"metrics", std::move(metrics)},
  };
  if (!scenario.narrative_look_at.empty()) {
    doc["narrative"] = {{"look_at", scenario.narrative_look_at},
                        {"discuss", scenario.narrative_discuss}};
  }
  return doc.dump(2) + "\n";
}

namespace {

std::string format_number(double x) {
  if (!std::isfinite(x)) {
    return "-";
  }
  char buf[40];
  const double a = std::fabs(x);
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", x);
  std::string s = buf;
  return s == "-0" || s == "-0.0" || s == "-0.00" ? s.substr(1) : s;
}

std::string cell(const std::vector<double>& samples, Metric metric, double scale) {
  const Estimate e = within_range(estimate(samples), metric);
  if (e.single || !std::isfinite(e.mean)) {
    return format_number(e.mean * scale);
  }
  return format_number(e.mean * scale) + " [" + format_number(e.lo * scale) + ", " +
         format_number(e.hi * scale) + "]";
}

}  // namespace

std::string summary_table(const RunResults& results) {
  struct Column {
    const char* header;
    Metric metric;
    double scale;
  };
  static constexpr std::array<Column, 8> kColumns = {{
      {"changes/yr", Metric::kChangesPerYear, 1},
      {"pubs/day", Metric::kPublicationsPerDay, 1},
      {"lead p50 d", Metric::kLeadTimeP50, 1},
      {"lead p90 d", Metric::kLeadTimeP90, 1},
      {"correct %", Metric::kResolutionCorrect, 100},
      {"failed %", Metric::kResolutionFailed, 100},
      {"TLDs removed", Metric::kTldsRemoved, 1},
      {"foreign decisions", Metric::kForeignDecisionsOnCctlds, 1},
  }};
  const auto groups = by_arrangement(results);
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"arrangement"});
  for (const Column& c : kColumns) {
    rows.front().emplace_back(c.header);
  }
  for (const auto& [name, reps] : groups) {
    std::vector<std::string> row{name};
    for (const Column& c : kColumns) {
      row.push_back(cell(samples_of(reps, c.metric), c.metric, c.scale));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(kColumns.size() + 1, 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::ostringstream out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - row[i].size(), ' ');
      line += i == 0 ? row[i] + pad : "  " + pad + row[i];  // names left, numbers right
    }
    out << line << "\n";
  }
  const std::uint32_t n = max_replications(groups);
  if (n > 1) {
    out << "mean [95% CI] over " << n << " replications\n";
  } else {
    out << "one replication: no confidence intervals\n";
  }
  return out.str();
}

}  // namespace rootsim::scenarios
