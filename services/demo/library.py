"""The demo MSP's standards library, as data: what every managed client should have, with
the initiative that closes each gap and what it costs (USD, major units; `monthly` is
(price, quantity)). Written the way an MSP's vCIO writes them: a short name, the question
asked at the assessment, a weight for the score and how bad a gap is."""

from __future__ import annotations

from services.demo.runner import Chapter, step

# The library reads as a table: kept as written.
# fmt: off

LIBRARY: Chapter = [
    # ---- backup and disaster recovery
    step(215, "library", "standard", key="std.immutable", category="backup_dr", weight=10,
         severity="critical", title="Immutable offsite backups of every server and SaaS tenant",
         question="Is there an object-locked or air-gapped copy offsite that an admin account "
                  "cannot delete?",
         template={"title": "Immutable offsite backup vault", "category": "backup_dr",
                   "priority": "critical", "one_time": 3500, "monthly": [15, 8],
                   "description": "Backups copied to an object-locked vault in another region. "
                                  "Ransomware that takes the network cannot reach them, so the "
                                  "business restores in days, not weeks, and without paying."}),
    step(215, "library", "standard", key="std.restores", category="backup_dr", weight=8,
         severity="high", title="Restores tested every quarter",
         question="Was a full restore of a critical system tested and timed in the last 90 "
                  "days?",
         template={"title": "Quarterly restore testing", "category": "backup_dr",
                   "priority": "high", "monthly": [250, 1],
                   "description": "Each quarter we restore one critical system into an isolated "
                                  "network, time it against the agreed recovery time and report "
                                  "the result. A backup nobody restored is a hope, not a plan."}),
    step(215, "library", "standard", key="std.saas_backup", category="backup_dr", weight=7,
         severity="high", title="Microsoft 365 mailboxes, OneDrive and SharePoint backed up",
         question="Is Microsoft 365 backed up by a third-party service with 1-year retention?",
         template={"title": "Microsoft 365 backup", "category": "backup_dr", "priority": "high",
                   "monthly": [3, 40],
                   "description": "Microsoft keeps deleted items for weeks, not years. A backup "
                                  "of mail, OneDrive and SharePoint lets us restore what a user, "
                                  "an attacker or a sync error deleted."}),
    step(215, "library", "standard", key="std.dr_plan", category="backup_dr", weight=6,
         severity="medium", title="Disaster recovery plan with agreed recovery times",
         question="Is there a written DR plan with RTO/RPO signed off by the business?",
         template={"title": "Disaster recovery plan and tabletop exercise",
                   "category": "backup_dr", "priority": "medium", "one_time": 4800,
                   "description": "We write down who does what when the office or the servers "
                                  "are gone, agree how long each system may be down, and "
                                  "rehearse it once with the leadership team."}),
    # ---- security
    step(215, "library", "standard", key="std.mfa", category="security", weight=10,
         severity="critical", title="MFA on email, remote access and every admin account",
         question="Do all users and admins need a second factor for email, VPN and consoles?",
         template={"title": "MFA rollout with conditional access", "category": "security",
                   "priority": "critical", "one_time": 1500,
                   "description": "Stolen passwords are the most common way in. A second factor "
                                  "on every sign-in stops them, and is required by every cyber "
                                  "insurer we work with."}),
    step(215, "library", "standard", key="std.edr", category="security", weight=9,
         severity="critical", title="EDR on every endpoint, watched around the clock",
         question="Does every workstation and server run EDR whose alerts a SOC answers 24/7?",
         template={"title": "Managed detection and response (EDR + 24/7 SOC)",
                   "category": "security", "priority": "high", "monthly": [11, 45],
                   "description": "Antivirus catches known files; EDR catches behaviour, and a "
                                  "security operations centre isolates a machine at 3 a.m. "
                                  "before the attack spreads."}),
    step(215, "library", "standard", key="std.patching", category="security", weight=8,
         severity="high", title="Security patches within 14 days (30 for servers)",
         question="Are OS and third-party patches applied within 14 days on workstations?",
         template={"title": "Managed patching with monthly reporting", "category": "security",
                   "priority": "high", "monthly": [4, 45],
                   "description": "Patches tested and rolled out on a schedule, third-party "
                                  "applications included, with a monthly compliance report."}),
    step(214, "library", "standard", key="std.dmarc", category="security", weight=6,
         severity="high", title="Email authenticated: SPF, DKIM and DMARC enforced",
         question="Is DMARC at p=quarantine or p=reject for every sending domain?",
         template={"title": "Email authentication to DMARC reject", "category": "security",
                   "priority": "medium", "one_time": 1200,
                   "description": "Stops criminals sending invoices that look like they come "
                                  "from your own domain, and improves delivery of your mail."}),
    step(214, "library", "standard", key="std.admins", category="security", weight=7,
         severity="high", title="Admin accounts separate from daily accounts, reviewed quarterly",
         question="Do admins use separate privileged accounts, reviewed every quarter?",
         template={"title": "Privileged access cleanup", "category": "security",
                   "priority": "high", "one_time": 2400,
                   "description": "Separate admin accounts, no shared passwords, a quarterly "
                                  "review of who can do what: the keys to the kingdom kept "
                                  "short and accounted for."}),
    step(214, "library", "standard", key="std.awareness", category="training", weight=5,
         severity="medium", title="Security awareness training and phishing simulations",
         question="Does every employee train yearly and receive simulated phishing monthly?",
         template={"title": "Security awareness program", "category": "training",
                   "priority": "medium", "monthly": [3, 40],
                   "description": "Short monthly lessons and simulated phishing, with a report "
                                  "of who clicks. Most breaches still start with an email."}),
    # ---- hardware lifecycle
    step(214, "library", "standard", key="std.workstations", category="hardware", weight=5,
         severity="medium", title="Workstations under five years old and under warranty",
         question="Is every workstation younger than five years and covered by warranty?",
         template={"title": "Workstation refresh (oldest quarter of the fleet)",
                   "category": "hardware", "priority": "medium", "one_time": 13800,
                   "description": "Replacing the oldest machines each year keeps the fleet "
                                  "supported, spreads the cost evenly and ends the slow-PC "
                                  "tickets."}),
    step(214, "library", "standard", key="std.servers", category="hardware", weight=7,
         severity="high", title="Servers and storage under vendor support",
         question="Is every server and storage array under a vendor support contract?",
         template={"title": "Server and storage replacement", "category": "hardware",
                   "priority": "high", "one_time": 18500,
                   "description": "Hardware out of support gets no firmware fixes and no "
                                  "next-day parts. Replacing it before it fails avoids an "
                                  "outage with no end date."}),
    step(214, "library", "standard", key="std.ups", category="hardware", weight=3,
         severity="low", title="UPS on every server and network rack, batteries under 4 years",
         question="Do all racks have a UPS with batteries under four years old?",
         template={"title": "UPS battery replacement", "category": "hardware",
                   "priority": "low", "one_time": 900,
                   "description": "Fresh batteries so a power cut shuts systems down cleanly "
                                  "instead of corrupting them."}),
    # ---- network
    step(213, "library", "standard", key="std.firewall", category="network", weight=8,
         severity="high", title="Firewall under support, firmware current, subscriptions active",
         question="Is the firewall supported, patched and licensed for threat protection?",
         template={"title": "Next-generation firewall replacement", "category": "network",
                   "priority": "high", "one_time": 4200, "monthly": [85, 1],
                   "description": "The front door of the network, replaced with a supported "
                                  "model with intrusion prevention and web filtering."}),
    step(213, "library", "standard", key="std.segmentation", category="network", weight=6,
         severity="medium", title="Guest, IoT and business networks separated",
         question="Are guests, cameras and other devices kept off the business network?",
         template={"title": "Network segmentation (VLANs and rules)", "category": "network",
                   "priority": "medium", "one_time": 3200,
                   "description": "Separate networks so a compromised camera or a visitor's "
                                  "laptop cannot reach the file server."}),
    step(213, "library", "standard", key="std.wifi", category="network", weight=3,
         severity="low", title="Business-grade Wi-Fi, centrally managed",
         question="Is Wi-Fi on managed access points with WPA3 or 802.1X?",
         template={"title": "Managed Wi-Fi access points", "category": "network",
                   "priority": "low", "one_time": 2600, "monthly": [12, 6],
                   "description": "Coverage where people work, one place to manage it, and "
                                  "no shared password on a sticky note."}),
    # ---- cloud
    step(213, "library", "standard", key="std.files", category="cloud", weight=6,
         severity="medium", title="Company files in managed cloud storage, not personal accounts",
         question="Are company files in SharePoint/OneDrive, with no personal Dropbox in use?",
         template={"title": "File server migration to SharePoint", "category": "cloud",
                   "priority": "medium", "one_time": 6500,
                   "description": "Files reachable from anywhere, versioned and backed up, and "
                                  "they stay with the company when someone leaves."}),
    step(213, "library", "standard", key="std.conditional", category="cloud", weight=5,
         severity="medium", title="Cloud sign-ins limited by conditional access and alerts",
         question="Do risky sign-ins and new admin roles raise alerts someone reads?",
         template={"title": "Conditional access and alerting baseline", "category": "cloud",
                   "priority": "medium", "one_time": 1800,
                   "description": "Block sign-ins from countries you don't work in and old "
                                  "protocols, and alert us when someone becomes an admin."}),
    # ---- compliance
    step(212, "library", "standard", key="std.policy", category="compliance", weight=4,
         severity="medium", title="Written information security policy, reviewed yearly",
         question="Is there a security policy the owner signed in the last 12 months?",
         template={"title": "Information security policy pack", "category": "compliance",
                   "priority": "medium", "one_time": 2500,
                   "description": "The policies insurers, auditors and large customers ask "
                                  "for, written for your business and reviewed each year."}),
    step(212, "library", "standard", key="std.inventory", category="compliance", weight=4,
         severity="low", title="Asset inventory complete and reconciled monthly",
         question="Does the inventory match what the RMM sees, checked every month?",
         template={"title": "Asset inventory with monthly reconciliation",
                   "category": "compliance", "priority": "low", "monthly": [60, 1],
                   "description": "Every device and licence accounted for: nothing unmanaged on "
                                  "the network, nothing paid for twice."}),
    step(212, "library", "standard", key="std.insurance", category="compliance", weight=4,
         severity="medium", title="Cyber insurance in force, its security questions truthful",
         question="Would every answer on the cyber insurance application hold up today?"),
]
# fmt: on
