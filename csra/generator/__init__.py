"""The synthetic sample-company generator behind `python -m csra.generate`.

Pipeline, one module per step:
  config    the knobs (segment mix, churn, prices, currencies, plans, features)
  accounts  latent truths per account (arrival, plan, seats, time to value, churn risk)
  billing   month-by-month lifecycle -> customers, subscriptions, price phases
  timeline  per account-month active spans and the run-up to a stop
  crm       users, accounts, contracts, opportunities, milestones, cases, activities
  survey    NPS / CSAT / CES responses
  product   event counts per account-month, expanded to events inside DuckDB
  tables    writes each raw contract table (ids, dates, timestamps) via writer
"""
