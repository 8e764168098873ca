// 我的: profile, name and phone, links; re-login.
const { setup, openPage, text, tap } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

test('shows compound, roles and saves name and phone', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe())
  api.on('PATCH /api/v1/me', (req) => fixtures.memberMe(req.data))
  const page = await openPage('pages/me/me')
  const t = text(page)
  expect(t).toContain('张伟')
  expect(t).toContain('锦华苑')
  expect(t).toContain('党员')
  expect(t).toContain('技能与时间')
  page.instance.onName({ detail: { value: '张师傅' } })
  page.instance.onPhone({ detail: { value: '13900000009' } })
  await tap(page, '#save')
  expect(api.callsTo('PATCH /api/v1/me')[0].data).toEqual({ name: '张师傅', phone: '13900000009' })
  expect(text(page)).toContain('张师傅')
})

test('checks the phone number; links to binding and 双报到', async () => {
  api.on('GET /api/v1/me', fixtures.newUser())
  const page = await openPage('pages/me/me')
  expect(text(page)).toContain('未绑定')
  expect(text(page)).toContain('党员双报到')
  page.instance.onName({ detail: { value: '小王' } })
  page.instance.onPhone({ detail: { value: '123' } })
  await tap(page, '#save')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请填写 11 位手机号' }))
  expect(api.callsTo('PATCH /api/v1/me')).toHaveLength(0)
  page.instance.onBind()
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/bind/bind' })
  page.instance.onRegister()
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/member/register/register' })
})

test('re-login forgets the token and logs in with wx.login again', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/me/me')
  expect(wx.login).toHaveBeenCalledTimes(1)
  await tap(page, '#relogin')
  expect(wx.login).toHaveBeenCalledTimes(2)
})

test('error state', async () => {
  api.on('GET /api/v1/me', fail(500, 'internal_error', '服务器内部错误，请稍后再试'))
  const page = await openPage('pages/me/me')
  expect(text(page)).toContain('服务器内部错误，请稍后再试')
})
