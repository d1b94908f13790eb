// The human summary of a contract's metadata, for sowc and `trialledger contract show`.
#include "trialledger/base/str_cat.h"

#include "trialledger/base/hex.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts {
namespace {}  // namespace

std::string DescribeContract(const trialledger::v1::ContractMetadata& m) {
  const std::string& cur = m.currency();
  std::string out = StrCat("contract ", m.name(), " version ", m.version());
  if (!m.title().empty()) out += StrCat(" \"", m.title(), "\"");
  out += StrCat("\n  sponsor ", m.sponsor(), ", CRO ", m.cro(), ", currency ", cur, ", study ",
                m.study(), "\n");
  if (m.sites_size() > 0) out += StrCat("  sites ", Join(m.sites(), ", "), "\n");
  if (m.payment_terms_days() > 0) {
    out += StrCat("  payment terms net ", m.payment_terms_days(), " days\n");
  }
  for (const auto& p : m.parameters()) {
    out += StrCat("  parameter ", p.name(), ": ", p.type(), " = ", p.default_value(), "\n");
  }
  for (const auto& o : m.obligations()) {
    out += StrCat("  obligation ", o.name(), ": standalone price ",
                  FormatMoney(o.standalone_price_minor(), cur), ", recognised ",
                  RecognitionName(o.recognition()), "\n");
  }
  for (const auto& ms : m.milestones()) {
    out += StrCat("  ", abi::MilestoneKindName(ms.kind()), " ", ms.name(), ": ",
                  FormatMoney(ms.amount_minor(), cur), " when ", ms.condition());
    if (ms.deadline_ms() != 0) out += StrCat(" by ", FormatIsoDate(ms.deadline_ms()));
    if (!ms.constraint().empty()) out += StrCat(", constrained until ", ms.constraint());
    out += StrCat("\n");
  }
  for (const auto& u : m.unit_fees()) {
    out += StrCat("  unit fee ", u.name(), ": ", FormatMoney(u.rate_minor(), cur), " per ",
                  u.counter());
    if (u.cap_units() > 0) out += StrCat(", cap ", u.cap_units(), " units");
    out += StrCat("\n");
  }
  for (const auto& p : m.pass_throughs()) {
    out += StrCat("  pass-through ", p.name(), ": budget ", FormatMoney(p.budget_minor(), cur),
                  ", costs ", Join(p.categories(), ", "), ", ",
                  p.principal() ? "principal (gross)" : "agent (net)", "\n");
  }
  for (const auto& h : m.holdbacks()) {
    out += StrCat("  holdback ", h.name(), ": ", h.percent(), "% of",
                  h.of_milestones() ? " milestones" : "", h.of_unit_fees() ? " unit fees" : "",
                  ", released by ", h.released_by(), "\n");
  }
  for (const auto& r : m.rules()) {
    std::string requirements = r.condition();
    if (r.holds_until_site_active()) {
      if (!requirements.empty()) requirements += ", ";
      requirements += "site_active(fact.site) else hold";
    }
    out += StrCat("  rule ", r.name(), " on ", Join(r.fact_kinds(), ", "), ": require ",
                  requirements, "\n");
  }
  for (const auto& b : m.bindings()) {
    out += StrCat("  feed ", b.fact_kind(), " <- ", b.organisation(), " ", b.role(), "\n");
  }
  out += StrCat("  facts per batch at most ", m.facts_per_batch_max(), "\n");
  for (const auto& g : m.entry_gas()) {
    out += StrCat("  worst-case gas ", g.entry(), ": ", g.worst_case_gas(), "\n");
  }
  out += StrCat("  code hash ", ToHex(m.code_hash()), "\n");
  return out;
}

}  // namespace tl::contracts
