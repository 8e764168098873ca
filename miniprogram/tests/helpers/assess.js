// Fixtures of the assessment pages (pages/assess), in the shapes GET /api/v1/assessments/departments
// and GET /api/v1/competition return (backend/assessment: service.py, parts.py, competition.py).
const DEFINITION = '综合得分 = Σ（各项权重 × 该项得分）÷ 有得分各项的权重之和；无可计分事项的部分不计入，其权重一并不计'
const PARTS = { response: '呼叫应答率', disposal: '事件处置率', satisfaction: '居民满意率', evaluation: '社区评部门得分', checkin: '下沉签到率', overdue: '超期事项' }
const WEIGHTS = { response: 20, disposal: 20, satisfaction: 15, evaluation: 20, checkin: 15, overdue: 10 }

function fig(label, unit, buckets, good, o = {}) {
  const n = good.reduce((s, k) => s + (buckets[k] || []).length, 0)
  const d = Object.keys(buckets).reduce((s, k) => s + buckets[k].length, 0)
  return Object.assign({ label, unit, numerator: n, denominator: d, rate: d ? Math.round((n / d) * 10000) / 10000 : null, buckets, numerator_buckets: good, definition: label + '的口径' }, o)
}

const score = (f) => (f.rate === null ? null : Math.round(f.rate * 10000) / 100)

function department(o = {}) {
  const response = fig('呼叫应答率', 'issue', { on_time: [58, 61, 66], late: [70], unanswered: [], pending: [] }, ['on_time'])
  const disposal = fig('事件处置率', 'issue', { on_time: [58, 61], late: [], reopened: [66], returned: [], unresolved: [70], pending: [] }, ['on_time'])
  const satisfaction = fig('居民满意率', 'issue', { satisfied: [58], unsatisfied: [] }, ['satisfied'], { excluded: { auto_confirmed: [61], awaiting_rating: [] } })
  const checkin = fig('签到率', 'contact_day', { signed: ['9:community:1:2026-12-01', '9:community:1:2026-11-30'], missed: ['9:community:1:2026-11-27'] }, ['signed'], { excluded: { not_counted: [] } })
  const w = o.weights || WEIGHTS
  const parts = {
    response: { label: PARTS.response, weight: w.response, score: score(response), figure: response },
    disposal: { label: PARTS.disposal, weight: w.disposal, score: score(disposal), figure: disposal },
    satisfaction: { label: PARTS.satisfaction, weight: w.satisfaction, score: score(satisfaction), figure: satisfaction },
    evaluation: { label: PARTS.evaluation, weight: w.evaluation, score: 90, mean: 4.5, score_sum: 27, score_count: 6, campaigns: [3], ballots: [163, 164, 165], definition: '社区评部门的口径' },
    checkin: { label: PARTS.checkin, weight: w.checkin, score: score(checkin), figure: checkin, checkins: [401, 402] },
    overdue: { label: PARTS.overdue, weight: w.overdue, score: 80, count: 2, issues: [70], project_tasks: [12], definition: '超期事项的口径' },
  }
  return Object.assign({ department_id: 4, department_name: '住建办', parts, total: 79.17, weight_used: 100, definition: DEFINITION, rank: 1 }, o.dept)
}

function assessment(o = {}) {
  const weights = o.weights || WEIGHTS
  return Object.assign(
    {
      street_id: 1,
      period: { label: '2026', start: '2025-12-31T16:00:00+00:00', end: '2026-12-31T16:00:00+00:00' },
      weights,
      parts: PARTS,
      departments: o.departments || [
        department({ weights }),
        department({ weights, dept: { department_id: 6, department_name: '综合执法办', total: 62.5, rank: 2 } }),
      ],
    },
    o.extra
  )
}

const INDICATORS = [
  { code: 'visits', name: '走访覆盖率', source: 'visit_coverage', target: 60, star: 90 },
  { code: 'response', name: '呼叫应答率', source: 'response_rate', target: 80, star: 95 },
  { code: 'volunteers', name: '志愿服务人次', source: 'volunteer_person_times', target: 10, star: 30 },
  { code: 'brand', name: '党建品牌创建', source: 'entered', target: 1, star: 1 },
  { code: 'property', name: '红色物业覆盖小区数', source: 'entered', target: 1, star: 2 },
]

function entry(o = {}) {
  return Object.assign({ id: 1, value: 1, evidence: '「幸福和谐」党建品牌已挂牌', photos: ['/uploads/brand.jpg'], status: 'approved', status_label: '已通过', decided_by: 10, decided_at: '2026-11-20T02:00:00Z', reason: null }, o)
}

function judge(spec, value) {
  return { reached: value !== null && value >= spec.target, star: value !== null && value >= spec.star }
}

function community(o = {}) {
  const id = o.community_id || 1
  const entries = o.entries || {}
  const values = INDICATORS.map((s) => {
    if (s.source === 'entered') {
      const e = entries[s.code] === undefined ? null : entries[s.code]
      const value = e && e.status === 'approved' ? e.value : null
      return Object.assign({ code: s.code, name: s.name, value }, judge(s, value), { entry: e })
    }
    let f
    if (s.source === 'visit_coverage') f = fig('走访覆盖率', 'household', { visited: [1, 2, 3, 4, 5, 6, 7, 8, 9], not_visited: [10] }, ['visited'])
    else if (s.source === 'response_rate') f = fig('呼叫应答率', 'issue', { on_time: [54, 55, 56], late: [], unanswered: [53], pending: [] }, ['on_time'])
    else f = { count: 40, buckets: { in_advance: Array.from({ length: 36 }, (_, i) => i + 1), walk_in: [37, 38, 39, 40] }, definition: '志愿服务人次的口径' }
    const value = f.count !== undefined ? f.count : f.rate === null ? null : Math.round(f.rate * 10000) / 100
    return Object.assign({ code: s.code, name: s.name, value }, judge(s, value), { figure: f })
  })
  const stars = values.filter((v) => v.star).length
  return Object.assign({ community_id: id, community_name: '和谐社区', stars, reached: values.filter((v) => v.reached).length, indicators: values, rank: 1, flag: stars >= 3 }, o.extra)
}

function competition(o = {}) {
  return Object.assign(
    {
      street_id: 1,
      year: 2026,
      period: { label: '2026', start: '2025-12-31T16:00:00+00:00', end: '2026-12-31T16:00:00+00:00' },
      flag_stars: 3,
      indicators: INDICATORS,
      communities: o.communities || [
        community({ entries: { brand: entry(), property: entry({ id: 2, value: 2, evidence: '两个小区引入红色物业', photos: [], status: 'pending', status_label: '待审核', decided_by: null, decided_at: null }) } }),
        community({ community_id: 2, extra: { community_name: '明德社区', rank: 2 }, entries: { brand: entry({ id: 3, status: 'rejected', status_label: '未通过', reason: '缺少挂牌照片' }) } }),
      ],
      definition: '按摘星数排序，其次达标项数；指标值达到摘星值得一星，星数达到夺旗线者夺旗；社区填报的指标经街道审核通过后才计值',
    },
    o.extra
  )
}

module.exports = { PARTS, WEIGHTS, INDICATORS, fig, department, assessment, entry, community, competition }
