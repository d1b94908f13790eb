// A small metrics registry and its Prometheus text exposition (format 0.0.4), for the node's
// metrics endpoint. No HTTP here (metrics_server.h serves it).
//
//   metrics::Registry registry;
//   metrics::Counter& blocks = registry.AddCounter("tl_blocks_total", "Blocks applied.").With({});
//   metrics::Family<metrics::Counter>& rejected =
//       registry.AddCounter("tl_rejected_total", "Rejected transactions.", {"reason"});
//   metrics::Histogram& apply = registry
//       .AddHistogram("tl_apply_seconds", "Time to apply a block.", {0.001, 0.01, 0.1}).With({});
//   blocks.Increment();
//   rejected.With({"TX_BAD_NONCE"}).Increment();
//   apply.Observe(0.004);
//   std::string text = registry.Render();
//
// Every metric belongs to a family: one name, one help text, one type and a fixed list of label
// names; each set of label values is one child, created at zero on first use. A family without
// labels has its one child from the start. Updating a child is a relaxed atomic operation, safe
// from any thread; Render may run at the same time and sees each value as of some moment.
// Rendering is deterministic: families in the order they were added, children sorted by their
// label values.
//
// Names follow Prometheus: [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, [a-zA-Z_][a-zA-Z0-9_]* for
// labels; a bad name, a name added twice or a wrong number of label values is a programmer error
// (TL_CHECK).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tl::node::metrics {

// Only goes up.
class Counter {
 public:
  void Increment(uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that is set.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted in buckets with fixed upper bounds (inclusive, as Prometheus' `le`), plus
// their count and sum.
class Histogram {
 public:
  // REQUIRES: `upper_bounds` finite and strictly increasing. +Inf is implied.
  explicit Histogram(std::vector<double> upper_bounds);

  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative_counts;  // one per bound, then +Inf (the count)
    double sum = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  const std::vector<double> upper_bounds_;
  // Per bucket, not cumulative: bucket i counts values in (bound[i-1], bound[i]]; the last one
  // (index upper_bounds_.size()) counts those above every bound.
  std::unique_ptr<std::atomic<uint64_t>[]> bucket_counts_;
  std::atomic<double> sum_{0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

template <typename Metric>
class Family {
 public:
  using LabelValues = std::vector<std::string>;

  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<Metric>()> make);

  // The child with these label values, one per label name. The reference stays valid until
  // Clear().
  Metric& With(const LabelValues& label_values);
  // Drops every child: for label sets that come and go (a leader's peers). A family without
  // labels gets its child back at zero.
  // REQUIRES: no one holds a reference from With().
  void Clear();

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls `visit` for each child, in label-value order, under the family's lock.
  void ForEach(const std::function<void(const LabelValues&, const Metric&)>& visit) const;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_;  // GUARDED_BY(mutex_)
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The family lives as long as the registry.
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  // `upper_bounds` as for Histogram; `le` is not a label name of one's own.
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<double> upper_bounds,
                                  std::vector<std::string> label_names = {});

  // Every family: "# HELP", "# TYPE", then its samples, each line ending in "\n".
  std::string Render() const;

 private:
  struct Entry;
  void CheckNew(const std::string& name, const std::vector<std::string>& label_names) const;

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> families_;  // GUARDED_BY(mutex_)
};

// How the text format writes a number: shortest round-trip decimal without an exponent
// ("0.00025", "1500000"), "+Inf", "-Inf" or "NaN".
std::string FormatValue(double value);

}  // namespace tl::node::metrics
