"""How large an aggregate may grow (API.md, "Limits and fairness").

Every aggregate is loaded whole for each command and each single-resource read, so its size
is bounded: beyond these, a command is refused with 422 `limit-exceeded`.
"""

INITIATIVES_PER_PLAN = 1_000
LINES_PER_BUDGET = 2_000
ACTUALS_PER_BUDGET = 20_000
GOALS_PER_STRATEGY = 200
PRINCIPLES_PER_STRATEGY = 200
WEBHOOKS_PER_TENANT = 50
KEYS_PER_TENANT = 1_000  # not revoked
STANDARDS_PER_ASSESSMENT = 500
