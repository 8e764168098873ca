// 心愿墙: open wishes to claim; a lost race removes the wish from the wall.
const { setup, openPage, text, tap, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.memberMe())
})

test('renders the wall and claims a wish', async () => {
  api.on('GET /api/v1/wishes/wall', fixtures.page([
    fixtures.wish({ id: 5, title: '想学用智能手机视频通话', requester_name: '王*兰' }),
    fixtures.wish({ id: 6, title: '买米送上楼' }),
  ]))
  api.on('POST /api/v1/wishes/5/claim', fixtures.wishDetail({ id: 5, status: 'accepted' }))
  const page = await openPage('pages/member/wall/wall')
  expect(text(page)).toContain('想学用智能手机视频通话')
  expect(text(page)).toContain('王*兰')
  await tap(page, '#claim-5')
  expect(api.callsTo('POST /api/v1/wishes/5/claim')).toHaveLength(1)
  expect(text(page)).not.toContain('想学用智能手机视频通话')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=5' })
})

test('already taken: the detail is toasted and the wish leaves the wall', async () => {
  api.on('GET /api/v1/wishes/wall', fixtures.page([fixtures.wish({ id: 5, title: '被抢了' })]))
  api.on('POST /api/v1/wishes/5/claim', fail(409, 'already_taken', '这条心愿已被其他党员认领'))
  const page = await openPage('pages/member/wall/wall')
  await tap(page, '#claim-5')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '这条心愿已被其他党员认领' }))
  expect(text(page)).toContain('心愿墙上暂时没有待认领的心愿')
  expect(wx.navigateTo).not.toHaveBeenCalled()
})

test('empty wall, then error state for someone who is not a member', async () => {
  api.on('GET /api/v1/wishes/wall', fixtures.page([]))
  let page = await openPage('pages/member/wall/wall')
  expect(text(page)).toContain('心愿墙上暂时没有待认领的心愿')

  api.on('GET /api/v1/wishes/wall', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  page = await openPage('pages/member/wall/wall')
  expect(text(page)).toContain('您没有执行此操作的角色权限')
  expect(text(page)).toContain('重新加载')
})

test('tapping a wish opens it; infinite scroll asks for the next cursor', async () => {
  api.on('GET /api/v1/wishes/wall', (req) =>
    req.query.cursor ? fixtures.page([fixtures.wish({ id: 2, title: '第二页' })]) : fixtures.page([fixtures.wish({ id: 5 })], '5')
  )
  const page = await openPage('pages/member/wall/wall')
  await tap(page, '#wish-5')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=5' })
  await page.instance.onReachBottom()
  await flush()
  expect(text(page)).toContain('第二页')
})
