// Grid issue categories and urgencies, as backend/issues/state.py has them (a test checks them
// against openapi/openapi.json, so the form cannot offer what the server refuses).
const { FINDING_KIND } = require('./glossary')

// (the first two are the same words as the visit findings they come from)
const CATEGORIES = [
  { code: 'hazard', label: FINDING_KIND.hazard },
  { code: 'dispute', label: FINDING_KIND.dispute },
  { code: 'environment', label: '环境卫生' },
  { code: 'facility', label: '设施损坏' },
  { code: 'illegal_building', label: '违章搭建' },
  { code: 'market', label: '市场秩序' },
  { code: 'public_order', label: '治安问题' },
  { code: 'other', label: '其他' },
]

const URGENCIES = [
  { code: 'normal', label: '一般', hint: '部门默认 2 个工作小时内响应' },
  { code: 'urgent', label: '紧急', hint: '部门默认 30 个工作分钟内响应' },
]

module.exports = { CATEGORIES, URGENCIES }
