// 绑定小区: search compounds and bind with PATCH /api/v1/me.
const { setup, openPage, text, tap, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.newUser())
})

test('lists compounds, searches by name and binds, then continues to the next page', async () => {
  api.on('GET /api/v1/org/compounds', (req) =>
    fixtures.page(req.query.q === '锦华'
      ? [fixtures.compound()]
      : [fixtures.compound(), fixtures.compound({ id: 2, name: '阳光小区', address: '光明路8号' })])
  )
  api.on('PATCH /api/v1/me', (req) => fixtures.me({ compound_id: req.data.compound_id, name: req.data.name }))
  const page = await openPage('pages/bind/bind', { next: encodeURIComponent('/pages/wish/new/new') })
  expect(text(page)).toContain('阳光小区')

  page.instance.onQuery({ detail: { value: '锦华' } })
  await page.instance.onSearch()
  await flush()
  expect(api.callsTo('GET /api/v1/org/compounds').pop().query.q).toBe('锦华')
  expect(text(page)).not.toContain('阳光小区')

  page.instance.onName({ detail: { value: '小王' } })
  await tap(page, '#compound-1')
  expect(api.callsTo('PATCH /api/v1/me')[0].data).toEqual({ compound_id: 1, name: '小王' })
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/wish/new/new' })
  expect(require('../../services/session').current().compound_id).toBe(1)
})

test('no match: the empty state says so', async () => {
  api.on('GET /api/v1/org/compounds', fixtures.page([]))
  const page = await openPage('pages/bind/bind')
  expect(text(page)).toContain('没有找到这个小区')
})

test('search failure shows the error; a failed bind keeps the page', async () => {
  api.on('GET /api/v1/org/compounds', fail(422, 'invalid_input', '请求内容有误 — q: 太长'))
  const page = await openPage('pages/bind/bind')
  expect(text(page)).toContain('请求内容有误 — q: 太长')

  api.on('GET /api/v1/org/compounds', fixtures.page([fixtures.compound()]))
  await page.instance.onRetry()
  await flush()
  api.on('PATCH /api/v1/me', fail(404, 'compound_not_found', '小区不存在'))
  await tap(page, '#compound-1')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '小区不存在' }))
  expect(wx.redirectTo).not.toHaveBeenCalled()
  expect(page.data.saving).toBe(false)
})
