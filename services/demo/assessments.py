"""The demo's assessments, as data: the dental group assessed twice a quarter apart (its
findings became initiatives in between and the score moved), the manufacturer once."""

from __future__ import annotations

from services.demo.runner import Chapter, step

# The story reads as a table of steps: kept as written.
# fmt: off

A, M, N = "aligned", "misaligned", "not_applicable"

DENTAL_BASELINE = {
    "std.immutable": A, "std.restores": M, "std.saas_backup": M, "std.dr_plan": M,
    "std.mfa": A, "std.edr": M, "std.patching": A, "std.dmarc": M, "std.admins": A,
    "std.awareness": M, "std.workstations": A, "std.servers": N, "std.ups": A,
    "std.firewall": A, "std.segmentation": M, "std.wifi": A, "std.files": A,
    "std.conditional": M, "std.policy": A, "std.inventory": A, "std.insurance": M,
}
DENTAL_FOLLOW_UP = {
    **DENTAL_BASELINE,
    "std.restores": A, "std.edr": A, "std.dmarc": A, "std.awareness": A,
    "std.conditional": A, "std.insurance": A,
}
MFG_BASELINE = {
    "std.immutable": M, "std.restores": M, "std.saas_backup": A, "std.dr_plan": M,
    "std.mfa": A, "std.edr": A, "std.patching": M, "std.dmarc": A, "std.admins": M,
    "std.awareness": N, "std.workstations": A, "std.servers": M, "std.ups": M,
    "std.firewall": M, "std.segmentation": M, "std.wifi": N, "std.files": A,
    "std.conditional": A, "std.policy": M, "std.inventory": A, "std.insurance": A,
}

DENTAL_ASSESSMENTS: Chapter = [
    step(200, "dental: assessment", "assessment", key="dental.assess1", client="dental",
         title="Baseline assessment"),
    step(200, "dental: answers", "answers", assessment="dental.assess1",
         results=DENTAL_BASELINE,
         notes={"std.restores": "No restore test on record since the vault went live.",
                "std.edr": "Antivirus only; nobody sees alerts after hours.",
                "std.dmarc": "No DMARC record: a fake invoice from the practice's domain "
                             "reached two patients last month.",
                "std.servers": "No servers: the practice-management system is hosted.",
                "std.segmentation": "Imaging devices and guest Wi-Fi share the office network."}),
    step(199, "dental: complete", "complete_assessment", assessment="dental.assess1",
         rationale="Baseline walked through with Dr. Okafor and the office managers."),
    step(198, "dental: finding", "propose_finding", key="dental.i.restores",
         assessment="dental.assess1", standard="std.restores", plan="dental.plan",
         client="dental", goals=["dental.backups"], days_ahead=45,
         rationale="The vault is only worth what a tested restore proves."),
    step(198, "dental: finding", "propose_finding", key="dental.i.edr",
         assessment="dental.assess1", standard="std.edr", plan="dental.plan", client="dental",
         goals=["dental.records"], days_ahead=60,
         rationale="Ransomware at a peer practice started on an unwatched workstation."),
    step(198, "dental: finding", "propose_finding", key="dental.i.dmarc",
         assessment="dental.assess1", standard="std.dmarc", plan="dental.plan",
         client="dental", goals=["dental.records"], days_ahead=30,
         rationale="Spoofed invoices already reached patients."),
    step(190, "dental: client approves", "approve_initiative", plan="dental.plan",
         initiative="dental.i.edr",
         rationale="Approved after the baseline: we want someone watching at night.",
         by="dental.partner"),
    step(188, "dental: approve", "approve_initiative", plan="dental.plan",
         initiative="dental.i.dmarc", rationale="Small, quick and overdue."),
    step(185, "dental: QBR", "review", key="dental.qbr", client="dental",
         title="Quarterly business review",
         summary="Baseline assessment presented (score below). Restore testing, EDR and DMARC "
                 "added to the plan; EDR and DMARC approved.",
         attendees=["Dr. Maria Okafor", "Office managers", "vCIO"]),
    step(95, "dental: follow-up", "assessment", key="dental.assess2", client="dental",
         title="Quarterly follow-up assessment"),
    step(95, "dental: answers", "answers", assessment="dental.assess2",
         results=DENTAL_FOLLOW_UP,
         notes={"std.restores": "Restore of the practice-management database timed at 3h40.",
                "std.edr": "MDR live on all 48 endpoints since last month.",
                "std.saas_backup": "Still relying on Microsoft's retention only."}),
    step(94, "dental: complete", "complete_assessment", assessment="dental.assess2",
         rationale="Follow-up after the EDR and DMARC projects; reviewed with the partners."),
    step(93, "dental: finding", "propose_finding", key="dental.i.m365",
         assessment="dental.assess2", standard="std.saas_backup", plan="dental.plan",
         client="dental", goals=["dental.backups"], days_ahead=60,
         rationale="The last backup gap: mail and OneDrive."),
]

MFG_ASSESSMENTS: Chapter = [
    step(110, "mfg: assessment", "assessment", key="mfg.assess1", client="mfg",
         title="Plant baseline assessment"),
    step(110, "mfg: answers", "answers", assessment="mfg.assess1", results=MFG_BASELINE,
         notes={"std.segmentation": "Planned (OT/office firewall project), deferred by the "
                                    "budget freeze.",
                "std.servers": "ERP server out of vendor support since March.",
                "std.immutable": "Backups on a NAS in the server room, same domain."}),
    step(109, "mfg: complete", "complete_assessment", assessment="mfg.assess1",
         rationale="Walked through with the plant manager and the CFO."),
    step(108, "mfg: finding", "propose_finding", key="mfg.i.servers", assessment="mfg.assess1",
         standard="std.servers", plan="mfg.plan", client="mfg", goals=["mfg.erp"],
         days_ahead=120, rationale="The ERP upgrade needs supported hardware under it."),
    step(108, "mfg: finding", "propose_finding", key="mfg.i.immutable",
         assessment="mfg.assess1", standard="std.immutable", plan="mfg.plan", client="mfg",
         goals=["mfg.erp"], days_ahead=90,
         rationale="The ERP database is the plant's memory; today one ransomware run erases "
                   "it and its backups."),
]
# fmt: on
