// A cost fact (or the estimate at completion) for the mobilisation SOW (mobilisation_sow.h) as a
// transaction body, for tests that post revenue entries on an in-memory ledger.
#pragma once

#include <cstdint>
#include <string>

#include "trialledger/base/civil_date.h"
#include "trialledger/v1/tx.pb.h"

namespace tl::testing {

// One fact of `minor` USD cents from the CRO's ERP, dated 2023-06-30, on contract "mob": a
// labour cost, or with `estimate` the estimate at completion.
inline void SetMobilisationCostFact(trialledger::v1::TxBody& body, const std::string& record,
                                    int64_t minor, bool estimate) {
  trialledger::v1::FactBatch* batch = body.mutable_submit_facts();
  batch->set_contract_id("mob");
  trialledger::v1::Fact* fact = batch->add_facts();
  fact->set_source_system("erp");
  fact->set_source_record_id(record);
  const int64_t date = *ParseIsoDate("2023-06-30");
  fact->set_source_timestamp_ms(date);
  trialledger::v1::Money* amount;
  if (estimate) {
    fact->mutable_estimate_at_completion()->set_date_ms(date);
    amount = fact->mutable_estimate_at_completion()->mutable_amount();
  } else {
    fact->mutable_cost_incurred()->set_category("labour");
    fact->mutable_cost_incurred()->set_date_ms(date);
    amount = fact->mutable_cost_incurred()->mutable_amount();
  }
  amount->set_currency("USD");
  amount->set_amount_minor(minor);
}

}  // namespace tl::testing
