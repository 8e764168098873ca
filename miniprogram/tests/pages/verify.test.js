// 住户认证 (pages/verify) and the staff queue (pages/grid/verifications): contracts.md §1.
const { setup, openPage, text, tap, selectTab, retry, exists, flush } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

const claim = (status, o = {}) => Object.assign({ id: 12, household_id: 74, room: '4号楼1单元102', status, method: null, reason: null, created_at: fixtures.T0, decided_at: null }, o)
const pendingMe = () => fixtures.me({ household_status: 'pending', household_id: null, room: null, verification: claim('pending') })

describe('the resident', () => {
  test('a pending claim is verified with the WeChat phone number', async () => {
    api.on('GET /api/v1/me', pendingMe())
    api.on('POST /api/v1/me/verify-phone', () => fixtures.me({ household_status: 'verified', verification: claim('verified', { method: 'phone', decided_at: new Date().toISOString() }) }))
    const page = await openPage('pages/verify/verify')
    expect(text(page)).toContain('4号楼1单元102')
    expect(text(page)).toContain('认证中')
    expect(text(page)).toContain('用微信手机号认证')
    await page.instance.onPhoneNumber({ detail: { code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' } })
    await flush()
    expect(api.callsTo('POST /api/v1/me/verify-phone')[0].data).toEqual({ code: 'phone-code-1' })
    expect(text(page)).toContain('已认证')
    expect(text(page)).toContain('微信手机号')
    expect(require('../../services/session').current().household_status).toBe('verified')
  })

  test('a phone that does not match stays pending for staff, and the page says so', async () => {
    api.on('GET /api/v1/me', pendingMe())
    api.on('POST /api/v1/me/verify-phone', fail(409, 'phone_mismatch', '您的微信手机号与该户登记的电话不一致，已提交楼栋长/网格员审核'))
    const page = await openPage('pages/verify/verify')
    await page.instance.onPhoneNumber({ detail: { code: 'phone-code-2' } })
    await flush()
    expect(text(page)).toContain('已提交楼栋长/网格员审核')
    expect(text(page)).toContain('认证中')
  })

  test('refusing the phone number leaves it to staff; no request is sent', async () => {
    api.on('GET /api/v1/me', pendingMe())
    const page = await openPage('pages/verify/verify')
    await page.instance.onPhoneNumber({ detail: { errMsg: 'getPhoneNumber:fail user deny' } })
    expect(api.callsTo('POST /api/v1/me/verify-phone')).toHaveLength(0)
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '没有拿到手机号：您可以等楼栋长或网格员审核' }))
  })

  test('a verified resident can leave the household after confirming', async () => {
    api.on('GET /api/v1/me', fixtures.me({ household_status: 'verified', verification: claim('verified', { method: 'staff', decided_at: fixtures.T0 }) }))
    api.on('POST /api/v1/me/leave-household', fixtures.me({ household_status: 'none', household_id: null, room: null, verification: null }))
    const page = await openPage('pages/verify/verify')
    expect(text(page)).toContain('楼栋长 / 网格员审核')
    await tap(page, '#leave')
    expect(wx.showModal.mock.calls[0][0].title).toBe('迁出本户？')
    expect(api.callsTo('POST /api/v1/me/leave-household')).toHaveLength(1)
    expect(text(page)).toContain('未认证')
    expect(exists(page, '#leave')).toBe(false)
  })

  test('a rejected claim shows the reason; an older server (no household_status) shows the room only', async () => {
    api.on('GET /api/v1/me', fixtures.me({ household_status: 'none', household_id: null, room: null, verification: claim('rejected', { reason: '楼栋长没有核实到您住这里' }) }))
    let page = await openPage('pages/verify/verify')
    expect(text(page)).toContain('未通过：楼栋长没有核实到您住这里')

    require('../../services/session').clear()
    api.on('GET /api/v1/me', fixtures.me())
    page = await openPage('pages/verify/verify')
    expect(text(page)).toContain('这是您登记的房号')
    expect(exists(page, '#verify-phone')).toBe(false)
  })

  test('offline: the error says so, with 重新加载', async () => {
    wx.__setNetwork(false)
    api.on('GET /api/v1/me', NETWORK_DOWN)
    const page = await openPage('pages/verify/verify')
    expect(text(page)).toContain('没有网络')
    wx.__setNetwork(true)
    api.on('GET /api/v1/me', pendingMe())
    await retry(page)
    expect(text(page)).toContain('4号楼1单元102')
  })

  test('我的 shows the state and leads here', async () => {
    api.on('GET /api/v1/me', pendingMe())
    const page = await openPage('pages/me/me')
    expect(text(page)).toContain('住户认证认证中')
    await tap(page, '#verify')
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/verify/verify' })
  })
})

describe('the building chief / grid worker', () => {
  const v = (id, o = {}) =>
    Object.assign(
      {
        id,
        user_id: 300,
        user_name: '王秀兰',
        phone_masked: '138****0001',
        household_id: 74,
        room: '4号楼1单元102',
        compound_name: '锦华苑',
        residents: [{ name: '王秀兰', phone_masked: '138****0001', verified: false }, { name: '李建国', phone_masked: '139****2233', verified: true }],
        status: 'pending',
        method: null,
        reason: null,
        created_at: fixtures.T0,
        decided_at: null,
      },
      o
    )

  test('lists pending claims beside the register, approves one, rejects another with the reason', async () => {
    api.on('GET /api/v1/verifications', fixtures.page([v(12), v(13, { user_name: '赵小东', phone_masked: '137****8899', residents: [] })]))
    api.on('POST /api/v1/verifications/12/approve', v(12, { status: 'verified', method: 'staff' }))
    api.on('POST /api/v1/verifications/13/reject', (req) => v(13, { status: 'rejected', reason: req.data.reason }))
    const page = await openPage('pages/grid/verifications/verifications')
    expect(api.callsTo('GET /api/v1/verifications')[0].query).toMatchObject({ status: 'pending', limit: '20' })
    const t = text(page)
    expect(t).toContain('4号楼1单元102')
    expect(t).toContain('锦华苑')
    expect(t).toContain('李建国 139****2233已认证')
    expect(t).toContain('手机号与登记居民一致')
    expect(t).toContain('该户还没有登记居民，请核实后再通过')

    await tap(page, '#approve-12')
    expect(api.callsTo('POST /api/v1/verifications/12/approve')).toHaveLength(1)
    expect(page.data.items.map((i) => i.id)).toEqual([13])

    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '不是该户居民' }))
    await tap(page, '#reject-13')
    expect(api.callsTo('POST /api/v1/verifications/13/reject')[0].data).toEqual({ reason: '不是该户居民' })
    expect(page.data.items).toHaveLength(0)
    expect(text(page)).toContain('没有待审核的住户认证')
  })

  test('filters by decision; an already decided claim reloads the list; error state', async () => {
    api.on('GET /api/v1/verifications', (req) => fixtures.page(req.query.status === 'verified' ? [v(9, { status: 'verified', method: 'phone', decided_at: fixtures.T0 })] : [v(12)]))
    api.on('POST /api/v1/verifications/12/approve', fail(409, 'already_decided', '这条认证已经处理过了'))
    const page = await openPage('pages/grid/verifications/verifications')
    await tap(page, '#approve-12')
    expect(api.callsTo('GET /api/v1/verifications')).toHaveLength(2)
    await selectTab(page, '#filters', '已认证')
    expect(api.callsTo('GET /api/v1/verifications').pop().query.status).toBe('verified')
    expect(text(page)).toContain('微信手机号')
    expect(exists(page, '#approve-9')).toBe(false)

    api.on('GET /api/v1/verifications', fail(403, 'role_required', '只有楼栋长和网格员可以审核'))
    await page.instance.onPullDownRefresh()
    // the list stays; the failed refresh is said in a toast
    expect(page.data.items).toHaveLength(1)
    expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '只有楼栋长和网格员可以审核' }))
  })
})
