"""The quarterly 小区评议会: its rating sheet, the attendees' ratings, and the reviewed, frozen results."""
