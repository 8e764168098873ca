"""The monthly deliberation day (党群议事日, the 10th, moved to the next working day) and the other
meetings (恳谈会, 例会): the agenda residents' suggestions, accepted proposals, residents' topics
(征集议题) and staff feed; meetings with items, attendance, outcomes and minutes; the nine-step
method (九步议事法) derived from the data. A proposal's side of a meeting is in backend/proposals."""
