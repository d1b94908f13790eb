#include "ledger_json.h"

#include <algorithm>

#include "trialledger/base/civil_date.h"

#include "contract_json.h"

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"

namespace tl::cli {
namespace {

std::string Short(std::string_view bytes) {
  return ToHex(bytes).substr(0, 16);
}

}  // namespace

std::string PayloadSummary(const v1::TxBody& body) {
  switch (body.payload_case()) {
    case v1::TxBody::kNote:
      return StrCat("note: ", body.note().text());
    case v1::TxBody::kRegisterMember: {
      const v1::Member& member = body.register_member().member();
      std::string roles;
      for (const std::string& role : member.roles())
        roles += (roles.empty() ? "" : ",") + role;
      return StrCat("register member ", member.org(), "/", member.name(), " [", roles, "]");
    }
    case v1::TxBody::kRevokeKey:
      return StrCat("revoke key ", Short(body.revoke_key().public_key()));
    case v1::TxBody::kRotateKey:
      return StrCat("rotate key ", Short(body.rotate_key().old_public_key()), " -> ",
                    Short(body.rotate_key().new_public_key()));
    case v1::TxBody::kChangeNode:
      return StrCat("change node ", body.change_node().node_name(),
                    body.change_node().node().name());
    case v1::TxBody::kTransferLeadership:
      return StrCat("transfer leadership to ", body.transfer_leadership().node_name());
    case v1::TxBody::kProposeContract:
      return StrCat("propose contract ", body.propose_contract().contract_id(), " (code ",
                    Short(body.propose_contract().code().code_hash()), ")");
    case v1::TxBody::kAcceptContract:
      return StrCat("accept contract ", body.accept_contract().contract_id(), " (code ",
                    Short(body.accept_contract().code_hash()), ")");
    case v1::TxBody::kProposeAmendment:
      return StrCat("propose amendment of ", body.propose_amendment().contract_id(), " (code ",
                    Short(body.propose_amendment().code().code_hash()), ")");
    case v1::TxBody::kAcceptAmendment:
      return StrCat("accept amendment ", body.accept_amendment().version(), " of ",
                    body.accept_amendment().contract_id());
    case v1::TxBody::kCloseContract:
      return StrCat("close contract ", body.close_contract().contract_id(), ": ",
                    body.close_contract().reason());
    case v1::TxBody::kSubmitFacts:
      return StrCat(body.submit_facts().facts_size(), " facts for contract ",
                    body.submit_facts().contract_id());
    case v1::TxBody::kGrantAccess: {
      const v1::GrantAccess& grant = body.grant_access();
      return StrCat(grant.revoke() ? "revoke " : "grant ", grant.auditor_org(), " read access to ",
                    grant.contract_id().empty() ? "the signer's book"
                                                : StrCat("contract ", grant.contract_id()));
    }
    default:
      return StrCat("(",
                    body.GetDescriptor()->FindFieldByNumber(body.payload_case())
                        ? body.GetDescriptor()->FindFieldByNumber(body.payload_case())->name()
                        : "no payload",
                    ")");
  }
}

Json TransactionJson(const v1::Transaction& tx, const v1::TxResult* result,
                     const SignerNamer& namer) {
  Json json{{"tx_id", ToHex(TxId(tx))}};
  absl::StatusOr<DecodedTx> decoded = DecodeTransaction(tx);
  if (decoded.ok()) {
    std::string name = namer(decoded->body.signer_public_key());
    json["signer"] = name.empty() ? Short(decoded->body.signer_public_key()) : name;
    json["nonce"] = decoded->body.nonce();
    json["expiry_height"] = decoded->body.expiry_height();
    json["payload"] = PayloadSummary(decoded->body);
  } else {
    json["payload"] = StrCat("(undecodable: ", decoded.status().message(), ")");
  }
  if (result != nullptr) {
    json["result"] = ResultCodeName(result->code());
    json["message"] = result->message();
    if (result->has_contract()) {
      // The events themselves: `trialledger contract events ID --from first_event_seq`.
      Json outcome = ContractOutcomeJson(result->contract(), {});
      outcome.erase("events");
      json["contract"] = std::move(outcome);
    }
  }
  return json;
}

Json BlockJson(const v1::Block& block, const SignerNamer& namer,
               const std::vector<uint32_t>& withheld) {
  Json json{{"hash", ToHex(BlockHash(block))}};
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block.header());
  if (header.ok()) {
    json["height"] = header->height();
    json["time"] = FormatIsoTimestampMillis(header->time_ms());
    json["time_ms"] = header->time_ms();
    json["proposer"] = header->proposer();
    json["term"] = header->term();
    json["prev_block_hash"] = ToHex(header->prev_block_hash());
    json["tx_merkle_root"] = ToHex(header->tx_merkle_root());
    json["state_hash_before"] = ToHex(header->state_hash());
    json["tx_count"] = header->tx_count();
  }
  Json txs = Json::array();
  for (int i = 0; i < block.transactions_size(); ++i) {
    if (std::find(withheld.begin(), withheld.end(), static_cast<uint32_t>(i)) != withheld.end()) {
      txs.push_back(Json{{"index", i}, {"withheld", true}});
      continue;
    }
    const v1::TxResult* result = i < block.results_size() ? &block.results(i) : nullptr;
    Json tx = TransactionJson(block.transactions(i), result, namer);
    tx.erase("expiry_height");
    txs.push_back(std::move(tx));
  }
  json["transactions"] = std::move(txs);
  if (!withheld.empty()) json["withheld"] = withheld.size();
  return json;
}

Json StatusJson(const v1::GetStatusResponse& status) {
  return Json{
      {"chain_id", status.chain_id()},
      {"node", status.node_name()},
      {"role", status.role()},
      {"leader", status.leader()},
      {"term", status.term()},
      {"commit_index", status.commit_index()},
      {"applied_index", status.applied_index()},
      {"height", status.height()},
      {"head_block_hash", ToHex(status.head_block_hash())},
      {"state_hash", ToHex(status.state_hash())},
      {"head_time", status.height() ? FormatIsoTimestampMillis(status.head_time_ms()) : "-"},
      {"mempool", status.mempool_size()},
      {"genesis_hash", ToHex(status.genesis_hash())},
      {"version", status.version()}};
}

}  // namespace tl::cli
