"""Flows: actions that move two domains at once (a wish and its order), and the sweeps over them.
Flows may import any domain service; no domain imports flows."""
