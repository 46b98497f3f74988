"""Layer 6, the workflow after the decision: review and sign-off with its stored report (review),
follow-up of measures (followup), the portfolio (portfolio) and the command line (cli). The only
part of the core that may use both the store and the report."""
