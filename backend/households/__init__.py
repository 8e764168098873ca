"""The household register (户籍台账): who lives in each household, care tags, ledger import/export.

Households themselves (grid → building → unit → room) belong to the org tree (backend/org); this
package adds what a grid worker's paper ledger holds about them.
"""
