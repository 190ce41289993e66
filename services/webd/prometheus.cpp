// NAME
//   prometheus.cpp - writing the Prometheus text format.
#include "webd/prometheus.h"

#include <fmt/format.h>

#include <cmath>

namespace appliance::webd {
namespace {

// `quote`: also escape '"' (label values; help text leaves it).
std::string escaped(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  return escaped(value, true);
}

std::string prometheus_text(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const MetricFamily& f : families) {
    out +=
        fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, escaped(f.help, false), f.name, f.type);
    for (const MetricSample& s : f.samples) {
      out += f.name + s.suffix;
      if (!s.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < s.labels.size(); ++i)
          out += fmt::format("{}{}=\"{}\"", i ? "," : "", s.labels[i].first,
                             escape_label_value(s.labels[i].second));
        out += '}';
      }
      out += ' ' + number(s.value) + '\n';
    }
  }
  return out;
}

}  // namespace appliance::webd
