#include "trialledger/base/check.h"
#include "trialledger/feeds/import.h"

namespace tl::feeds {

absl::Status FactCollector::Add(ImportedFact fact) {
  const std::string& id = fact.fact.source_record_id();
  if (!fact.revises_earlier) {
    // Two facts with one id (a status that comes back unaudited in a snapshot) both stay: the
    // ledger judges the second as a duplicate or a conflicting report.
    position_[id] = facts_.size();
    facts_.push_back(std::move(fact));
    return absl::OkStatus();
  }
  auto earlier = position_.find(id);
  TL_CHECK_MSG(earlier != position_.end(), "a revision of a fact the importer never handed over");
  fact.revises_earlier = false;  // in the collected list it is the only one
  facts_[earlier->second] = std::move(fact);
  return absl::OkStatus();
}

}  // namespace tl::feeds
