// Fixture data for the 小区评议会 pages (pages/project/appraisal, pages/project/results), shaped as
// openapi.json's SheetOut, RatedOut, AppraisalOut and AppraisalDetail (from the demo's 锦华苑).
const proposals = require('./proposals')

function figure(numerator, denominator, label, unit) {
  return { label, unit, numerator, denominator, rate: denominator ? numerator / denominator : null, buckets: {}, numerator_buckets: [], definition: '' }
}

function line(o = {}) {
  return Object.assign({ line_id: 'committee', kind: 'committee', kind_label: '业委会', name: '锦华苑业主委员会', detail: '', figures: {}, mean_rating: null, rated_by_me: false }, o)
}

function member(id, name, unit, o = {}) {
  return line(
    Object.assign(
      {
        line_id: 'member:' + id,
        kind: 'member',
        kind_label: '党员',
        name,
        detail: unit,
        figures: { orders_completed: figure(2, 2, '完成订单', '单'), orders_rated: figure(2, 2, '订单评价', '单'), attendance: figure(1, 3, '参会', '次') },
        mean_rating: 4.5,
      },
      o
    )
  )
}

function lines(o = {}) {
  return [
    line({ line_id: 'project:1', kind: 'project', kind_label: '项目', name: '楼道照明改造', detail: '实施中；承办：锦华苑党支部' }),
    line({ line_id: 'project:4', kind: 'project', kind_label: '项目', name: '红色议事长廊', detail: '已公示；承办：锦华苑党支部', rated_by_me: !!o.oneDone }),
    member(3, '张伟', '区税务局'),
    line(),
    line({ line_id: 'property:3', kind: 'property', kind_label: '物业服务企业', name: '绿茵物业服务有限公司', detail: '物业公司（共建单位）' }),
  ]
}

function sheet(o = {}) {
  return Object.assign({ meeting_id: 9, compound_id: 1, compound_name: '锦华苑', period: '2026-Q3', checked_in: true, can_rate: true, lines: lines(o) }, o)
}

function meeting(o = {}) {
  return proposals.meeting(
    Object.assign(
      {
        id: 9,
        kind: 'evaluation',
        kind_label: '小区评议会',
        compound_id: 1,
        period: '2026-Q3',
        date: '2026-10-08',
        place: '锦华苑党群服务驿站',
        convener_name: '赵敏',
        attendance_count: 6,
        items: [],
        actions: ['check_in'],
      },
      o
    )
  )
}

function appraisal(o = {}) {
  return Object.assign(
    {
      id: 2,
      meeting_id: 9,
      community_id: 1,
      compound_id: 1,
      period: '2026-Q3',
      edition: 1,
      status: 'submitted',
      status_label: '待社区审核',
      supersedes_id: null,
      correction_reason: null,
      review_reason: null,
      submitted_at: '2026-10-08T03:00:00Z',
      reviewed_at: null,
      published_at: null,
      superseded_at: null,
    },
    o
  )
}

function result(l, count, mean, comments = []) {
  return Object.assign({}, l, {
    count,
    mean,
    distribution: { 1: 0, 2: 0, 3: 1, 4: 2, 5: count - 3 },
    good: figure(count - 1, count, '满意', '条'),
    comments,
  })
}

function detail(o = {}) {
  const ls = lines()
  return Object.assign(appraisal(o), {
    content: {
      compound_name: '锦华苑',
      period: '2026-Q3',
      meeting_id: 9,
      meeting_date: '2026-10-08',
      attendees: 6,
      raters: 6,
      frozen_at: '2026-10-08 11:00',
      lines: [
        result(ls[0], 6, 4.5, [{ rater: '刘*', score: 5, comment: '灯亮了，晚上回家安全多了' }]),
        result(ls[1], 6, 4.17),
        result(ls[2], 6, 4.67),
        result(ls[3], 6, 4.33),
        result(ls[4], 6, 3.83, [{ rater: '王**', score: 2, comment: '本季度回应居民诉求不够及时，希望改进' }]),
      ],
    },
  })
}

module.exports = { line, member, lines, sheet, meeting, appraisal, detail }
