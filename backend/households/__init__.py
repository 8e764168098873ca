"""The household register (户籍台账): who lives in each household, care tags, ledger import/export.

Households themselves (grid → building → unit → room) belong to the org tree (backend/org); this
package adds what a grid worker's paper ledger holds about them.

Where each rule lives:
- scope.py          RegisterScope: which households a grid worker, building chief or admin sees,
                    and whose phones they see in full
- policy.py         the checks made with it (a grid filter, one household) and the dependencies
- register.py       reading a page of the register; replacing one household's entry
- ledger_import.py  applying an .xlsx ledger, row by row, idempotently
- ledger_export.py  the register as ledger rows
- ledger.py         reading and writing the .xlsx sheet itself (synchronous, in a worker thread)
- requesters.py     whom a wish filed from a visit is for (accounts made for residents without one)
- verification.py   住户认证 against the register: the WeChat phone match, the staff queue (the
                    claims themselves are people's); verify_router.py its routes
- views.py          the responses; router.py the HTTP layer
"""
