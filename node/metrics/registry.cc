#include "trialledger/node/metrics.h"

#include <charconv>
#include <cmath>
#include <set>
#include <variant>

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::node::metrics {
namespace {

bool IsNameChar(char c, bool first, bool colon_allowed) {
  bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  bool digit = c >= '0' && c <= '9';
  return letter || (colon_allowed && c == ':') || (!first && digit);
}

bool IsValidName(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, colon_allowed)) return false;
  }
  return true;
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text: backslash and newline escaped.
void AppendHelp(std::string_view help, std::string* out) {
  for (char c : help) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

// A label value: backslash, double quote and newline escaped.
void AppendLabelValue(std::string_view value, std::string* out) {
  for (char c : value) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '"') {
      out->append("\\\"");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

// `{a="x",b="y"}`, with `extra` (the histogram's le) last; nothing when there are no labels.
std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(',');
    StrAppend(&out, names[i], "=\"");
    AppendLabelValue(values[i], &out);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out.push_back(',');
    StrAppend(&out, extra_name, "=\"");
    AppendLabelValue(extra_value, &out);
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

void AppendSamples(const Family<Counter>& family, std::string* out) {
  family.ForEach([&](const std::vector<std::string>& labels, const Counter& counter) {
    StrAppend(out, family.name(), LabelText(family.label_names(), labels), " ", counter.value(),
              "\n");
  });
}

void AppendSamples(const Family<Gauge>& family, std::string* out) {
  family.ForEach([&](const std::vector<std::string>& labels, const Gauge& gauge) {
    StrAppend(out, family.name(), LabelText(family.label_names(), labels), " ",
              FormatValue(gauge.value()), "\n");
  });
}

void AppendSamples(const Family<Histogram>& family, std::string* out) {
  family.ForEach([&](const std::vector<std::string>& labels, const Histogram& histogram) {
    Histogram::Snapshot snapshot = histogram.snapshot();
    const std::vector<double>& bounds = histogram.upper_bounds();
    for (size_t i = 0; i <= bounds.size(); ++i) {
      std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
      StrAppend(out, family.name(), "_bucket", LabelText(family.label_names(), labels, "le", le),
                " ", snapshot.cumulative_counts[i], "\n");
    }
    std::string label_text = LabelText(family.label_names(), labels);
    StrAppend(out, family.name(), "_sum", label_text, " ", FormatValue(snapshot.sum), "\n");
    StrAppend(out, family.name(), "_count", label_text, " ", snapshot.cumulative_counts.back(),
              "\n");
  });
}

}  // namespace

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Fixed notation, shortest digits that read back to the same double: 1500000 and 0.00025
  // rather than 1.5e+06 and 2.5e-04. 330 characters hold any double this way.
  char buffer[400];
  std::to_chars_result written =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  TL_CHECK(written.ec == std::errc());
  return std::string(buffer, written.ptr);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    TL_CHECK(std::isfinite(upper_bounds_[i]));
    TL_CHECK(i == 0 || upper_bounds_[i - 1] < upper_bounds_[i]);
  }
  for (size_t i = 0; i <= upper_bounds_.size(); ++i)
    bucket_counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  size_t bucket = 0;
  while (bucket < upper_bounds_.size() && value > upper_bounds_[bucket])
    ++bucket;
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative_counts.reserve(upper_bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

template <typename Metric>
Family<Metric>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::function<std::unique_ptr<Metric>()> make)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      make_(std::move(make)) {
  if (label_names_.empty()) children_[{}] = make_();
}

template <typename Metric>
Metric& Family<Metric>::With(const LabelValues& label_values) {
  TL_CHECK_MSG(label_values.size() == label_names_.size(), name_);
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Metric>& child = children_[label_values];
  if (child == nullptr) child = make_();
  return *child;
}

template <typename Metric>
void Family<Metric>::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  children_.clear();
  if (label_names_.empty()) children_[{}] = make_();
}

template <typename Metric>
void Family<Metric>::ForEach(
    const std::function<void(const LabelValues&, const Metric&)>& visit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [labels, child] : children_)
    visit(labels, *child);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  MetricType type;
  std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
               std::unique_ptr<Family<Histogram>>>
      family;
};

Registry::Registry() = default;
Registry::~Registry() = default;

void Registry::CheckNew(const std::string& name,
                        const std::vector<std::string>& label_names) const {
  TL_CHECK_MSG(IsValidName(name, /*colon_allowed=*/true), name);
  std::set<std::string> seen;
  for (const std::string& label : label_names) {
    TL_CHECK_MSG(IsValidName(label, /*colon_allowed=*/false) && !label.starts_with("__"), label);
    TL_CHECK_MSG(seen.insert(label).second, label);
  }
  for (const std::unique_ptr<Entry>& entry : families_) {
    std::visit([&](const auto& family) { TL_CHECK_MSG(family->name() != name, name); },
               entry->family);
  }
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckNew(name, label_names);
  auto family =
      std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(label_names),
                                        [] { return std::make_unique<Counter>(); });
  Family<Counter>& added = *family;
  families_.push_back(std::make_unique<Entry>(Entry{MetricType::kCounter, std::move(family)}));
  return added;
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckNew(name, label_names);
  auto family =
      std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(label_names),
                                      [] { return std::make_unique<Gauge>(); });
  Family<Gauge>& added = *family;
  families_.push_back(std::make_unique<Entry>(Entry{MetricType::kGauge, std::move(family)}));
  return added;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<double> upper_bounds,
                                          std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckNew(name, label_names);
  for (const std::string& label : label_names)
    TL_CHECK_MSG(label != "le", name);
  [[maybe_unused]] Histogram checked(upper_bounds);  // the bounds now, not at the first child
  auto family = std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), std::move(label_names),
      [upper_bounds] { return std::make_unique<Histogram>(upper_bounds); });
  Family<Histogram>& added = *family;
  families_.push_back(std::make_unique<Entry>(Entry{MetricType::kHistogram, std::move(family)}));
  return added;
}

std::string Registry::Render() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  for (const std::unique_ptr<Entry>& entry : families_) {
    std::visit(
        [&](const auto& family) {
          StrAppend(&out, "# HELP ", family->name(), " ");
          AppendHelp(family->help(), &out);
          StrAppend(&out, "\n# TYPE ", family->name(), " ", TypeName(entry->type), "\n");
          AppendSamples(*family, &out);
        },
        entry->family);
  }
  return out;
}

}  // namespace tl::node::metrics
