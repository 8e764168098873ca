// 选择党员派单: ranked candidates with reasons, dispatch with a note.
const { setup, openPage, text, tap } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, title: '厨房水龙头漏水', status: 'open', category_label: '维修' }))
})

test('shows candidates with their reasons and dispatches to the chosen one', async () => {
  api.on('GET /api/v1/wishes/7/candidates', {
    items: [
      fixtures.candidate({ member_id: 3, name: '张伟', reasons: ['技能匹配：水电维修', '在办 0 单'] }),
      fixtures.candidate({ member_id: 4, name: '李娜', available: false, open_orders: 2, skills: ['医疗护理'], reasons: ['暂停接单'] }),
    ],
    total: 2,
  })
  api.on('POST /api/v1/wishes/7/dispatch', fixtures.wishDetail({ id: 7, status: 'dispatched' }))
  const page = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  const t = text(page)
  expect(t).toContain('厨房水龙头漏水')
  expect(t).toContain('技能匹配：水电维修')
  expect(t).toContain('李娜')
  expect(t).toContain('暂停接单')
  expect(t).toContain('在办 2 单')
  expect(t).toContain('请先点选一位党员')
  expect(t).not.toContain('匹配度最高的')

  await tap(page, '#candidate-3')
  expect(text(page)).toContain('派单给张伟')
  page.instance.onNote({ detail: { value: '您住得近' } })
  await tap(page, '#dispatch')
  expect(api.callsTo('POST /api/v1/wishes/7/dispatch')[0].data).toEqual({ member_id: 3, note: '您住得近' })
  expect(wx.navigateBack).toHaveBeenCalled()
})

test('a large compound: the best 50 of all its members, and the count', async () => {
  const items = Array.from({ length: 50 }, (_, i) => fixtures.candidate({ member_id: 100 + i, name: '党员' + i }))
  api.on('GET /api/v1/wishes/7/candidates', { items, total: 214 })
  const page = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  expect(text(page)).toContain('共 214 名党员，这里是匹配度最高的 50 名')
})

test('no candidates: the wish stays on the wall', async () => {
  api.on('GET /api/v1/wishes/7/candidates', { items: [], total: 0 })
  const page = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  expect(text(page)).toContain('暂时没有可派的党员')
})

test('a refused dispatch shows the detail and reads the wish again; error state', async () => {
  api.on('GET /api/v1/wishes/7/candidates', { items: [fixtures.candidate()] })
  api.on('POST /api/v1/wishes/7/dispatch', fail(409, 'invalid_state', '心愿当前状态为「已接单」，不能派单'))
  const page = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  await tap(page, '#candidate-3')
  await tap(page, '#dispatch')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '心愿当前状态为「已接单」，不能派单' }))
  expect(api.callsTo('GET /api/v1/wishes/7/candidates')).toHaveLength(2)
  expect(wx.navigateBack).not.toHaveBeenCalled()

  api.on('GET /api/v1/wishes/7/candidates', fail(403, 'out_of_scope', '您没有该小区的相应权限'))
  const denied = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  expect(text(denied)).toContain('您没有该小区的相应权限')
})

test('paused and full members are shown with the reason, but cannot be chosen', async () => {
  api.on('GET /api/v1/wishes/7/candidates', {
    items: [
      fixtures.candidate({ member_id: 3, name: '张伟' }),
      fixtures.candidate({ member_id: 4, name: '李娜', available: false, reasons: ['同一小区', '已设置暂停接单'] }),
      fixtures.candidate({ member_id: 5, name: '陈晓东', open_orders: 3, reasons: ['在办 3 单，已达上限'] }),
      fixtures.candidate({ member_id: 6, name: '刘建国', open_orders: 3, at_limit: true, reasons: ['技能匹配：水电维修'] }),
    ],
    total: 4,
  })
  api.on('POST /api/v1/wishes/7/dispatch', fixtures.wishDetail({ id: 7, status: 'dispatched' }))
  const page = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  const t = text(page)
  expect(t).toContain('已暂停接单，不能派单')
  expect(t).toContain('在办 3 单，已达上限，不能再派')
  expect(t).toContain('已达上限')

  for (const id of [4, 5, 6]) {
    await tap(page, '#candidate-' + id)
    expect(page.data.selected).toBe(null)
  }
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '刘建国在办 3 单，已达上限，不能再派' }))
  await tap(page, '#dispatch')
  expect(api.callsTo('POST /api/v1/wishes/7/dispatch')).toHaveLength(0)

  await tap(page, '#candidate-3')
  expect(page.data.selected).toBe(3)
  await tap(page, '#dispatch')
  expect(api.callsTo('POST /api/v1/wishes/7/dispatch')[0].data.member_id).toBe(3)
})
