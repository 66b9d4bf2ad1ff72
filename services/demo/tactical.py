"""The demo's technology plans and budgets, as data (see services/demo/strategies.py).
`days_ahead` targets the quarter that many days after the step; `fiscal_year_in_days` names the
fiscal year of the day that many days after it. Amounts are in major units; `monthly` is
(price, quantity)."""

from __future__ import annotations

from services.demo.runner import Chapter, step

# The story reads as a table of steps: kept as written.
# fmt: off

# The dental group's plan: the backup initiative pulled forward after the ransomware news and
# approved by the client's managing partner, with the partner's reasons.
DENTAL_PLAN: Chapter = [
    step(405, "dental: plan", "plan", key="dental.plan", client="dental",
         strategy="dental.strategy", title="Technology plan 2025-2027"),
    step(404, "dental: initiative", "initiative", key="dental.i.backup", plan="dental.plan",
         client="dental", title="Immutable offsite backup vault", category="backup_dr",
         goals=["dental.backups"], priority="medium", days_ahead=300, one_time=8500,
         monthly=[75, 6]),
    step(404, "dental: initiative", "initiative", key="dental.i.mfa", plan="dental.plan",
         client="dental", title="MFA and disk encryption on every workstation",
         category="security", goals=["dental.records"], priority="high", days_ahead=90,
         one_time=4200, monthly=[6, 48]),
    step(404, "dental: initiative", "initiative", key="dental.i.imaging", plan="dental.plan",
         client="dental", title="Imaging archive to cloud storage", category="cloud",
         goals=["dental.imaging"], priority="medium", days_ahead=300, one_time=12000,
         monthly=[310, 1]),
    step(396, "dental: approve", "approve_initiative", plan="dental.plan",
         initiative="dental.i.mfa",
         rationale="HIPAA audit finding from last year; approved as proposed."),
    step(299, "dental: pull forward", "change_initiative", plan="dental.plan",
         initiative="dental.i.backup", client="dental",
         rationale="Ransomware incident at a peer practice: the backup vault is pulled forward "
                   "and becomes critical.",
         days_ahead=30, priority="critical"),
    step(299, "dental: client key", "client_key", key="dental.partner", client="dental",
         name="Dr. Maria Okafor, managing partner (Brightsmile)"),
    step(297, "dental: client approves", "approve_initiative", plan="dental.plan",
         initiative="dental.i.backup",
         rationale="We saw what two weeks without records did to a colleague's practice. "
                   "Approved: this comes before anything else this year.",
         by="dental.partner"),
    step(280, "dental: start", "start_initiative", plan="dental.plan",
         initiative="dental.i.backup",
         rationale="Vault contract signed; rollout starts at the main practice."),
]

# The manufacturer's plan: the ERP upgrade approved, the segmentation project moved out by a
# budget freeze.
MANUFACTURER_PLAN: Chapter = [
    step(365, "mfg: plan", "plan", key="mfg.plan", client="mfg", strategy="mfg.strategy",
         title="Plant IT plan"),
    step(364, "mfg: initiative", "initiative", key="mfg.i.segmentation", plan="mfg.plan",
         client="mfg", title="Firewall and VLANs between OT and office networks",
         category="network", goals=["mfg.segmentation"], priority="high", days_ahead=120,
         one_time=38000),
    step(364, "mfg: initiative", "initiative", key="mfg.i.erp", plan="mfg.plan", client="mfg",
         title="ERP upgrade to the supported release", category="software", goals=["mfg.erp"],
         priority="high", days_ahead=270, one_time=65000, monthly=[95, 40]),
    step(235, "mfg: approve", "approve_initiative", plan="mfg.plan", initiative="mfg.i.erp",
         rationale="CFO approved: vendor end of support moved forward, no room to wait."),
    step(200, "mfg: budget freeze", "change_initiative", plan="mfg.plan",
         initiative="mfg.i.segmentation", client="mfg",
         rationale="Budget freeze after the loss of a major customer contract: capital projects "
                   "other than the ERP wait two quarters.",
         days_ahead=200),
]

# The dental budget: submitted, rejected at the client's review, the imaging line cut, approved by
# the managing partner, then the first invoice booked.
DENTAL_BUDGET: Chapter = [
    step(290, "dental: budget", "budget", key="dental.budget", client="dental", plan="dental.plan",
         title="IT budget", fiscal_year_in_days=60),
    step(290, "dental: line", "line", key="dental.l.vault", budget="dental.budget",
         category="backup_dr", quarter="Q2", amount=8500, kind="capex",
         description="Backup vault appliance and setup", initiative="dental.i.backup"),
    step(290, "dental: line", "line", key="dental.l.vault_fee", budget="dental.budget",
         category="backup_dr", quarter="Q3", amount=1350, kind="opex",
         description="Vault subscription, 6 practices", initiative="dental.i.backup"),
    step(290, "dental: line", "line", key="dental.l.mfa", budget="dental.budget",
         category="security", quarter="Q2", amount=4200, kind="capex",
         description="MFA tokens and encryption rollout", initiative="dental.i.mfa"),
    step(290, "dental: line", "line", key="dental.l.imaging", budget="dental.budget",
         category="cloud", quarter="Q4", amount=12000, kind="capex",
         description="Imaging archive migration", initiative="dental.i.imaging"),
    step(289, "dental: submit", "budget_action", budget="dental.budget", action="submit",
         rationale="For the partners' review at the quarterly meeting."),
    step(283, "dental: client rejects", "budget_action", budget="dental.budget", action="reject",
         rationale="Too much capital this year with the new practice opening: cut the imaging "
                   "migration to a first phase.",
         by="dental.partner"),
    step(282, "dental: cut line", "cut_line", budget="dental.budget", line="dental.l.imaging",
         amount=5000,
         rationale="Cut after the client's review: phase 1 only (two practices), the rest next "
                   "year."),
    step(282, "dental: resubmit", "budget_action", budget="dental.budget", action="submit",
         rationale="Imaging reduced to phase 1 as the partners asked."),
    step(280, "dental: client approves budget", "budget_action", budget="dental.budget",
         action="approve", rationale="Approved with the reduced imaging phase. Backups first.",
         by="dental.partner"),
    step(250, "dental: actual", "actual", budget="dental.budget", line="dental.l.vault",
         amount=8130, note="Vault appliance invoice (below estimate)"),
]
# fmt: on
