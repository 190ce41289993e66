// NAME
//   prometheus.h - the Prometheus text exposition format, version 0.0.4.
//
// DESCRIPTION
//   A family is a metric name, its help, its type (gauge or counter) and its
//   samples, each with labels. prometheus_text() writes "# HELP", "# TYPE"
//   and one line per sample, every family once. Label values and help text
//   are escaped as the format says (backslash, double quote in label values,
//   line feed); names are the caller's constants.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace appliance::webd {

struct MetricSample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
  std::string suffix;  // "_sum", "_count" of a summary
};

struct MetricFamily {
  std::string name, help, type;  // type: "gauge", "counter" or "summary"
  std::vector<MetricSample> samples;
};

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string escape_label_value(std::string_view value);
std::string prometheus_text(const std::vector<MetricFamily>& families);

}  // namespace appliance::webd
