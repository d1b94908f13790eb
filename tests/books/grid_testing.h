// The grid's per-fact records (GridStore) kept in memory, for the grid's tests: what the ledger
// keeps under grid-accrual/ and grid-subject/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialledger/books/books.h"

namespace tl::books::testing {

class MemoryGridStore : public GridStore {
 public:
  std::optional<v1::GridAccrual> Accrual(std::string_view fact_id) const override {
    auto found = accruals_.find(std::string(fact_id));
    if (found == accruals_.end()) return std::nullopt;
    return found->second;
  }
  std::vector<std::string> SubjectFacts(std::string_view site,
                                        std::string_view subject) const override {
    auto found = subjects_.find(std::string(site) + "/" + std::string(subject));
    return found == subjects_.end() ? std::vector<std::string>{} : found->second;
  }
  void Put(const v1::GridAccrual& accrual) override { accruals_[accrual.fact_id()] = accrual; }
  void AddSubjectFact(std::string_view site, std::string_view subject,
                      std::string_view fact_id) override {
    subjects_[std::string(site) + "/" + std::string(subject)].emplace_back(fact_id);
  }

 private:
  std::map<std::string, v1::GridAccrual> accruals_;
  std::map<std::string, std::vector<std::string>> subjects_;
};

}  // namespace tl::books::testing
