// 我的志愿: my sign-ups in the glossary's words, my 积分 and hours with the time-bank statement, and
// redeeming an offer (held until the partner confirms; a pending one can be cancelled).
const { setup, openPage, text, tap, selectTab, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const cb = require('../helpers/cobuild')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/timebank/me', cb.statement())
  api.on('GET /api/v1/me', fixtures.me())
})

test('my sign-ups with their states and hours; balance and hours on top', async () => {
  api.on(
    'GET /api/v1/registrations/mine',
    fixtures.page([
      cb.signup({ id: 71, status: 'completed', status_label: '已完成', minutes: 150, checked_in_at: cb.at(-50), checked_out_at: cb.at(-47.5) }),
      cb.signup({ id: 72, activity_title: '重阳节包饺子', status: 'waitlisted', status_label: '候补', waitlist_position: 2 }),
      cb.signup({ id: 73, activity_title: '清洁家园', status: 'no_show', status_label: '没来' }),
    ])
  )
  const page = await openPage('pages/cobuild/mine/mine')
  expect(text(page.querySelector('#balance'))).toContain('150')
  expect(text(page.querySelector('#balance'))).toContain('6小时30分')
  expect(text(page.querySelector('#my-number'))).toContain('我的志愿者编号：1')
  expect(text(page.querySelector('#signup-71'))).toContain('已完成')
  expect(text(page.querySelector('#signup-71'))).toContain('服务时长：2小时30分')
  expect(text(page.querySelector('#signup-72'))).toContain('候补第 2 位')
  // the glossary's word, whatever an older server calls it
  expect(text(page.querySelector('#signup-73'))).toContain('未到场')
  await tap(page, '#signup-72')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/cobuild/activity/activity?id=7' })
})

test('积分明细: the statement, credits and debits', async () => {
  api.on('GET /api/v1/registrations/mine', fixtures.page([]))
  const page = await openPage('pages/cobuild/mine/mine')
  await selectTab(page, '#tabs', '积分明细')
  expect(api.callsTo('GET /api/v1/timebank/me').pop().query).toMatchObject({ limit: '20' })
  expect(text(page.querySelector('#entry-3'))).toContain('+120')
  expect(text(page.querySelector('#entry-4'))).toContain('-30')
  expect(text(page.querySelector('#entry-4'))).toContain('惠民理发店 理发一次')
})

test('redeeming: confirmed first, held until the partner confirms, and cancellable', async () => {
  api.on('GET /api/v1/registrations/mine', fixtures.page([]))
  api.on('GET /api/v1/timebank/offers', fixtures.page([cb.offer(), cb.offer({ id: 5, title: '家电清洗', cost: 500 })]))
  api.on('POST /api/v1/timebank/offers/4/redemptions', { id: 9, offer_id: 4, partner_id: 2, user_id: 1, cost: 30, status: 'requested', status_label: '待确认', reason: null, balance: 120 })
  api.on('POST /api/v1/redemptions/9/cancel', { id: 9, offer_id: 4, partner_id: 2, user_id: 1, cost: 30, status: 'cancelled', status_label: '已取消', reason: null, balance: 150 })
  api.on('GET /api/v1/notifications/templates', (req) => ({ template_ids: req.query.action === 'redeem' ? ['tpl-redemption'] : [] }))
  const page = await openPage('pages/cobuild/mine/mine', { tab: 'offers' })
  expect(api.callsTo('GET /api/v1/timebank/offers')).toHaveLength(1)

  // not enough credits: said, nothing sent
  await tap(page, '#redeem-5')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '积分不够：需要 500，您有 150' }))
  expect(api.callsTo('POST /api/v1/timebank/offers/5/redemptions')).toHaveLength(0)

  await tap(page, '#redeem-4')
  expect(wx.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '兑换「理发一次」？' }))
  expect(wx.showModal.mock.calls.pop()[0].content).toContain('惠民理发店确认后兑换成功')
  expect(api.callsTo('POST /api/v1/timebank/offers/4/redemptions')).toHaveLength(1)
  // the partner's answer comes as a WeChat message: asked for in the same tap
  expect(wx.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tpl-redemption'] }))
  const held = text(page.querySelector('#held-9'))
  expect(held).toContain('待确认')
  expect(held).toContain('已冻结，等待对方确认')
  expect(text(page.querySelector('#balance'))).toContain('120')

  await tap(page, '#cancel-redeem-9')
  expect(api.callsTo('POST /api/v1/redemptions/9/cancel')).toHaveLength(1)
  expect(text(page.querySelector('#held-9'))).toContain('已取消')
  expect(exists(page, '#cancel-redeem-9')).toBe(false)
})

test('the list error is not "empty"', async () => {
  api.on('GET /api/v1/registrations/mine', fail(503, 'unavailable', '服务器暂时忙'))
  const page = await openPage('pages/cobuild/mine/mine')
  expect(text(page)).toContain('服务器暂时忙')
  expect(text(page)).not.toContain('还没有报名过活动')
  api.on('GET /api/v1/registrations/mine', fixtures.page([]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('还没有报名过活动')
})
