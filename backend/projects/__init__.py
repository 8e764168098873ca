"""Projects (联动执行): a compound's or community's project from an adopted proposal, the annual plan
or the three lists; its tasks for co-executors on working-day clocks, weighted milestones, funding
lines by source, the compound's annual plan and the community's mid-year and year-end reviews."""
