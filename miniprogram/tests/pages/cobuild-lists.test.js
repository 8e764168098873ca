// 三清单: items by kind, claiming as the side my grant gives me (双认领), the owner's accept /
// decline, the claimant's withdrawal, claim states in the glossary's words.
const { setup, openPage, text, tap, selectTab, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const cb = require('../helpers/cobuild')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

test('items by kind; a partner contact claims a compound need as its partner, with a note', async () => {
  api.on('GET /api/v1/me', cb.partnerMe())
  api.on('GET /api/v1/list-items', (req) => fixtures.page(req.query.kind === 'resource' ? [cb.item({ id: 13, kind: 'resource', title: '免费测血压', owner_kind: 'partner', owner_id: 3, owner_name: '惠民大药房' })] : [cb.item()]))
  let claimed = false
  api.on('POST /api/v1/list-items/12/claims', () => {
    claimed = true
    return cb.claim()
  })
  api.on('GET /api/v1/list-items/12', () => cb.item({ claims: claimed ? [cb.claim()] : [] }))
  const page = await openPage('pages/cobuild/lists/lists')
  expect(api.callsTo('GET /api/v1/list-items')[0].query).toMatchObject({ kind: 'need', limit: '20' })
  const t = text(page.querySelector('#item-12'))
  expect(t).toContain('高龄老人助餐')
  expect(t).toContain('待认领')
  expect(t).toContain('需求 · 助老 · 8人 · 锦华苑')

  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '每周三送餐' }))
  await tap(page, '#claim-12')
  expect(api.callsTo('POST /api/v1/list-items/12/claims')[0].data).toEqual({ claimant_kind: 'partner', claimant_id: 2, note: '每周三送餐' })
  const claims = text(page.querySelector('#claims-12'))
  expect(claims).toContain('鲁味坊餐馆')
  expect(claims).toContain('待确认')
  // already claimed by my partner: no second 我要认领; mine can be withdrawn
  expect(exists(page, '#claim-12')).toBe(false)
  expect(exists(page, '#withdraw-30')).toBe(true)

  // a partner does not claim a partner's resource (双认领): no button there
  await selectTab(page, '#kinds', '资源清单')
  expect(api.callsTo('GET /api/v1/list-items').pop().query).toMatchObject({ kind: 'resource' })
  expect(text(page)).toContain('免费测血压')
  expect(exists(page, '#claim-13')).toBe(false)
})

test('the owner side (a community admin) accepts one claim and declines another with a reason', async () => {
  api.on('GET /api/v1/me', cb.adminMe())
  const claims = [cb.claim(), cb.claim({ id: 31, claimant_id: 4, claimant_name: '绿茵物业' })]
  api.on('GET /api/v1/list-items', fixtures.page([cb.item()]))
  api.on('GET /api/v1/list-items/12', () => cb.item({ claims }))
  api.on('POST /api/v1/list-claims/30/decide', () => Object.assign(claims[0], { status: 'matched', status_label: '已对接' }))
  api.on('POST /api/v1/list-claims/31/decide', () => Object.assign(claims[1], { status: 'declined', status_label: '未接受', decline_reason: '已有单位承接' }))
  const page = await openPage('pages/cobuild/lists/lists')
  expect(exists(page, '#claim-12')).toBe(false) // a community does not claim its own compound's need
  await tap(page, '#open-12')
  await tap(page, '#accept-30')
  expect(api.callsTo('POST /api/v1/list-claims/30/decide')[0].data).toEqual({ decision: 'accept', reason: null })
  expect(text(page.querySelector('#claim-30'))).toContain('已对接')
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '已有单位承接' }))
  await tap(page, '#decline-31')
  expect(api.callsTo('POST /api/v1/list-claims/31/decide')[0].data).toEqual({ decision: 'decline', reason: '已有单位承接' })
  expect(text(page.querySelector('#claim-31'))).toContain('未接受')
  expect(text(page.querySelector('#claim-31'))).toContain('原因：已有单位承接')
  expect(exists(page, '#accept-31')).toBe(false)
})

test('the claimant withdraws, after a confirmation', async () => {
  api.on('GET /api/v1/me', cb.partnerMe())
  const claim = cb.claim({ status: 'matched', status_label: '已对接' })
  api.on('GET /api/v1/list-items', fixtures.page([cb.item({ status: 'matched' })]))
  api.on('GET /api/v1/list-items/12', () => cb.item({ status: claim.status === 'withdrawn' ? 'open' : 'matched', claims: [claim] }))
  api.on('POST /api/v1/list-claims/30/withdraw', () => Object.assign(claim, { status: 'withdrawn', status_label: '已撤回' }))
  const page = await openPage('pages/cobuild/lists/lists')
  await tap(page, '#open-12')
  await tap(page, '#withdraw-30')
  expect(wx.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '撤回认领？' }))
  expect(api.callsTo('POST /api/v1/list-claims/30/withdraw')).toHaveLength(1)
  expect(text(page.querySelector('#claim-30'))).toContain('已撤回')
  expect(text(page.querySelector('#item-12'))).toContain('待认领')
  expect(exists(page, '#withdraw-30')).toBe(false)
})

test('a resident sees the lists without claiming; the error state retries', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/list-items', fail(500, 'internal', '服务器开小差了'))
  const page = await openPage('pages/cobuild/lists/lists')
  expect(text(page)).toContain('服务器开小差了')
  api.on('GET /api/v1/list-items', fixtures.page([cb.item()]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('高龄老人助餐')
  expect(exists(page, '#claim-12')).toBe(false)
})

test('首页: 志愿共建 for everyone, 三清单 for those who claim (partner contacts, admins, team leaders)', () => {
  const roles = require('../../utils/roles')
  const keys = (me) => roles.homeSections(me).find((s) => s.title === '志愿共建').entries.map((e) => e.key)
  expect(keys(fixtures.me())).toEqual(['activities', 'my-volunteering', 'opportunities'])
  expect(keys(cb.partnerMe())).toContain('lists')
  expect(keys(cb.adminMe())).toContain('lists')
  const app = require('../../app.json')
  const pkg = app.subPackages.find((p) => p.root === 'pages/cobuild')
  roles.homeSections(cb.adminMe()).find((s) => s.title === '志愿共建').entries.forEach((e) => {
    expect(pkg.pages).toContain(e.url.replace('/pages/cobuild/', '').split('?')[0])
  })
})
