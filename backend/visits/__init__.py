"""Door-to-door visits (走访入户): offline-safe batch sync, findings that become work, visit cycles,
coverage and the worker's to-do list.

Who visits: users with a `grid_worker` grant on scope_type "grid" (every household of the grid) or
a `building_chief` grant (楼栋长) on scope_type "building" (the households of that building).
"""
