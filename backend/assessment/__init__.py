"""The department assessment (部门年度综合考核) and the 头雁领航·夺旗摘星 competition: reporting over
the escalation figures, the cascaded evaluation, the sign-in and the communities' figures."""
