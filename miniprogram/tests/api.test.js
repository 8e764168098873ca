// services/api.js over a stubbed wx: token, re-login on 401, error toasts, GET retry.
const { installWx, fail, reply, NETWORK_DOWN } = require('./helpers/wx')
const fixtures = require('./helpers/fixtures')

let wx, fake, api

beforeEach(() => {
  jest.resetModules()
  ;({ wx, api: fake } = installWx())
  api = require('../services/api').createClient({ retryDelay: 0 })
})

test('logs in with wx.login when there is no token, then sends the bearer token', async () => {
  fake.on('GET /api/v1/me', fixtures.me())
  const me = await api.getMe()
  expect(me.compound_name).toBe('锦华苑')
  expect(wx.login).toHaveBeenCalledTimes(1)
  expect(fake.callsTo('POST /api/v1/auth/wechat')[0].data).toEqual({ code: 'test-code' })
  expect(fake.callsTo('GET /api/v1/me')[0].header.Authorization).toBe('Bearer test-token')
  expect(wx.getStorageSync('hh_token')).toBe('test-token')
})

test('reuses the stored token without logging in again', async () => {
  wx.setStorageSync('hh_token', 'kept')
  fake.on('GET /api/v1/me', fixtures.me())
  await api.getMe()
  await api.getMe()
  expect(wx.login).not.toHaveBeenCalled()
  expect(fake.callsTo('GET /api/v1/me').map((c) => c.header.Authorization)).toEqual(['Bearer kept', 'Bearer kept'])
})

test('on 401 logs in again and retries the call once', async () => {
  wx.setStorageSync('hh_token', 'expired')
  fake.on('GET /api/v1/me', (req) =>
    req.header.Authorization === 'Bearer expired' ? fail(401, 'invalid_token', '登录凭证无效，请重新登录') : fixtures.me()
  )
  const me = await api.getMe()
  expect(me.id).toBe(1)
  expect(wx.login).toHaveBeenCalledTimes(1)
  expect(fake.callsTo('GET /api/v1/me')).toHaveLength(2)
  expect(wx.getStorageSync('hh_token')).toBe('test-token')
  expect(wx.showToast).not.toHaveBeenCalled()
})

test('a second 401 is not retried again: the detail is shown and thrown', async () => {
  fake.on('GET /api/v1/me', fail(401, 'invalid_token', '登录凭证无效，请重新登录'))
  await expect(api.getMe()).rejects.toMatchObject({ status: 401, code: 'invalid_token' })
  expect(fake.callsTo('GET /api/v1/me')).toHaveLength(2)
  expect(wx.login).toHaveBeenCalledTimes(2) // first token, then the one re-login
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '登录凭证无效，请重新登录', icon: 'none' }))
})

test('concurrent calls without a token share one login', async () => {
  fake.on('GET /api/v1/me', fixtures.me())
  fake.on('GET /api/v1/wishes/categories', fixtures.categories())
  await Promise.all([api.getMe(), api.listCategories(), api.getMe()])
  expect(wx.login).toHaveBeenCalledTimes(1)
})

test("shows the error's detail in a toast and throws an ApiError", async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('POST /api/v1/wishes/7/claim', fail(409, 'already_taken', '这条心愿已被其他党员认领'))
  const err = await api.claimWish(7).catch((e) => e)
  expect(err).toBeInstanceOf(api.ApiError)
  expect(err).toMatchObject({ status: 409, code: 'already_taken', detail: '这条心愿已被其他党员认领' })
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '这条心愿已被其他党员认领' }))
})

test('silent calls throw without a toast', async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('GET /api/v1/wishes', fail(403, 'forbidden', '没有权限'))
  await expect(api.listWishes({ mine: true }, { silent: true })).rejects.toMatchObject({ status: 403 })
  expect(wx.showToast).not.toHaveBeenCalled()
})

test('an error body without detail still gives a readable message', async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('GET /api/v1/me', reply(502, '<html>bad gateway</html>'))
  await expect(api.getMe()).rejects.toMatchObject({ status: 502, detail: '服务器开小差了，请稍后再试' })
})

test('a GET that fails on the network is retried once', async () => {
  wx.setStorageSync('hh_token', 't')
  let n = 0
  fake.on('GET /api/v1/wishes/wall', () => (++n === 1 ? NETWORK_DOWN : fixtures.page([fixtures.wish()])))
  const page = await api.listWall()
  expect(page.items).toHaveLength(1)
  expect(n).toBe(2)
})

test('a GET failing twice on the network gives up with a network error', async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('GET /api/v1/wishes/wall', NETWORK_DOWN)
  await expect(api.listWall()).rejects.toMatchObject({ status: 0, code: 'network_error' })
  expect(fake.callsTo('GET /api/v1/wishes/wall')).toHaveLength(2)
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络连接失败，请检查网络后重试' }))
})

test('a POST that fails on the network is not retried (not idempotent)', async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('POST /api/v1/wishes', NETWORK_DOWN)
  await expect(api.createWish({ title: 'x', category: 'repair' })).rejects.toMatchObject({ code: 'network_error' })
  expect(fake.callsTo('POST /api/v1/wishes')).toHaveLength(1)
})

test('a failed WeChat login is reported', async () => {
  wx.login.mockImplementation((opts) => opts.fail({ errMsg: 'login:fail' }))
  await expect(api.getMe()).rejects.toMatchObject({ code: 'wx_login_failed' })
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '微信登录失败，请重试' }))
})

test('a login refused by the server shows its detail', async () => {
  fake.on('POST /api/v1/auth/wechat', fail(401, 'invalid_code', '微信登录凭证无效，请重试'))
  await expect(api.getMe()).rejects.toMatchObject({ status: 401, code: 'invalid_code' })
  expect(fake.callsTo('GET /api/v1/me')).toHaveLength(0)
})

test('query strings skip empty values and encode the rest', async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('GET /api/v1/org/compounds', fixtures.page([]))
  fake.on('GET /api/v1/wishes', fixtures.page([]))
  await api.searchCompounds({ q: '锦华 苑' })
  await api.listWishes({ mine: false, status: 'pending_review,open', cursor: '42' })
  expect(fake.callsTo('GET /api/v1/org/compounds')[0].query).toEqual({ q: '锦华 苑' })
  expect(fake.callsTo('GET /api/v1/wishes')[0].query).toEqual({ mine: 'false', status: 'pending_review,open', cursor: '42' })
})

test('uploadPhoto posts the file as multipart "file" and parses the JSON text', async () => {
  wx.setStorageSync('hh_token', 't')
  fake.on('POST /api/v1/uploads', { url: '/uploads/abc.jpg', content_type: 'image/jpeg', size: 10 })
  const out = await api.uploadPhoto('wxfile://tmp/a.jpg')
  expect(out.url).toBe('/uploads/abc.jpg')
  const call = wx.uploadFile.mock.calls[0][0]
  expect(call).toMatchObject({ url: 'http://127.0.0.1:8000/api/v1/uploads', filePath: 'wxfile://tmp/a.jpg', name: 'file' })
  expect(call.header.Authorization).toBe('Bearer t')
})

test('uploadPhoto logs in again on 401 and shows upload errors', async () => {
  wx.setStorageSync('hh_token', 'old')
  fake.on('POST /api/v1/uploads', (req) =>
    req.header.Authorization === 'Bearer old'
      ? fail(401, 'invalid_token', '登录凭证无效')
      : fail(422, 'unsupported_file_type', '只支持 JPG、PNG 或 WebP 图片')
  )
  await expect(api.uploadPhoto('wxfile://tmp/a.gif')).rejects.toMatchObject({ code: 'unsupported_file_type' })
  expect(wx.uploadFile).toHaveBeenCalledTimes(2)
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '只支持 JPG、PNG 或 WebP 图片' }))
})

test('in develop, a configured demo login code replaces wx.login', async () => {
  const devApi = require('../services/api').createClient({ retryDelay: 0, devLoginCode: 'demo-dispatcher' })
  fake.on('GET /api/v1/me', fixtures.dispatcherMe())
  await devApi.getMe()
  expect(wx.login).not.toHaveBeenCalled()
  expect(fake.callsTo('POST /api/v1/auth/wechat')[0].data).toEqual({ code: 'demo-dispatcher' })
})

test('logout forgets the token', async () => {
  wx.setStorageSync('hh_token', 't')
  expect(api.hasToken()).toBe(true)
  api.logout()
  expect(api.hasToken()).toBe(false)
})
