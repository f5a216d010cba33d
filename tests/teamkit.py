"""A team's private knowledge folder (guidance, measures, examples) for the tenancy tests, with words no other
knowledge uses, so a search or a proposal that finds them found the team's own."""

from __future__ import annotations

from pathlib import Path

GUIDANCE = """\
---
id: zebra-playbook
title: Zebra squad playbook
sources:
  - "Zebra squad internal playbook (2026)"
tags: [team]
audience: [everyone]
---

# Zebra squad playbook

## Stripe rule

In the zebra squad every stripe-counting release must name the herd behaviour it changes.
"""
MEASURES = """\
domain: zebra-herding
measures:
  - id: zebra-herd-crossings
    name: Zebra herds crossing the river unaided
    definition: Share of {who} that cross the Mara river without ranger escort in the migration season.
    calculation: herds crossing without escort ÷ herds crossing × 100
    unit: percent
    direction: increase
    kind: lagging
    who: zebra herds
    data_sources: [ranger crossing logs]
    data_owner: head ranger
    cadence: each migration season
    outcome_themes: [zebra herds cross the river safely, herds migrate without escort]
    gaming_risk: Rangers may log escorted crossings as unaided.
    balancing_measure: Zebra losses at the crossing per season.
    keywords: [zebra, herd, river crossing, migration, stripes]
    domain: zebra-herding
  - id: zebra-stripe-checks
    name: Zebra stripe checks passed at the watering hole
    definition: Share of {who} whose stripe pattern is checked and matched at the watering hole each week.
    calculation: zebras matched ÷ zebras seen at the watering hole × 100
    unit: percent
    direction: increase
    kind: leading
    who: zebras
    data_sources: [camera traps at the watering hole]
    data_owner: zebra squad lead
    cadence: weekly
    outcome_themes: [zebra herds cross the river safely, rangers know every zebra]
    gaming_risk: Counting the same zebra twice raises the share.
    balancing_measure: Zebras never seen at the watering hole.
    keywords: [zebra, stripes, watering hole, camera trap]
    domain: zebra-herding
"""
EXAMPLES = [
    ("Paint the zebra crossing signs for the ranger station", "outcome"),  # the team's own convention
    ("Zebra herds cross the Mara river without ranger escort", "outcome"),
]


def team_folder(root: Path) -> Path:
    """A knowledge folder in `root` holding the zebra squad's guidance, measures and examples."""
    for sub in ("guidance", "measures", "examples"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "guidance" / "zebra.md").write_text(GUIDANCE, "utf-8")
    (root / "measures" / "zebra.yaml").write_text(MEASURES, "utf-8")
    lines = [f'{{"text": "{t}", "label": "{lab}", "domain": "zebra-herding"}}' for t, lab in EXAMPLES]
    (root / "examples" / "zebra.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return root
