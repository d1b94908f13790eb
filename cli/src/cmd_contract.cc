// `trialledger contract ...`: compile a SOW, propose it, approve it, amend it, close it, and
// read contracts back. Proposing and amending send the SOW text with the compiled module; every
// node compiles the text again and refuses a module that differs, so what runs is what was read.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "contract_json.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/sdk/file_util.h"

namespace tl::cli {
namespace {

struct LocalSow {
  v1::ContractCode code;
  contracts::CompiledContract compiled;
};

LocalSow CompileFile(const std::string& path) {
  std::string source = Context::Check(ReadWholeFile(path));
  std::string name = std::filesystem::path(path).filename().string();
  LocalSow sow;
  sow.compiled = Context::Check(contracts::CompileSow(source, path));
  sow.code.set_source(std::move(source));
  sow.code.set_source_name(name);
  sow.code.set_module(sow.compiled.module_bytes);
  sow.code.set_code_hash(sow.compiled.code_hash);
  return sow;
}

std::vector<v1::ContractParameter> ParseParameters(const std::vector<std::string>& given) {
  std::vector<v1::ContractParameter> parameters;
  for (const std::string& entry : given) {
    size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw CommandError{
          StrCat("--param '", entry, "' must be NAME=VALUE, e.g. target_enrolment=120")};
    }
    v1::ContractParameter parameter;
    parameter.set_name(entry.substr(0, equals));
    parameter.set_value(entry.substr(equals + 1));
    parameters.push_back(std::move(parameter));
  }
  return parameters;
}

Json WithOutcome(Context& context, const v1::SubmitTransactionResponse& response) {
  Json json = SubmissionJson(response);
  if (response.result().has_contract()) {
    const v1::ContractOutcome& result = response.result().contract();
    Json outcome = ContractOutcomeJson(result, FetchEvents(context.client(), result));
    for (auto& [key, value] : outcome.items()) {
      if (!value.is_array() || !value.empty()) json[key] = value;
    }
  }
  return json;
}

// --effective YYYY-MM-DD: the business date a contract or change order takes effect; empty: the
// date of the block that accepts it (0 on the wire).
int64_t EffectiveDate(const std::string& text) {
  if (text.empty()) return 0;
  std::optional<int64_t> date = ParseIsoDate(text);
  if (!date.has_value()) {
    throw CommandError{StrCat("--effective: '", text, "' is not a date (YYYY-MM-DD, from 1970)")};
  }
  return *date;
}

void AddCompile(CLI::App& contract, Context& context) {
  struct Options {
    std::string file, out;
  };
  auto options = std::make_shared<Options>();
  CLI::App* compile = contract.add_subcommand(
      "compile", "Compile a SOW: check it, print its terms and each entry point's worst-case gas");
  compile->add_option("file", options->file, "SOW file")->required();
  compile->add_option("--out", options->out, "also write the module bytes here");
  compile->footer(
      "Examples:\n  trialledger contract compile contracts/templates/full_service.sow\n"
      "  trialledger contract compile contracts/examples/acme-301/change-order-1.sow -o json");
  compile->callback([&context, options] {
    LocalSow sow = CompileFile(options->file);
    if (!options->out.empty()) {
      Context::Check(WriteNewFile(options->out, sow.compiled.module_bytes, 0644));
    }
    if (context.format() == OutputFormat::kJson) {
      Json json = ProtoJson(sow.compiled.metadata);
      json["code_hash"] = ToHex(sow.compiled.code_hash);
      json["module_bytes"] = sow.compiled.module_bytes.size();
      Print(json, context.format());
    } else {
      std::cout << contracts::DescribeContract(sow.compiled.metadata);
    }
  });
}

void AddPropose(CLI::App& contract, Context& context) {
  struct Options {
    std::string file, id, effective;
    std::vector<std::string> params;
  };
  auto options = std::make_shared<Options>();
  CLI::App* propose = contract.add_subcommand(
      "propose", "Offer a SOW to the other party (signed by a finance or clinops member)");
  propose->add_option("file", options->file, "SOW file")->required();
  propose->add_option("--param", options->params, "parameter NAME=VALUE (repeatable)");
  propose->add_option("--id", options->id, "contract id (default: the SOW's contract name)");
  propose->add_option("--effective", options->effective,
                      "YYYY-MM-DD the contract takes effect (default: the day it is accepted)");
  propose->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key contract propose "
      "contracts/templates/full_service.sow --id acme-301 --param target_enrolment=120 "
      "--effective 2026-09-01");
  propose->callback([&context, options] {
    const int64_t effective_date_ms = EffectiveDate(options->effective);
    LocalSow sow = CompileFile(options->file);
    std::string id = options->id.empty() ? sow.compiled.metadata.name() : options->id;
    Context::Check(contracts::ValidateContractId(id));
    std::vector<v1::ContractParameter> parameters = ParseParameters(options->params);
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::ProposeContract* payload = body.mutable_propose_contract();
      payload->set_contract_id(id);
      *payload->mutable_code() = sow.code;
      for (const v1::ContractParameter& p : parameters)
        *payload->add_parameters() = p;
      payload->set_effective_date_ms(effective_date_ms);
    });
    Json json = WithOutcome(context, response);
    json["contract_id"] = id;
    json["code_hash"] = ToHex(sow.compiled.code_hash);
    Print(json, context.format());
  });
}

void AddAccept(CLI::App& contract, Context& context) {
  struct Options {
    std::string id, code_hash;
  };
  auto options = std::make_shared<Options>();
  CLI::App* accept = contract.add_subcommand(
      "accept",
      "Approve the version waiting for approval (a proposal or an amendment); signed by a finance "
      "member of the other party");
  accept->add_option("id", options->id, "contract id")->required();
  accept->add_option("--code-hash", options->code_hash,
                     "the code hash you reviewed; refused if the pending version differs");
  accept->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key contract accept acme-301\n"
      "  trialledger --key net/keys/acme-bio-finance.key contract accept acme-301 --code-hash "
      "e138ea5a3d50a6a0e0e0c4459bb9c264d9141a938619b7a6827c8b4a72f23236");
  accept->callback([&context, options] {
    v1::GetContractResponse found =
        Context::Check(context.client().GetContract(options->id, false));
    const v1::ContractVersion* pending = contracts::PendingVersion(found.record());
    if (pending == nullptr) {
      throw CommandError{StrCat("contract ", options->id, " has no version waiting for approval")};
    }
    if (!options->code_hash.empty() && options->code_hash != ToHex(pending->code_hash())) {
      throw CommandError{StrCat("the version waiting for approval has code hash ",
                                ToHex(pending->code_hash()), ", not ", options->code_hash)};
    }
    bool amendment = found.record().status() == v1::CONTRACT_STATUS_ACTIVE;
    v1::ContractVersion version = *pending;
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      if (amendment) {
        v1::AcceptAmendment* payload = body.mutable_accept_amendment();
        payload->set_contract_id(options->id);
        payload->set_version(version.version());
        payload->set_code_hash(version.code_hash());
      } else {
        v1::AcceptContract* payload = body.mutable_accept_contract();
        payload->set_contract_id(options->id);
        payload->set_code_hash(version.code_hash());
      }
    });
    Json json = WithOutcome(context, response);
    json["contract_id"] = options->id;
    json["approved_version"] = version.version();
    json["code_hash"] = ToHex(version.code_hash());
    Print(json, context.format());
  });
}

void AddAmend(CLI::App& contract, Context& context) {
  struct Options {
    std::string id, file, reason, effective;
  };
  auto options = std::make_shared<Options>();
  CLI::App* amend = contract.add_subcommand(
      "amend", "Propose a change order: a new version of the SOW for the other party to approve");
  amend->add_option("id", options->id, "contract id")->required();
  amend->add_option("file", options->file, "the amended SOW (a higher version)")->required();
  amend->add_option("--reason", options->reason, "why, for the audit trail");
  amend->add_option("--effective", options->effective,
                    "YYYY-MM-DD the change order takes effect (default: the day it is accepted; "
                    "not before facts already applied)");
  amend->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key contract amend acme-301 "
      "contracts/examples/acme-301/change-order-1.sow --reason \"CO-1: recruitment at the added "
      "sites\" --effective 2026-11-30");
  amend->callback([&context, options] {
    const int64_t effective_date_ms = EffectiveDate(options->effective);
    LocalSow sow = CompileFile(options->file);
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::ProposeAmendment* payload = body.mutable_propose_amendment();
      payload->set_contract_id(options->id);
      *payload->mutable_code() = sow.code;
      payload->set_reason(options->reason);
      payload->set_effective_date_ms(effective_date_ms);
    });
    Json json = WithOutcome(context, response);
    json["contract_id"] = options->id;
    json["proposed_version"] = sow.compiled.metadata.version();
    json["code_hash"] = ToHex(sow.compiled.code_hash);
    Print(json, context.format());
  });
}

void AddClose(CLI::App& contract, Context& context) {
  struct Options {
    std::string id, reason;
  };
  auto options = std::make_shared<Options>();
  CLI::App* close = contract.add_subcommand(
      "close", "Close a contract, or withdraw or decline a proposal (a finance member)");
  close->add_option("id", options->id, "contract id")->required();
  close->add_option("--reason", options->reason, "why, for the audit trail")->required();
  close->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key contract close acme-301 "
      "--reason \"study closed out\"");
  close->callback([&context, options] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_close_contract()->set_contract_id(options->id);
      body.mutable_close_contract()->set_reason(options->reason);
    });
    Json json = SubmissionJson(response);
    json["contract_id"] = options->id;
    Print(json, context.format());
  });
}

void AddReads(CLI::App& contract, Context& context) {
  struct ShowOptions {
    std::string id;
    bool source = false;
  };
  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = contract.add_subcommand(
      "show", "A contract: parties, versions, signatures, obligations and position");
  show->add_option("id", show_options->id, "contract id")->required();
  show->add_flag("--source", show_options->source, "include each version's SOW text");
  show->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key contract show acme-301\n"
      "  trialledger --key net/keys/acme-bio-finance.key contract show acme-301 --source -o json");
  show->callback([&context, show_options] {
    v1::GetContractResponse found =
        Context::Check(context.client().GetContract(show_options->id, show_options->source));
    Print(ContractJson(found), context.format());
  });

  struct EventsOptions {
    std::string id;
    uint64_t from = 1;
    uint32_t limit = 100;
  };
  auto events_options = std::make_shared<EventsOptions>();
  CLI::App* events = contract.add_subcommand(
      "events", "A contract's events in ledger order (what the books consume)");
  events->add_option("id", events_options->id, "contract id")->required();
  events->add_option("--from", events_options->from, "first sequence number")
      ->capture_default_str();
  events->add_option("--limit", events_options->limit, "at most this many")->capture_default_str();
  events->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key contract events acme-301 "
      "--from 20 --limit 50");
  events->callback([&context, events_options] {
    v1::ListContractEventsResponse page = Context::Check(context.client().ListContractEvents(
        events_options->id, events_options->from, events_options->limit));
    Json rows = Json::array();
    for (const v1::EventRecord& event : page.events())
      rows.push_back(EventRecordJson(event));
    Print(rows, context.format());
  });

  CLI::App* list = contract.add_subcommand("list", "Every contract on the ledger");
  list->footer("Example:\n  trialledger --key net/keys/acme-bio-finance.key contract list");
  list->callback([&context] {
    v1::ListContractsResponse listed = Context::Check(context.client().ListContracts());
    Json rows = Json::array();
    for (const v1::ContractSummary& summary : listed.contracts())
      rows.push_back(ContractSummaryJson(summary));
    Print(rows, context.format());
  });
}

}  // namespace

void AddContractCommands(CLI::App& app, Context& context) {
  CLI::App* contract =
      app.add_subcommand("contract", "SOW contracts: compile, propose, accept, amend, show");
  contract->require_subcommand(1);
  contract->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key contract show acme-301");
  AddCompile(*contract, context);
  AddPropose(*contract, context);
  AddAccept(*contract, context);
  AddAmend(*contract, context);
  AddClose(*contract, context);
  AddReads(*contract, context);
}

}  // namespace tl::cli
