// 合伙人招募: the opportunity list, the share card (onShareAppMessage from the 转发到群 button), the
// page opened from a share card, and applying as my partner or as a would-be partner.
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const cb = require('../helpers/cobuild')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/opportunities', fixtures.page([cb.opportunity(), cb.opportunity({ id: 4, title: '社区花园共建', mode: 'co_build', mode_label: '共建', open: false })]))
})

test('the list, and the share card of the opportunity whose button was tapped', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/cobuild/opportunities/opportunities')
  const t = text(page.querySelector('#opportunity-3'))
  expect(t).toContain('招募助老送餐服务')
  expect(t).toContain('低偿服务')
  expect(t).toContain('需要：每天为20位老人送午餐')
  expect(t).toContain('已有 2 家报名')
  expect(text(page.querySelector('#opportunity-4'))).toContain('（已截止）')
  expect(exists(page, '#apply-4')).toBe(false)
  const card = page.instance.onShareAppMessage({ from: 'button', target: { dataset: { id: 3 } } })
  expect(card).toEqual({ title: '幸福合伙人招募：招募助老送餐服务｜低偿服务：每天为20位老人送午餐', path: '/pages/cobuild/opportunities/opportunities?id=3' })
  expect(page.instance.onShareAppMessage({ from: 'menu' }).path).toBe('/pages/cobuild/opportunities/opportunities')
})

test('a would-be partner applies with the form: kind, name, contact, services, pitch', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('POST /api/v1/opportunities/3/applications', { id: 8, opportunity_id: 3, partner_id: 20, partner_name: '惠民理发店', partner_status: 'applied', pitch: '', status: 'submitted', status_label: '已报名', decline_reason: null })
  const page = await openPage('pages/cobuild/opportunities/opportunities')
  await tap(page, '#apply-3')
  expect(exists(page, '#as-partner')).toBe(false) // no partner of my own
  await tap(page, '#submit-3')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请填写单位或个人名称' }))
  expect(api.callsTo('POST /api/v1/opportunities/3/applications')).toHaveLength(0)
  page.instance.onKind({ currentTarget: { dataset: { value: 'skilled_resident' } } })
  page.instance.onField({ currentTarget: { dataset: { field: 'name' } }, detail: { value: ' 王师傅 ' } })
  page.instance.onField({ currentTarget: { dataset: { field: 'contact' } }, detail: { value: '13800000002' } })
  page.instance.onField({ currentTarget: { dataset: { field: 'services' } }, detail: { value: '理发，上门理发、 修鞋' } })
  page.instance.onField({ currentTarget: { dataset: { field: 'pitch' } }, detail: { value: '每月一次' } })
  await tap(page, '#submit-3')
  expect(api.callsTo('POST /api/v1/opportunities/3/applications')[0].data).toEqual({
    partner: { kind: 'skilled_resident', name: '王师傅', contact: '13800000002', services: ['理发', '上门理发', '修鞋'] },
    pitch: '每月一次',
  })
  expect(text(page.querySelector('#applied-3'))).toContain('已报名')
  expect(exists(page, '#form-3')).toBe(false)
})

test('a partner contact applies as the partner; opened from a share card, the form is open', async () => {
  api.on('GET /api/v1/me', cb.partnerMe())
  api.on('POST /api/v1/opportunities/3/applications', { id: 8, opportunity_id: 3, partner_id: 2, partner_name: '鲁味坊餐馆', partner_status: 'active', pitch: '', status: 'submitted', status_label: '已报名', decline_reason: null })
  const page = await openPage('pages/cobuild/opportunities/opportunities', { id: '3' })
  expect(exists(page, '#form-3')).toBe(true)
  expect(exists(page, '#as-partner')).toBe(true)
  expect(exists(page, '#name')).toBe(false)
  await tap(page, '#submit-3')
  expect(api.callsTo('POST /api/v1/opportunities/3/applications')[0].data).toEqual({ partner_id: 2, pitch: '' })
})

test('the error state retries', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/opportunities', fail(500, 'internal', '服务器开小差了'))
  const page = await openPage('pages/cobuild/opportunities/opportunities')
  expect(text(page)).toContain('服务器开小差了')
  api.on('GET /api/v1/opportunities', fixtures.page([]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('暂时没有招募中的合作机会')
})
