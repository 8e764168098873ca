// 党员双报到: POST /api/v1/members/register to one's own compound.
const { setup, openPage, text, tap } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
})

test('a resident reports in with work unit and skills', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('POST /api/v1/members/register', (req) => Object.assign(fixtures.registration(), req.data))
  const page = await openPage('pages/member/register/register')
  expect(text(page)).toContain('锦华苑')
  expect(text(page)).toContain('水电维修') // suggested from the categories

  page.instance.onWorkUnit({ detail: { value: ' 区税务局 ' } })
  await tap(page, '#skills', '#skill-1') // 水电维修
  page.instance.onSkills({ detail: { value: page.data.skills.concat(['书法']) } })
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/members/register')[0].data).toEqual({
    compound_id: 1,
    work_unit: '区税务局',
    skills: ['水电维修', '书法'],
  })
  expect(text(page)).toContain('报到申请审核中')
})

test('a pending registration and an existing membership are shown as such', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('POST /api/v1/members/register', fail(409, 'registration_pending', '您在该小区的报到申请正在审核中'))
  const page = await openPage('pages/member/register/register')
  page.instance.onWorkUnit({ detail: { value: '税务局' } })
  await tap(page, '#submit')
  expect(text(page)).toContain('您在该小区的报到申请正在审核中')

  api.on('GET /api/v1/me', fixtures.memberMe())
  const member = await openPage('pages/member/register/register')
  expect(text(member)).toContain('您已在锦华苑报到')
  await tap(member, '#to-wall')
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/member/wall/wall' })
})

test('work unit is required; an unbound user is sent to bind', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/member/register/register')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请填写工作单位' }))

  api.on('GET /api/v1/me', fixtures.newUser())
  const unbound = await openPage('pages/member/register/register')
  expect(text(unbound)).toContain('请先绑定您居住的小区')
  await tap(unbound, '#to-bind')
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/member/register/register') })
})

test('error state', async () => {
  api.on('GET /api/v1/me', fail(500, 'internal_error', '服务器内部错误，请稍后再试'))
  const page = await openPage('pages/member/register/register')
  expect(text(page)).toContain('服务器内部错误，请稍后再试')
  expect(text(page)).toContain('重新加载')
})
