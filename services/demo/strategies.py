"""The demo's story of clients and their strategies, as data: `step(days ago, what, action,
arguments)`, read by services/demo/runner.py. Keys (`"dental.strategy"`) name what an earlier
step made; priorities and categories are spelled as the API spells them."""

from __future__ import annotations

from services.demo.runner import Chapter, step

# The story reads as a table of steps: kept as written.
# fmt: off

# A dental group: adopted strategy, a goal raised to critical after a peer's ransomware incident,
# a goal retired because a vendor now covers it.
DENTAL: Chapter = [
    step(430, "dental: client", "client", key="dental", name="Brightsmile Dental Group"),
    step(425, "dental: strategy", "strategy", key="dental.strategy", client="dental",
         title="IT strategy 2025-2027",
         vision="Six practices that never lose a patient record or a day of appointments, on "
                "systems the office managers can run without calling us.",
         rationale="Kick-off workshop with the managing partners"),
    step(425, "dental: goal", "goal", key="dental.records", strategy="dental.strategy",
         title="Protect patient records (HIPAA)", priority="high",
         description="Encryption at rest, MFA on the practice-management system, audit trail."),
    step(425, "dental: goal", "goal", key="dental.backups", strategy="dental.strategy",
         title="Immutable backups with tested restores", priority="medium",
         description="Offsite, immutable copies of the practice-management database and imaging."),
    step(425, "dental: goal", "goal", key="dental.imaging", strategy="dental.strategy",
         title="Move the imaging archive off the on-premises NAS", priority="medium"),
    step(425, "dental: goal", "goal", key="dental.portal", strategy="dental.strategy",
         title="Self-service patient portal", priority="low",
         description="Online booking, forms and reminders."),
    step(424, "dental: principle", "principle", key="dental.p1", strategy="dental.strategy",
         statement="Cloud first for new systems, unless imaging latency rules it out."),
    step(424, "dental: principle", "principle", key="dental.p2", strategy="dental.strategy",
         statement="Every system has a named owner and a restore tested each quarter."),
    step(410, "dental: adopt", "adopt", strategy="dental.strategy",
         rationale="Approved by the managing partners at the annual review."),
    step(300, "dental: reprioritize", "reprioritize", strategy="dental.strategy",
         goal="dental.backups", priority="critical",
         rationale="Ransomware incident at a peer practice in the region: two weeks of paper "
                   "charts and no usable backup. The partners asked for immutable backups first."),
    step(300, "dental: reword", "reword", strategy="dental.strategy", goal="dental.backups",
         rationale="Restores must be proven, not assumed: monthly restore drill added to the "
                   "goal.",
         description="Offsite, immutable copies of the practice-management database and imaging, "
                     "with a monthly restore drill reported to the partners."),
    step(180, "dental: retire", "retire", strategy="dental.strategy", goal="dental.portal",
         rationale="The practice-management vendor now ships online booking and forms; no custom "
                   "portal is needed."),
]

# A law firm (EUR, fiscal year from July): a first strategy, a merger, a rename and a second
# strategy that supersedes the first.
LAW_FIRM: Chapter = [
    step(400, "law: client", "client", key="law", name="Keller & Brandt Rechtsanwälte",
         fiscal_year_start_month=7, currency="EUR"),
    step(398, "law: strategy", "strategy", key="law.strategy", client="law",
         title="Digital practice 2025",
         vision="A paperless firm whose partners work securely from court, home and office."),
    step(398, "law: goal", "goal", key="law.dms", strategy="law.strategy",
         title="GDPR-compliant document management", priority="high",
         description="One document management system with retention rules per matter."),
    step(398, "law: goal", "goal", key="law.remote", strategy="law.strategy",
         title="Secure remote work for partners", priority="high"),
    step(398, "law: goal", "goal", key="law.fileserver", strategy="law.strategy",
         title="Replace the end-of-life file server", priority="medium"),
    step(397, "law: principle", "principle", key="law.p1", strategy="law.strategy",
         statement="Client data stays in EU data centres."),
    step(390, "law: adopt", "adopt", strategy="law.strategy",
         rationale="Signed off by the partners' meeting; budget follows in the fiscal year plan."),
    step(200, "law: rename", "update_client", key="law",
         rationale="Merger with Hartmann Partner completed; new firm name registered.",
         name="Keller Brandt Hartmann Rechtsanwälte"),
    step(150, "law: strategy 2", "strategy", key="law.strategy2", client="law",
         title="Post-merger IT strategy 2026-2028",
         vision="One firm on one platform: a single document system, identity and phone system "
                "for both offices.",
         rationale="The merger doubled the headcount and brought a second office and IT estate."),
    step(150, "law: goal", "goal", key="law2.consolidate", strategy="law.strategy2",
         title="Consolidate both offices onto one tenant and DMS", priority="critical"),
    step(150, "law: goal", "goal", key="law2.remote", strategy="law.strategy2",
         title="Secure remote work for all fee earners", priority="high"),
    step(150, "law: goal", "goal", key="law2.telephony", strategy="law.strategy2",
         title="Replace both phone systems with one cloud PBX", priority="medium"),
    step(149, "law: principle", "principle", key="law2.p1", strategy="law.strategy2",
         statement="Client data stays in EU data centres."),
    step(149, "law: principle", "principle", key="law2.p2", strategy="law.strategy2",
         statement="No matter data on personal devices; managed devices only."),
    step(140, "law: adopt 2", "adopt", strategy="law.strategy2",
         rationale="Adopted by the merged partnership; replaces the pre-merger strategy."),
]

# A manufacturer: the ERP deadline becomes critical, Wi-Fi is retired for a wired plan.
MANUFACTURER: Chapter = [
    step(380, "mfg: client", "client", key="mfg", name="Northwind Precision Manufacturing",
         fiscal_year_start_month=10),
    step(375, "mfg: strategy", "strategy", key="mfg.strategy", client="mfg",
         title="Plant IT roadmap",
         vision="Keep the lines running: a segmented plant network, a supported ERP and "
                "visibility of machine data."),
    step(375, "mfg: goal", "goal", key="mfg.segmentation", strategy="mfg.strategy",
         title="Segment the OT network from office IT", priority="high"),
    step(375, "mfg: goal", "goal", key="mfg.erp", strategy="mfg.strategy",
         title="Upgrade the ERP before the vendor ends support", priority="medium"),
    step(375, "mfg: goal", "goal", key="mfg.wifi", strategy="mfg.strategy",
         title="Shop-floor Wi-Fi coverage for handheld scanners", priority="medium"),
    step(375, "mfg: goal", "goal", key="mfg.data", strategy="mfg.strategy",
         title="Machine data dashboards for the plant manager", priority="low"),
    step(370, "mfg: adopt", "adopt", strategy="mfg.strategy",
         rationale="Approved by the CFO and plant manager at the quarterly business review."),
    step(240, "mfg: reprioritize", "reprioritize", strategy="mfg.strategy", goal="mfg.erp",
         priority="critical",
         rationale="The ERP vendor moved end of support forward by a year; unsupported after the "
                   "next fiscal year."),
    step(120, "mfg: retire", "retire", strategy="mfg.strategy", goal="mfg.wifi",
         rationale="Scanner vendor switched to docked devices; wired stations at each line "
                   "replace the Wi-Fi project."),
    step(60, "mfg: reprioritize", "reprioritize", strategy="mfg.strategy", goal="mfg.data",
         priority="medium",
         rationale="Plant manager wants scrap rates per line before the next customer audit."),
]

# A small client whose first strategy is still a draft.
PROPERTY_MANAGER: Chapter = [
    step(45, "pm: client", "client", key="pm", name="Harbor View Property Management",
         currency="CAD"),
    step(30, "pm: strategy", "strategy", key="pm.strategy", client="pm",
         title="First IT strategy (draft)",
         vision="Tenants and owners served online; staff work from any building."),
    step(30, "pm: goal", "goal", key="pm.m365", strategy="pm.strategy",
         title="Move mail and files to Microsoft 365", priority="high"),
    step(30, "pm: goal", "goal", key="pm.portal", strategy="pm.strategy",
         title="Online maintenance requests for tenants", priority="medium"),
]
# fmt: on
