// 提案审核: the queue at the reviewer's level, and the decision with the negative-list checklist:
// a rejection without a ticked item or a reason is refused here, as the server refuses it.
const { setup, openPage, text, tap, retry } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const fx = require('../helpers/proposals')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  api.on('GET /api/v1/proposals/lists', fx.lists())
  api.on('GET /api/v1/proposals', fixtures.page([
    fx.summary({ id: 7, status: 'submitted' }),
    fx.summary({ id: 8, status: 'submitted', title: '小区南门电动车充电桩' }),
  ]))
  api.on('GET /api/v1/proposals/:id', (call) => fx.detail({ id: Number(call.params.id), status: 'submitted', viewer_is_proposer: false, actions: ['review'] }))
})

test('a dispatcher sees the compound level queue and rejects citing negative-list items', async () => {
  api.on('POST /api/v1/proposals/:id/review', fx.detail({ status: 'rejected' }))
  const page = await openPage('pages/proposal/review/review')
  expect(api.callsTo('GET /api/v1/proposals')[0].query).toEqual({ status: 'submitted', level: 'compound', limit: '20' })
  expect(text(page)).toContain('小区南门电动车充电桩')
  await tap(page, '#proposal-7')
  let t = text(page)
  expect(t).toContain('楼梯没有扶手')
  expect(t).toContain('每个单元一到六楼加装不锈钢扶手')
  expect(t).toContain('属于物业服务合同约定义务')

  // neither an item nor a reason: refused here, nothing sent
  await tap(page, '#reject')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '不予受理须勾选负面清单条目或写明理由', icon: 'none' })
  expect(api.callsTo('POST /api/v1/proposals/7/review')).toHaveLength(0)

  await tap(page, '#code-N04')
  await tap(page, '#code-N01')
  await tap(page, '#reject')
  expect(api.callsTo('POST /api/v1/proposals/7/review')[0].data).toEqual({ decision: 'reject', reason: null, negative_codes: ['N01', 'N04'], to_level: null })
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '未予受理', icon: 'success' })
  // back on the queue, without the decided one
  t = text(page)
  expect(t).not.toContain('3号楼加装楼道扶手')
  expect(t).toContain('小区南门电动车充电桩')
})

test('return needs the words of what to change; refer needs a level; accept goes straight', async () => {
  api.on('POST /api/v1/proposals/:id/review', (call) => fx.detail({ status: call.data.decision === 'accept' ? 'accepted' : 'returned' }))
  const page = await openPage('pages/proposal/review/review', { id: '7' })
  await tap(page, '#return')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '退回修改须写明需要修改的地方', icon: 'none' })
  await tap(page, '#refer')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请选择转交到哪一级', icon: 'none' })
  expect(text(page)).toContain('社区级')
  expect(text(page)).toContain('街道级')
  page.instance.onReason({ detail: { value: '请补充费用来源' } })
  await tap(page, '#code-N04') // ticked, but a return does not cite codes
  await tap(page, '#return')
  expect(api.callsTo('POST /api/v1/proposals/7/review')[0].data).toEqual({ decision: 'return', reason: '请补充费用来源', negative_codes: [], to_level: null })

  await page.instance.open(8)
  await tap(page, '#to-community')
  await tap(page, '#refer')
  expect(api.callsTo('POST /api/v1/proposals/8/review')[0].data).toEqual({ decision: 'refer', reason: null, negative_codes: [], to_level: 'community' })

  await page.instance.open(7)
  await tap(page, '#accept')
  expect(api.callsTo('POST /api/v1/proposals/7/review')[1].data).toEqual({ decision: 'accept', reason: null, negative_codes: [], to_level: null })
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '已立项待议事', icon: 'success' })
})

test('the server refusing the decision keeps the form; the queue error has a retry; an empty queue says so', async () => {
  api.on('POST /api/v1/proposals/:id/review', fail(403, 'out_of_scope', '这条提案不由您这一级审议'))
  let page = await openPage('pages/proposal/review/review', { id: '7' })
  await tap(page, '#accept')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '这条提案不由您这一级审议' }))
  expect(text(page)).toContain('对照负面清单')

  api.on('GET /api/v1/proposals', fail(500, 'internal', '服务器开小差了'))
  page = await openPage('pages/proposal/review/review')
  expect(text(page)).toContain('服务器暂时出了问题')
  api.on('GET /api/v1/proposals', fixtures.page([]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('没有待审议的提案')
})

test('a community admin reviews the community level', async () => {
  api.on('GET /api/v1/me', fixtures.me({ roles: ['community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] }))
  await openPage('pages/proposal/review/review')
  expect(api.callsTo('GET /api/v1/proposals')[0].query).toMatchObject({ level: 'community' })
})
