// Contracts, facts and milestones as the CLI shows them (tables for people, -o json for
// programs): money as "USD 1,250.00" beside its minor units, times as ISO 8601 UTC.
#pragma once

#include "output.h"
#include "trialledger/sdk/client.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::cli {

Json ContractSummaryJson(const v1::ContractSummary& summary);
Json ContractJson(const v1::GetContractResponse& contract);
Json MilestoneJson(const v1::MilestoneView& milestone);
Json FactRecordJson(const v1::FactRecord& fact);
Json EventRecordJson(const v1::EventRecord& event);
// A contract transaction's outcome: fact outcomes, and `events` (fetched with FetchEvents; the
// result itself holds only their sequence numbers).
Json ContractOutcomeJson(const v1::ContractOutcome& outcome,
                         const std::vector<v1::EventRecord>& events);
// The events a contract transaction caused, read from `client`'s node.
std::vector<v1::EventRecord> FetchEvents(LedgerClient& client, const v1::ContractOutcome& outcome);
// Any protobuf message in its canonical JSON mapping (compiled metadata for `contract compile`).
Json ProtoJson(const google::protobuf::Message& message);

}  // namespace tl::cli
