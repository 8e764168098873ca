// 三率统计 and 网格事件 (list, detail, 吹哨, 部门响应 / 办结 / 退回).
const { setup, openPage, text, tap, event, selectTab, retry, find, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

const fig = (n, d) => ({ numerator: n, denominator: d, rate: d ? n / d : null, issues: {} })
const stats = (o = {}) =>
  Object.assign(
    {
      scope: { kind: 'community', id: 1, name: '和谐社区' },
      period: { label: '2026-Q4' },
      whistled: 4,
      response_rate: fig(3, 4),
      disposal_rate: fig(2, 4),
      satisfaction_rate: fig(1, 2),
      auto_confirmed: { count: 1, issues: [] },
      awaiting_rating: { count: 0, issues: [] },
      by_department: [Object.assign({ department_id: 2, department_name: '城管科', whistled: 4, response_rate: fig(3, 4), disposal_rate: fig(2, 4), satisfaction_rate: fig(1, 2) })],
    },
    o
  )

test('rates: the three rates and per department; the period selector reloads', async () => {
  api.on('GET /api/v1/stats/escalation', stats())
  const page = await openPage('pages/stats/rates/rates')
  const t = text(page)
  expect(t).toContain('和谐社区')
  expect(t).toContain('75%')
  expect(t).toContain('呼叫应答率')
  expect(t).toContain('事件处置率')
  expect(t).toContain('居民满意率')
  expect(t).toContain('城管科')
  expect(api.callsTo('GET /api/v1/stats/escalation')[0].query.period).toMatch(/^\d{4}-Q[1-4]$/)
  expect(text(page)).toContain('2026年第四季度')
  await selectTab(page, '#periods', '本年')
  expect(api.callsTo('GET /api/v1/stats/escalation')[1].query.period).toMatch(/^\d{4}$/)
})

test('rates: a figure drills down to the issues behind it, each one opening its page', async () => {
  api.on('GET /api/v1/issues/:id', (req) => issue({ id: Number(req.params.id), description: '事件' + req.params.id + '：楼道堆放杂物', location: '3号楼1单元楼道' }))
  const withIssues = stats({
    response_rate: Object.assign(fig(3, 4), { issues: { on_time: [11, 12, 13], late: [14], unanswered: [], pending: [] } }),
    satisfaction_rate: Object.assign(fig(1, 2), { issues: { satisfied: [11], unsatisfied: [12] } }),
    auto_confirmed: { count: 1, issues: [13] },
  })
  api.on('GET /api/v1/stats/escalation', withIssues)
  const page = await openPage('pages/stats/rates/rates')
  await tap(page, '#rate-response')
  let t = text(page)
  expect(t).toContain('呼叫应答率：对应事件')
  expect(t).toContain('按时 3 件')
  expect(t).toContain('超时 1 件')
  expect(t).not.toContain('超时未响应')
  await tap(page, '#issue-14')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/issue/detail/detail?id=14' })
  await tap(page, '#rate-satisfaction')
  t = text(page)
  expect(t).toContain('满意 1 件')
  expect(t).toContain('不满意 1 件')
  expect(t).toContain('自动确认（不计入） 1 件')
  await tap(page, '#rate-satisfaction')
  expect(page.data.drillKey).toBe('')
})

test('rates: the grid backlog (never whistled) is shown and drills down oldest first', async () => {
  api.on('GET /api/v1/issues/:id', (req) => issue({ id: Number(req.params.id), description: '积压' + req.params.id }))
  const backlog = {
    count: 3,
    aged: { buckets: { le_7: [31], d8_30: [], gt_30: [21, 22] }, bucket_labels: { le_7: '7天以内', d8_30: '8至30天', gt_30: '30天以上' } },
    overdue: Object.assign(fig(2, 3), { buckets: { overdue: [21, 22], within_clock: [31] } }),
  }
  api.on('GET /api/v1/stats/escalation', stats({ backlog }))
  const page = await openPage('pages/stats/rates/rates')
  let t = text(page)
  expect(t).toContain('网格待办积压 3 件')
  expect(t).toContain('超出网格处置时限 2 件')
  await tap(page, '#backlog')
  t = text(page)
  expect(t).toContain('网格待办积压：对应事件')
  expect(t.indexOf('30天以上 2 件')).toBeLessThan(t.indexOf('7天以内 1 件'))
  expect(t).not.toContain('8至30天')
})

test('rates: a department sees no backlog card', async () => {
  api.on('GET /api/v1/stats/escalation', stats())
  const page = await openPage('pages/stats/rates/rates')
  expect(text(page)).not.toContain('网格待办积压')
})

test('rates: the drill-down names each issue (what, where, when), 10 at a time', async () => {
  const ids = Array.from({ length: 16 }, (_, i) => 101 + i)
  api.on('GET /api/v1/issues/:id', (req) =>
    Number(req.params.id) === 105
      ? fail(404, 'not_found', '事件不存在')
      : issue({ id: Number(req.params.id), category_label: '环境卫生', description: '3号楼楼道堆放纸箱杂物，影响老人通行，已多次劝导仍未清理', location: '锦华苑3号楼1单元', created_at: '2026-11-28T06:30:00Z' })
  )
  api.on('GET /api/v1/stats/escalation', stats({ response_rate: Object.assign(fig(16, 18), { issues: { on_time: ids, late: [117] } }) }))
  const page = await openPage('pages/stats/rates/rates')
  await tap(page, '#rate-response')
  await flush(20)
  const t = text(find(page, '#drill'))
  expect(t).toContain('按时 16 件')
  expect(t).toContain('环境卫生：3号楼楼道堆放纸箱杂物，影响老人通行，已多次劝导…')
  expect(t).toContain('锦华苑3号楼1单元')
  expect(t).toContain(require('../../utils/time').formatDay('2026-11-28T06:30:00Z'))
  expect(t).toContain('事件 105读取失败，点开查看')
  expect(t).not.toMatch(/#\d+#\d+/)
  // the first 10 of the bucket are read, 4 at a time, not all 16
  expect(api.calls.filter((c) => /^\/api\/v1\/issues\/\d+$/.test(c.path)).length).toBe(11)
  expect(t).toContain('再看 6 件（还有 6 件）')
  await tap(page, '#more-on_time')
  await flush(20)
  expect(text(find(page, '#drill'))).not.toContain('还有 6 件')
  expect(api.calls.filter((c) => /^\/api\/v1\/issues\/\d+$/.test(c.path)).length).toBe(17)
  await tap(page, '#issue-117')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/issue/detail/detail?id=117' })
})

test('rates: error state with retry', async () => {
  api.on('GET /api/v1/stats/escalation', fail(403, 'role_required', '您没有可查看的范围'))
  const page = await openPage('pages/stats/rates/rates')
  expect(text(page)).toContain('您没有可查看的范围')
  api.on('GET /api/v1/stats/escalation', stats())
  await retry(page)
  expect(text(page)).toContain('和谐社区')
})

const issue = (o = {}) =>
  Object.assign(
    {
      id: 12, status: 'open', status_label: '待处理', category: 'environment', category_label: '环境卫生', urgency: 'normal',
      description: '楼道堆放杂物', location: '3号楼1单元', photos: [], source: 'visit', grid_id: 1, compound_id: 1,
      community_id: 1, household_id: null, raised_by: 5, department_id: null, department_name: null,
      created_at: '2026-11-19T02:00:00Z', whistled_at: null, response_due_at: null, disposal_due_at: null,
      responded_at: null, resolved_at: null, confirmed_at: null, response_overdue: false, disposal_overdue: false,
      escalation_level: 0, resolution_note: null, resolution_photos: [], return_reason: null, satisfied: null,
      auto_confirmed: false, comment: null, reopen_count: 0, actions: ['whistle', 'resolve'], events: [],
    },
    o
  )

test('issues: a grid worker lists mine and opens one', async () => {
  api.on('GET /api/v1/me', fixtures.gridWorkerMe())
  api.on('GET /api/v1/issues', fixtures.page([issue()]))
  const page = await openPage('pages/issue/list/list', { mode: 'mine' })
  await tap(page, '#raise')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/issue/new/new' })
  expect(text(page)).toContain('楼道堆放杂物')
  expect(api.callsTo('GET /api/v1/issues')[0].query).toMatchObject({ mine: 'true' })
  await tap(page, '#issue-12')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/issue/detail/detail?id=12' })
})

test('issues: the list error state', async () => {
  api.on('GET /api/v1/issues', fail(500, 'internal', '服务器开小差了'))
  const page = await openPage('pages/issue/list/list', { mode: 'department' })
  expect(text(page)).toContain('服务器开小差了')
  expect(api.callsTo('GET /api/v1/issues')[0].query.mine).toBeUndefined()
})

test('issue detail: whistle to a picked department', async () => {
  api.on('GET /api/v1/issues/:id', issue())
  api.on('GET /api/v1/org/departments', [{ id: 2, street_id: 1, name: '城管科', default_categories: ['environment'] }])
  api.on('POST /api/v1/issues/12/whistle', issue({ status: 'whistled', status_label: '已吹哨', department_id: 2, department_name: '城管科', actions: [] }))
  const page = await openPage('pages/issue/detail/detail', { id: '12' })
  expect(text(page)).toContain('城管科')
  await tap(page, '#dept-2')
  await tap(page, '#whistle')
  expect(api.callsTo('POST /api/v1/issues/12/whistle')[0].data).toEqual({ department_id: 2 })
  expect(text(page)).toContain('已吹哨')
  expect(text(page)).toContain('承办部门：城管科')
})

test('issue detail: department responds, needs a note, then returns with a reason', async () => {
  const whistled = issue({ status: 'whistled', status_label: '已吹哨', department_id: 2, department_name: '城管科', actions: ['respond', 'resolve', 'return'] })
  api.on('GET /api/v1/issues/:id', whistled)
  api.on('POST /api/v1/issues/12/respond', issue({ status: 'responded', status_label: '已响应', department_id: 2, actions: ['resolve', 'return'] }))
  api.on('POST /api/v1/issues/12/return', fail(409, 'invalid_state', '事件当前状态为「已办结」，不能退回'))
  const page = await openPage('pages/issue/detail/detail', { id: '12' })
  await page.instance.onNoteAction(event({ action: 'respond' }))
  expect(api.callsTo('POST /api/v1/issues/12/respond')).toHaveLength(0)
  page.instance.onNote(event({}, { value: '下午到场' }))
  await page.instance.onNoteAction(event({ action: 'respond' }))
  expect(api.callsTo('POST /api/v1/issues/12/respond')[0].data).toEqual({ note: '下午到场' })
  expect(text(page)).toContain('已响应')
  page.instance.onNote(event({}, { value: '不属于本部门' }))
  await page.instance.onNoteAction(event({ action: 'return' }))
  expect(api.callsTo('POST /api/v1/issues/12/return')[0].data).toEqual({ reason: '不属于本部门' })
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '事件当前状态为「已办结」，不能退回' }))
})

test('issue detail: the grid closes an open issue it handled itself', async () => {
  api.on('GET /api/v1/issues/:id', issue())
  api.on('GET /api/v1/org/departments', [])
  api.on('POST /api/v1/issues/12/resolve', issue({ status: 'resolved', status_label: '已办结', resolution_note: '已联系物业清理', actions: ['confirm'] }))
  const page = await openPage('pages/issue/detail/detail', { id: '12' })
  expect(text(page)).toContain('网格自行处理')
  page.instance.onNote(event({}, { value: '已联系物业清理' }))
  await tap(page, '#resolve')
  expect(api.callsTo('POST /api/v1/issues/12/resolve')[0].data).toEqual({ note: '已联系物业清理', photos: [] })
  expect(text(page)).toContain('确认处理结果')
})

test('issue detail: the grid rates a resolved issue, or reopens it only with a reason', async () => {
  const resolved = issue({ status: 'resolved', status_label: '已办结', department_id: 2, department_name: '城管科', resolution_note: '已清理', actions: ['confirm', 'reopen'] })
  api.on('GET /api/v1/issues/:id', resolved)
  api.on('POST /api/v1/issues/12/reopen', issue({ status: 'reopened', status_label: '已重新打开', department_id: 2, actions: [] }))
  api.on('POST /api/v1/issues/12/confirm', issue({ status: 'confirmed', status_label: '已确认', department_id: 2, confirmed_at: '2026-11-20T02:00:00Z', satisfied: false, comment: '还有异味', actions: [] }))
  const page = await openPage('pages/issue/detail/detail', { id: '12' })
  expect(text(page)).toContain('确认处理结果')
  await tap(page, '#reopen')
  expect(api.callsTo('POST /api/v1/issues/12/reopen')).toHaveLength(0)
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '重新打开的理由不能为空' }))

  page.instance.onNote(event({}, { value: '还有异味' }))
  await tap(page, '#unsatisfied')
  expect(api.callsTo('POST /api/v1/issues/12/confirm')[0].data).toEqual({ satisfied: false, comment: '还有异味' })
  expect(text(page)).toContain('居民不满意：还有异味')
  expect(page.data.actions).toEqual({})
})

test('issue detail: reopen with a reason', async () => {
  api.on('GET /api/v1/issues/:id', issue({ status: 'resolved', status_label: '已办结', department_id: 2, actions: ['confirm', 'reopen'] }))
  api.on('POST /api/v1/issues/12/reopen', issue({ status: 'reopened', status_label: '已重新打开', department_id: 2, actions: [] }))
  const page = await openPage('pages/issue/detail/detail', { id: '12' })
  page.instance.onNote(event({}, { value: '问题又出现了' }))
  await tap(page, '#reopen')
  expect(api.callsTo('POST /api/v1/issues/12/reopen')[0].data).toEqual({ reason: '问题又出现了' })
  expect(text(page)).toContain('已重新打开')
})

test('raise an issue from a household: validation, the body sent, then its page', async () => {
  api.on('POST /api/v1/issues', issue({ id: 31, category: 'hazard', urgency: 'urgent' }))
  const page = await openPage('pages/issue/new/new', { household_id: '3', label: encodeURIComponent('3号楼1单元101') })
  expect(text(page)).toContain('3号楼1单元101')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请选择事件类别' }))
  await tap(page, '#cat-hazard')
  await tap(page, '#urgency-urgent')
  expect(text(page)).toContain('30 个工作分钟内响应')
  page.instance.onDescription(event({}, { value: ' 楼道电线裸露 ' }))
  page.instance.onPhotos(event({}, { urls: [], uploading: true, failed: false }))
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '照片还在上传，请稍等' }))
  expect(api.callsTo('POST /api/v1/issues')).toHaveLength(0)
  page.instance.onPhotos(event({}, { urls: [], uploading: false, failed: false }))
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/issues')[0].data).toEqual({
    household_id: 3,
    category: 'hazard',
    urgency: 'urgent',
    description: '楼道电线裸露',
    location: '3号楼1单元101',
    photos: [],
  })
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/issue/detail/detail?id=31' })
})

test('raise an issue: a refusal keeps the form', async () => {
  api.on('POST /api/v1/issues', fail(403, 'out_of_scope', '只能上报您所在网格的事件'))
  const page = await openPage('pages/issue/new/new', { household_id: '9' })
  await tap(page, '#cat-environment')
  page.instance.onDescription(event({}, { value: '垃圾堆积' }))
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '只能上报您所在网格的事件' }))
  expect(wx.redirectTo).not.toHaveBeenCalled()
  expect(page.data.description).toBe('垃圾堆积')
  expect(page.data.submitting).toBe(false)
})

test('raise an issue for a public place: pick the grid and the compound, the place is required', async () => {
  api.on('GET /api/v1/issues/places', [
    { grid_id: 1, name: '和谐社区第一网格', compounds: [{ compound_id: 1, name: '锦华苑' }, { compound_id: 2, name: '翠湖花园' }] },
    { grid_id: 4, name: '和谐社区第二网格', compounds: [{ compound_id: 2, name: '翠湖花园' }] },
  ])
  api.on('POST /api/v1/issues', issue({ id: 32, household_id: null }))
  const page = await openPage('pages/issue/new/new')
  expect(text(page)).toContain('和谐社区第二网格')
  await tap(page, '#cat-facility')
  page.instance.onDescription(event({}, { value: '东门路灯不亮' }))
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请选择网格' }))
  await tap(page, '#grid-4')
  expect(page.data.compoundId).toBe(2) // the only compound of that grid is picked
  await tap(page, '#grid-1')
  expect(page.data.compoundId).toBe(null)
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请选择小区' }))
  await tap(page, '#compound-1')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请填写事件地点' }))
  page.instance.onLocation(event({}, { value: '东门' }))
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/issues')[0].data).toEqual({
    grid_id: 1,
    compound_id: 1,
    category: 'facility',
    urgency: 'normal',
    description: '东门路灯不亮',
    location: '东门',
    photos: [],
  })
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/issue/detail/detail?id=32' })
})

test('raise an issue for a public place: the places fail to load, then load on retry', async () => {
  api.on('GET /api/v1/issues/places', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  const page = await openPage('pages/issue/new/new')
  expect(text(page)).toContain('您没有执行此操作的角色权限')
  api.on('GET /api/v1/issues/places', [{ grid_id: 1, name: '和谐社区第一网格', compounds: [{ compound_id: 1, name: '锦华苑' }] }])
  await retry(page, '#places-state')
  expect(page.data.gridId).toBe(1)
  expect(page.data.compoundId).toBe(1)
  expect(text(page)).toContain('锦华苑')
})

test('the issue form offers exactly the categories and urgencies the API accepts', () => {
  const spec = require('../../../openapi/openapi.json')
  const { CATEGORIES, URGENCIES } = require('../../utils/issues')
  const props = spec.components.schemas.IssueIn.properties
  expect(CATEGORIES.map((c) => c.code).sort()).toEqual([...props.category.enum].sort())
  expect(URGENCIES.map((u) => u.code).sort()).toEqual([...props.urgency.enum].sort())
})
