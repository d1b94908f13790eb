#include "metadata.h"

#include <algorithm>

#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts {
namespace {

std::string SourceOf(std::string_view source, const Expr& expr) {
  if (expr.span.offset >= source.size()) return "";
  return std::string(source.substr(expr.span.offset, expr.span.length));
}

// The counters and flags an expression reads (c/<name>), each once, in order of appearance.
void CountersOf(const Expr& expr, std::vector<std::string>* out) {
  std::string counter;
  if (expr.kind == Expr::Kind::kName &&
      (expr.ref == NameRef::kCounter || expr.ref == NameRef::kFlag)) {
    counter = expr.key;
  } else if (expr.kind == Expr::Kind::kCall && expr.text == "visits_of" && !expr.args.empty() &&
             expr.args[0]->kind == Expr::Kind::kString) {
    counter = StrCat("visit/", expr.args[0]->text);
  }
  if (!counter.empty() && std::find(out->begin(), out->end(), counter) == out->end()) {
    out->push_back(counter);
  }
  for (const auto& arg : expr.args)
    CountersOf(*arg, out);
}

void AndParts(const Expr& expr, std::vector<const Expr*>* out) {
  if (expr.kind == Expr::Kind::kBinary && expr.text == "and") {
    for (const auto& arg : expr.args)
      AndParts(*arg, out);
    return;
  }
  out->push_back(&expr);
}

// "confirmed by acme-bio's clinops": who the binding of milestone_confirmed names.
std::string ConfirmationText(const SowFile& file) {
  for (const FeedDecl& feed : file.feeds) {
    for (FactKind kind : feed.kinds) {
      if (kind != FactKind::kMilestoneConfirmed) continue;
      return StrCat("confirmed by ", feed.party == "sponsor" ? file.sponsor : file.cro, "'s ",
                    feed.role);
    }
  }
  return "confirmed";
}

trialledger::v1::Recognition RecognitionOf(RecognitionKind kind) {
  switch (kind) {
    case RecognitionKind::kCostToCost:
      return trialledger::v1::RECOGNITION_OVER_TIME_COST_TO_COST;
    case RecognitionKind::kUnits:
      return trialledger::v1::RECOGNITION_OVER_TIME_UNITS;
    case RecognitionKind::kMilestones:
      return trialledger::v1::RECOGNITION_OVER_TIME_MILESTONES;
    case RecognitionKind::kPointInTime:
      return trialledger::v1::RECOGNITION_POINT_IN_TIME;
  }
  return trialledger::v1::RECOGNITION_UNSPECIFIED;
}

}  // namespace

trialledger::v1::MilestoneKind MilestoneKindOf(MilestoneKindDecl kind) {
  switch (kind) {
    case MilestoneKindDecl::kFixedFee:
      return trialledger::v1::MILESTONE_KIND_FIXED_FEE;
    case MilestoneKindDecl::kIncentive:
      return trialledger::v1::MILESTONE_KIND_INCENTIVE;
    case MilestoneKindDecl::kPenalty:
      return trialledger::v1::MILESTONE_KIND_PENALTY;
  }
  return trialledger::v1::MILESTONE_KIND_UNSPECIFIED;
}

std::vector<const Expr*> MilestoneParts(const MilestoneDecl& milestone) {
  std::vector<const Expr*> parts;
  AndParts(*milestone.when, &parts);
  return parts;
}

trialledger::v1::ContractMetadata BuildMetadata(const SowFile& file, std::string_view source,
                                                const GeneratedModule& generated) {
  trialledger::v1::ContractMetadata out;
  out.set_name(file.contract.name);
  out.set_title(file.contract.title);
  out.set_version(file.version);
  out.set_sponsor(file.sponsor);
  out.set_cro(file.cro);
  out.set_currency(file.currency);
  out.set_study(file.study);
  for (const std::string& site : file.sites)
    out.add_sites(site);
  out.set_payment_terms_days(file.payment_terms_days);
  for (const ParameterDecl& parameter : file.parameters) {
    auto* p = out.add_parameters();
    p->set_name(parameter.name);
    p->set_type(std::string(SowTypeName(parameter.type)));
    p->set_default_value(SourceOf(source, *parameter.default_value));
  }
  for (const ObligationDecl& obligation : file.obligations) {
    auto* o = out.add_obligations();
    o->set_name(obligation.name);
    o->set_title(obligation.title);
    o->set_standalone_price_minor(obligation.standalone_price_minor);
    o->set_recognition(RecognitionOf(*obligation.recognition));
  }
  for (const MilestoneDecl& milestone : file.milestones) {
    auto* m = out.add_milestones();
    m->set_name(milestone.name);
    m->set_title(milestone.title);
    m->set_kind(MilestoneKindOf(milestone.kind));
    m->set_condition(SourceOf(source, *milestone.when));
    m->set_amount_minor(*milestone.amount_minor);
    m->set_obligation(milestone.obligation);
    m->set_deadline_ms(milestone.deadline_ms.value_or(0));
    m->set_estimate(milestone.estimate);
    if (milestone.constraint) m->set_constraint(SourceOf(source, *milestone.constraint));
    for (const std::string& counter : milestone.evidence_counters)
      m->add_evidence_counters(counter);
    for (const Expr* part : MilestoneParts(milestone)) {
      auto* requirement = m->add_requirements();
      requirement->set_text(SourceOf(source, *part));
      std::vector<std::string> counters;
      CountersOf(*part, &counters);
      for (const std::string& counter : counters)
        requirement->add_counters(counter);
    }
    m->set_confirmed(milestone.confirmed);
    if (milestone.confirmed) {
      auto* requirement = m->add_requirements();
      requirement->set_text(ConfirmationText(file));
      requirement->add_counters(abi::ConfirmedCounter(milestone.name));
    }
  }
  for (const UnitFeeDecl& fee : file.unit_fees) {
    auto* u = out.add_unit_fees();
    u->set_name(fee.name);
    u->set_title(fee.title);
    u->set_counter(fee.counter);
    u->set_rate_minor(*fee.rate_minor);
    u->set_cap_units(fee.cap_units);
    u->set_obligation(fee.obligation);
  }
  for (const PassThroughDecl& pass : file.pass_throughs) {
    auto* p = out.add_pass_throughs();
    p->set_name(pass.name);
    p->set_title(pass.title);
    p->set_budget_minor(*pass.budget_minor);
    for (const std::string& category : pass.categories)
      p->add_categories(category);
    p->set_principal(*pass.principal);
    p->set_obligation(pass.obligation);
  }
  for (const HoldbackDecl& holdback : file.holdbacks) {
    auto* h = out.add_holdbacks();
    h->set_name(holdback.name);
    h->set_title(holdback.title);
    h->set_percent(holdback.percent);
    h->set_of_milestones(holdback.of_milestones);
    h->set_of_unit_fees(holdback.of_unit_fees);
    h->set_released_by(holdback.released_by);
  }
  for (const RuleDecl& rule : file.rules) {
    auto* r = out.add_rules();
    r->set_name(rule.name);
    r->set_title(rule.title);
    for (FactKind kind : rule.kinds)
      r->add_fact_kinds(std::string(FactKindName(kind)));
    std::string condition;
    for (const Requirement& requirement : rule.requirements) {
      if (requirement.hold) {
        r->set_holds_until_site_active(true);
        continue;
      }
      if (!condition.empty()) condition += " and ";
      condition += SourceOf(source, *requirement.condition);
    }
    r->set_condition(condition);
  }
  // Bindings in fact-kind order, so equal SOWs give equal metadata however feeds are grouped.
  for (FactKind kind : AllFactKinds()) {
    for (const FeedDecl& feed : file.feeds) {
      for (FactKind bound : feed.kinds) {
        if (bound != kind) continue;
        auto* b = out.add_bindings();
        b->set_fact_kind(std::string(FactKindName(kind)));
        b->set_organisation(feed.party == "sponsor" ? file.sponsor : file.cro);
        b->set_role(feed.role);
      }
    }
  }
  for (const auto& [entry, gas] : generated.entry_gas) {
    auto* g = out.add_entry_gas();
    g->set_entry(entry);
    g->set_worst_case_gas(gas);
  }
  out.set_facts_per_batch_max(generated.facts_per_batch_max);
  return out;
}

}  // namespace tl::contracts
