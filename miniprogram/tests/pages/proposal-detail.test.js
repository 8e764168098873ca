// 提案详情: the six steps, the timeline, co-signing (x/5, the share to a WeChat group, 联名 for a
// verified household), and the actions the API allows (submit, withdraw, rate, review).
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fx = require('../helpers/proposals')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

const cosigning = (o = {}) =>
  fx.detail(
    Object.assign(
      {
        kind: 'joint',
        kind_label: '联名提案',
        status: 'cosigning',
        cosign_threshold: 5,
        cosign_count: 3,
        cosigners: ['王*兰', '李*', '陈*东'],
        viewer_is_proposer: false,
        proposer_name: '王*兰',
        steps: fx.steps(0),
        events: [{ type: 'cosigning_opened', label: '发起联名征集', from_status: 'draft', to_status: 'cosigning', actor_name: '王*兰', at: '2026-11-19T02:00:00Z', note: null }],
        actions: ['cosign'],
      },
      o
    )
  )

test('the six steps: done ones with when and who, the current one marked, the rest not done', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail({ status: 'executing', steps: fx.steps(3), steps_done: 3, actions: [] }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  const steps = text(page.querySelector('#steps'))
  expect(steps).toMatch(/收集.*审议.*形成.*联动执行.*评估.*公示/)
  expect(text(page.querySelector('#step-collect'))).toContain('王秀兰')
  expect(text(page.querySelector('#step-form'))).toContain('赵敏')
  expect(text(page.querySelector('#step-execute'))).toContain('进行到这一步')
  expect(text(page.querySelector('#step-publish'))).toContain('尚未完成')
  expect(text(page)).toContain('联动执行中')
  expect(text(page)).toContain('起草提案')
  expect(text(page)).toContain('预计费用 3000 元')
  expect(text(page)).toContain('我女婿做装修')
  expect(exists(page, '#withdraw')).toBe(false)
})

test('a neighbour opened from the share co-signs: progress goes 3/5 → 4/5', async () => {
  api.on('GET /api/v1/proposals/:id', cosigning())
  api.on('POST /api/v1/proposals/:id/cosign', { created: true, proposal: cosigning({ cosign_count: 4, viewer_cosigned: true, actions: [] }) })
  const page = await openPage('pages/proposal/detail/detail', { id: '7', share: '1' })
  expect(text(page)).toContain('邻居邀请您为这条提案联名')
  expect(text(page.querySelector('#cosign-progress'))).toBe('3/5 户')
  expect(text(page)).toContain('已联名：王*兰、李*、陈*东')
  expect(text(page)).not.toContain('王秀兰')
  await tap(page, '#cosign')
  const [call] = api.callsTo('POST /api/v1/proposals/7/cosign')
  expect(call.data).toEqual({})
  expect(text(page.querySelector('#cosign-progress'))).toBe('4/5 户')
  expect(text(page)).toContain('您家已联名')
  expect(exists(page, '#cosign')).toBe(false)
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '已联名', icon: 'success' })
  // the share: the title asks for a co-sign, the path opens this detail with the share flag
  expect(page.instance.onShareAppMessage()).toEqual({ title: '请为「3号楼加装楼道扶手」联名', path: '/pages/proposal/detail/detail?id=7&share=1' })
})

test('an unverified neighbour is told why they cannot co-sign and where to verify', async () => {
  api.on('GET /api/v1/proposals/:id', cosigning({ actions: [] }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7', share: '1' })
  expect(exists(page, '#cosign')).toBe(false)
  expect(text(page)).toContain('联名需要本小区已认证的住户')
  await tap(page, '#verify')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/verify/verify' })
})

test('a co-sign the server refuses shows its detail and keeps the count', async () => {
  api.on('GET /api/v1/proposals/:id', cosigning())
  api.on('POST /api/v1/proposals/:id/cosign', fail(409, 'household_already_signed', '您家已经联名过了'))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  await tap(page, '#cosign')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '您家已经联名过了' }))
  expect(text(page.querySelector('#cosign-progress'))).toBe('3/5 户')
})

test('the proposer of a draft submits (through the check page) or withdraws after confirming', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail())
  api.on('POST /api/v1/proposals/:id/withdraw', fx.detail({ status: 'withdrawn', actions: [] }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  await tap(page, '#submit')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/new/new?step=check&id=7' })
  await tap(page, '#edit')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/new/new?id=7' })
  await tap(page, '#withdraw')
  expect(wx.showModal).toHaveBeenCalled()
  expect(api.callsTo('POST /api/v1/proposals/7/withdraw')[0].data).toEqual({ reason: null })
  expect(text(page)).toContain('已撤回')
  expect(exists(page, '#withdraw')).toBe(false)
})

test('a returned proposal shows the reviewer’s words and 修改后重新提交', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail({ status: 'returned', review_reason: '请写明费用来源', steps: fx.steps(1) }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  expect(text(page)).toContain('审议意见：请写明费用来源')
  expect(text(page.querySelector('.actions'))).toContain('修改后重新提交')
  expect(text(page.querySelector('.actions'))).not.toContain('提交提案')
})

test('while it is evaluated, a participant rates 1–5 (no stars: refused here)', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail({ status: 'evaluating', steps: fx.steps(4), actions: ['rate'] }))
  api.on('POST /api/v1/proposals/:id/rating', fx.detail({ status: 'evaluating', rating_count: 1, rating_average: 4, actions: [] }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  await tap(page, '#rate')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请先点星星打分', icon: 'none' })
  page.instance.onRating({ detail: { value: 4 } })
  page.instance.onComment({ detail: { value: '扶手很结实' } })
  await tap(page, '#rate')
  expect(api.callsTo('POST /api/v1/proposals/7/rating')[0].data).toEqual({ rating: 4, comment: '扶手很结实' })
  expect(text(page)).toContain('居民评价 1 人，平均 4 星')
  expect(exists(page, '#rate-box')).toBe(false)
})

test('a reviewer goes to the decision; the agenda it became is shown in words', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail({
    status: 'accepted',
    viewer_is_proposer: false,
    agenda: { item_id: 21, meeting_date: '2026-12-10', status: 'proposed', status_label: '待议', meeting_id: null, outcome: null, outcome_label: null, defer_count: 1 },
    actions: ['review'],
  }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  expect(text(page.querySelector('#agenda'))).toBe('12月10日党群议事日 · 待议 · 已暂缓 1 次')
  await tap(page, '#review')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/proposal/review/review?id=7' })
})

test('error state with retry', async () => {
  api.on('GET /api/v1/proposals/:id', fail(404, 'not_found', '提案不存在'))
  const page = await openPage('pages/proposal/detail/detail', { id: '9' })
  expect(text(page)).toContain('提案不存在')
  expect(text(page)).toContain('没有找到')
  api.on('GET /api/v1/proposals/:id', fx.detail())
  await retry(page)
  expect(text(page)).toContain('3号楼加装楼道扶手')
})

test('who supervises it: 联动执行 with the proposer who offered, then the report opens the evaluation', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail({ status: 'adopted', viewer_is_proposer: false, steps: fx.steps(3), actions: ['start_execution'] }))
  api.on('POST /api/v1/proposals/:id/execution', fx.detail({
    status: 'executing',
    viewer_is_proposer: false,
    execution: { executor: '王秀兰（提案人）', task: '加装扶手', due: '2027-01-10', report: null },
    actions: ['finish_execution'],
  }))
  api.on('POST /api/v1/proposals/:id/execution/done', fx.detail({ status: 'evaluating', viewer_is_proposer: false, actions: ['publish'] }))
  const page = await openPage('pages/proposal/detail/detail', { id: '7' })
  expect(page.instance.data.executor).toBe('王秀兰（提案人）')
  page.instance.onText({ currentTarget: { dataset: { field: 'task' } }, detail: { value: '加装扶手' } })
  await tap(page, '#due-14')
  await tap(page, '#start-execution')
  const [call] = api.callsTo('POST /api/v1/proposals/7/execution')
  expect(call.data).toEqual({ executor: '王秀兰（提案人）', task: '加装扶手', due: require('../../pages/proposal/common').dayAfter(14) })
  expect(call.data.due).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  expect(text(page)).toContain('承办：王秀兰（提案人）· 1月10日前完成')
  await tap(page, '#finish-execution')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请写明完成情况', icon: 'none' })
  page.instance.onText({ currentTarget: { dataset: { field: 'report' } }, detail: { value: '扶手已装好' } })
  await tap(page, '#finish-execution')
  expect(api.callsTo('POST /api/v1/proposals/7/execution/done')[0].data).toEqual({ report: '扶手已装好' })
  expect(text(page)).toContain('评估中')
  expect(exists(page, '#publish')).toBe(true)
})

test('dayAfter counts in Beijing days', () => {
  const { dayAfter } = require('../../pages/proposal/common')
  // 20:00 UTC on 31 December is already 1 January in Beijing
  expect(dayAfter(0, new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01')
  expect(dayAfter(30, new Date('2026-12-01T02:00:00Z'))).toBe('2026-12-31')
})
