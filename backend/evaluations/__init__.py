"""Cascaded evaluation (党群评小区、小区评社区、社区评部门) and department sign-in (部门下沉签到)."""
