// 我要提案: the form (level, kind, an encouraged category with what it covers, problem, solution,
// taking the project on, cost), 保存草稿, and 提交 through the negative-list self-check.
const { setup, openPage, text, tap, retry, event, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fx = require('../helpers/proposals')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/proposals/lists', fx.lists())
})

function fill(page, values) {
  Object.keys(values).forEach((field) => page.instance.onField(event({ field }, { value: values[field] })))
}

test('fills a joint proposal, saves the draft, then submits after ticking all 13 items', async () => {
  api.on('POST /api/v1/proposals', (call) => fx.detail({ id: 7, kind: call.data.kind }))
  api.on('PATCH /api/v1/proposals/:id', (call) => fx.detail({ id: 7, kind: 'joint', title: call.data.title }))
  api.on('POST /api/v1/proposals/:id/submit', fx.detail({ id: 7, kind: 'joint', status: 'cosigning', cosign_threshold: 5 }))
  const page = await openPage('pages/proposal/new/new')
  let t = text(page)
  expect(t).toContain('为老为小服务')
  expect(t).toContain('带着解决办法提问题')

  await tap(page, '#kind-joint')
  expect(text(page)).toContain('满 5 户才进入审议')
  await tap(page, '#cat-facilities')
  expect(text(page)).toContain('楼道照明、健身器材')
  fill(page, { title: '3号楼加装楼道扶手', problem: '老人上下楼容易摔倒' })
  // no solution: refused here, nothing sent
  await tap(page, '#save-draft')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请写下您的解决办法', icon: 'none' })
  expect(api.callsTo('POST /api/v1/proposals')).toHaveLength(0)

  fill(page, { solution: '每个单元加装扶手', cost: '3000' })
  await tap(page, '#undertake')
  fill(page, { undertaking: '我来联系施工队' })
  await tap(page, '#save-draft')
  const [created] = api.callsTo('POST /api/v1/proposals')
  expect(created.data).toEqual({
    level: 'compound',
    kind: 'joint',
    title: '3号楼加装楼道扶手',
    problem: '老人上下楼容易摔倒',
    solution: '每个单元加装扶手',
    category: 'facilities',
    will_undertake: true,
    undertaking: '我来联系施工队',
    estimated_cost: 3000,
    organisation_name: null,
    photos: [],
  })
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '草稿已保存', icon: 'success' })

  // 提交: the draft is saved again (PATCH, not a second draft), then the self-check
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/proposals')).toHaveLength(1)
  expect(api.callsTo('PATCH /api/v1/proposals/7')).toHaveLength(1)
  t = text(page)
  expect(t).toContain('对照负面清单自查')
  expect(t).toContain('属于物业服务合同约定义务')
  expect(t).toContain('已确认 0/13 条不涉及')
  await tap(page, '#confirm') // disabled until every item is ticked
  expect(api.callsTo('POST /api/v1/proposals/7/submit')).toHaveLength(0)
  for (const n of fx.NEGATIVE.slice(0, 12)) await tap(page, '#neg-' + n.code)
  expect(text(page)).toContain('已确认 12/13 条不涉及')
  page.instance.onConfirm()
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请逐条确认不涉及负面清单（还有 1 条）', icon: 'none' })
  await tap(page, '#neg-N13')
  await tap(page, '#confirm')
  const [submit] = api.callsTo('POST /api/v1/proposals/7/submit')
  expect(submit.data).toEqual({ none_applies: true })
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '已提交，请邀请邻居联名', icon: 'success' })
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/proposal/detail/detail?id=7' })
})

test('an organisation proposal needs the organisation; the server refusal is shown and the form stays', async () => {
  api.on('POST /api/v1/proposals', fail(403, 'partner_contact_required', '单位提案须由共建单位的联系人提出'))
  const page = await openPage('pages/proposal/new/new')
  await tap(page, '#kind-organisation')
  await tap(page, '#cat-safety')
  fill(page, { title: '消防通道划线', problem: '消防通道被占', solution: '划线并每周巡查' })
  await tap(page, '#save-draft')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请填写提案单位的名称', icon: 'none' })
  fill(page, { organisation: '区消防救援大队' })
  await tap(page, '#save-draft')
  expect(api.callsTo('POST /api/v1/proposals')[0].data).toMatchObject({ kind: 'organisation', organisation_name: '区消防救援大队' })
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '单位提案须由共建单位的联系人提出' }))
  expect(exists(page, '#submit')).toBe(true)
})

test('a returned proposal opens for editing and is resubmitted through the check', async () => {
  api.on('GET /api/v1/proposals/:id', fx.detail({ status: 'returned', review_reason: '请写明费用来源', photos: ['/uploads/a.jpg'] }))
  api.on('PATCH /api/v1/proposals/:id', fx.detail({ status: 'returned' }))
  api.on('POST /api/v1/proposals/:id/submit', fx.detail({ status: 'submitted' }))
  const page = await openPage('pages/proposal/new/new', { id: '7', step: 'check' })
  expect(text(page)).toContain('对照负面清单自查')
  await tap(page, '#back')
  expect(text(page)).toContain('已有照片 1 张')
  expect(exists(page, '#kind-joint')).toBe(false) // level and kind stay as drafted
  await tap(page, '#submit')
  expect(api.callsTo('PATCH /api/v1/proposals/7')[0].data).toMatchObject({ solution: '每个单元一到六楼加装不锈钢扶手，先在3号楼试点。', photos: ['/uploads/a.jpg'] })
  for (const n of fx.NEGATIVE) await tap(page, '#neg-' + n.code)
  await tap(page, '#confirm')
  expect(api.callsTo('POST /api/v1/proposals/7/submit')).toHaveLength(1)
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '已提交', icon: 'success' })
})

test('the lists failing to load is an error state with retry', async () => {
  api.on('GET /api/v1/proposals/lists', fail(403, 'compound_required', '请先在“我的”页面绑定所在小区'))
  const page = await openPage('pages/proposal/new/new')
  expect(text(page)).toContain('请先在“我的”页面绑定所在小区')
  api.on('GET /api/v1/proposals/lists', fx.lists())
  await retry(page)
  expect(text(page)).toContain('公共设施维修')
})

test('a partner’s contact proposes for the partner: partner_id is sent, no name asked', async () => {
  const fixtures = require('../helpers/fixtures')
  api.on('GET /api/v1/me', fixtures.me({ compound_id: null, roles: ['partner_contact'], grants: [{ role: 'partner_contact', scope_type: 'partner', scope_id: 3 }] }))
  api.on('POST /api/v1/proposals', fx.detail({ kind: 'organisation', organisation_name: '鲁味坊餐馆' }))
  const page = await openPage('pages/proposal/new/new')
  await tap(page, '#kind-organisation')
  expect(text(page)).toContain('以您联系的合伙人（共建单位）的名义提出')
  expect(exists(page, '#organisation')).toBe(false)
  await tap(page, '#cat-elderly_children')
  fill(page, { title: '爱心午餐进社区', problem: '独居老人中午吃饭难', solution: '每周三送午餐' })
  await tap(page, '#undertake')
  await tap(page, '#save-draft')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '愿意承接的，请说明打算怎样承接', icon: 'none' })
  fill(page, { undertaking: '餐馆出餐' })
  await tap(page, '#save-draft')
  expect(api.callsTo('POST /api/v1/proposals')[0].data).toMatchObject({ kind: 'organisation', partner_id: 3, organisation_name: null, undertaking: '餐馆出餐' })
})
