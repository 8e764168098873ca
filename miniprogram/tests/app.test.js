// app.js: registers the App and warms the session (wx.login → token → GET /api/v1/me) on launch.
const { installWx, flush } = require('./helpers/wx')
const fixtures = require('./helpers/fixtures')

test('onLaunch logs in and loads who the user is; a failure is left to the pages', async () => {
  jest.resetModules()
  const { wx, api } = installWx()
  api.on('GET /api/v1/me', fixtures.memberMe())
  require('../app')
  const app = getApp()
  app.onLaunch()
  await flush()
  expect(wx.login).toHaveBeenCalledTimes(1)
  expect(require('../services/session').current().roles).toContain('party_member')
  expect(wx.showToast).not.toHaveBeenCalled()
})

test('config picks the API base by WeChat environment', () => {
  jest.resetModules()
  const { wx } = installWx()
  const config = require('../config')
  expect(config.apiBase).toBe('http://127.0.0.1:8000')
  wx.getAccountInfoSync.mockReturnValue({ miniProgram: { envVersion: 'release' } })
  expect(config.apiBase).toMatch(/^https:\/\//)
  expect(config.devLoginCode).toBe('')
})
