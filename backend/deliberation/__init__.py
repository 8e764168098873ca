"""The monthly deliberation day (党群议事日, the 10th): the agenda residents' suggestions go to.
Only the agenda item list exists yet; the nine-step method comes with the deliberation feature."""
