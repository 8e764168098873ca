// 技能与时间: GET/PATCH /api/v1/members/me.
const { setup, openPage, text, tap } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.memberMe())
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
  api.on('GET /api/v1/members/me', fixtures.member())
})

test('shows availability, work unit and skills; pausing saves at once', async () => {
  api.on('PATCH /api/v1/members/me', (req) => fixtures.member(req.data))
  const page = await openPage('pages/member/profile/profile')
  expect(text(page)).toContain('可以接单')
  expect(page.data.workUnit).toBe('税务局')
  await page.instance.onAvailable({ detail: { value: false } })
  expect(api.callsTo('PATCH /api/v1/members/me')[0].data).toEqual({ available: false })
  expect(text(page)).toContain('暂停接单')
})

test('saves skills and work unit', async () => {
  api.on('PATCH /api/v1/members/me', (req) => fixtures.member(req.data))
  const page = await openPage('pages/member/profile/profile')
  page.instance.onWorkUnit({ detail: { value: '区人民医院' } })
  await tap(page, '#skills', '#skill-0') // toggles 助老服务 on
  await tap(page, '#save')
  expect(api.callsTo('PATCH /api/v1/members/me')[0].data).toEqual({ work_unit: '区人民医院', skills: ['水电维修', '助老服务'] })
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已保存' }))
})

test('a refused switch goes back; error state when the profile cannot load', async () => {
  api.on('PATCH /api/v1/members/me', fail(500, 'internal_error', '服务器内部错误，请稍后再试'))
  let page = await openPage('pages/member/profile/profile')
  await page.instance.onAvailable({ detail: { value: false } })
  expect(page.data.available).toBe(true)

  api.on('GET /api/v1/members/me', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  page = await openPage('pages/member/profile/profile')
  expect(text(page)).toContain('您没有执行此操作的角色权限')
})

test('share_phone: residents may call me after acceptance; shown only when the server knows it', async () => {
  api.on('GET /api/v1/members/me', fixtures.member({ share_phone: false }))
  api.on('PATCH /api/v1/members/me', (req) => fixtures.member(Object.assign({ share_phone: false }, req.data)))
  let page = await openPage('pages/member/profile/profile')
  expect(text(page)).toContain('允许居民给我打电话')
  expect(text(page)).toContain('会请您回电')
  await page.instance.onSharePhone({ detail: { value: true } })
  expect(api.callsTo('PATCH /api/v1/members/me')[0].data).toEqual({ share_phone: true })
  expect(page.data.sharePhone).toBe(true)
  expect(text(page)).toContain('直接打给您')

  api.on('GET /api/v1/members/me', fixtures.member())
  page = await openPage('pages/member/profile/profile')
  expect(text(page)).not.toContain('允许居民给我打电话')
})
