// Fixture data for 年度计划 and 项目评估 (pages/project/plan, pages/project/reviews), shaped as
// openapi.json's PlanSummaryOut, AnnualPlanOut and ReviewRowOut.
const pj = require('./projects')

function planRow(o = {}) {
  return Object.assign(
    {
      compound_id: 1,
      compound_name: '锦华苑',
      community_id: 1,
      community_name: '和谐社区',
      year: 2026,
      plan_id: 7,
      status: 'draft',
      status_label: '编制中',
      reason: null,
      key_count: 3,
      key_required: 4,
      actions: ['edited', 'submitted'],
    },
    o
  )
}

const planned = (o) => pj.project(Object.assign({ status: 'planned', status_label: '计划中', progress: 0, source: 'plan', source_id: 7, plan_id: 7 }, o))

function plan(o = {}) {
  return Object.assign(
    {
      id: 7,
      compound_id: 1,
      year: 2026,
      status: 'draft',
      status_label: '编制中',
      reason: null,
      key_count: 3,
      key_required: 4,
      projects: [
        planned({ id: 3, title: '楼道照明改造', undertaker: '锦华苑党支部' }),
        planned({ id: 4, title: '二号楼加装扶手', undertaker: '和谐社区志愿服务队' }),
        planned({ id: 5, title: '小区健身角翻新', undertaker: '锦华苑物业' }),
        planned({ id: 6, title: '停车位重新划线', key: false, undertaker: '锦华苑物业' }),
      ],
      actions: ['edited', 'submitted'],
    },
    o
  )
}

function review(o = {}) {
  return Object.assign({ kind: 'midyear', kind_label: '年中观摩评估', score: 88, note: '按期推进', at: pj.at(-24 * 30) }, o)
}

function reviewRow(o = {}, reviews = []) {
  const p = Object.assign({}, o)
  delete p.place_name
  return { project: pj.project(p), place_name: o.place_name || '锦华苑', reviews }
}

module.exports = { planRow, plan, planned, review, reviewRow }
