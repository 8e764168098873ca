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

test('onLaunch starts the offline visit queue: visits left on the phone sync when the network returns', async () => {
  jest.resetModules()
  const { wx, api } = installWx()
  api.on('GET /api/v1/me', fixtures.gridWorkerMe())
  api.on('POST /api/v1/visits/batch', (req) => fixtures.batchOut(req.data.visits))
  wx.setStorageSync('hh_visit_queue', [
    {
      client_id: '11111111-2222-4333-8444-555555555555',
      payload: { household_id: 58, visited_at: '2026-11-23T02:00:00Z', outcome: 'met', people_met: [], note: '', findings: [] },
      meta: {},
      state: 'pending',
      detail: '',
      attempts: 0,
      created_at: '2026-11-23T02:00:00Z',
      synced_at: null,
      server_id: null,
    },
  ])
  wx.__network.isConnected = false
  require('../app')
  getApp().onLaunch()
  await flush()
  expect(wx.onNetworkStatusChange).toHaveBeenCalled()
  expect(api.callsTo('POST /api/v1/visits/batch')).toHaveLength(0)
  wx.__setNetwork(true)
  await flush(10)
  expect(api.callsTo('POST /api/v1/visits/batch')[0].data.visits[0].client_id).toBe('11111111-2222-4333-8444-555555555555')
  expect(require('../services/visits').get().list()[0].state).toBe('created')
})

test('offline at launch, the last known user is used (a grid worker keeps the 走访 tab)', async () => {
  const { setup } = require('./helpers/page')
  const { NETWORK_DOWN } = require('./helpers/wx')
  const fixtures = require('./helpers/fixtures')
  const { wx, api } = setup()
  api.on('GET /api/v1/me', fixtures.gridWorkerMe())
  let session = require('../services/session')
  await session.load()
  expect(wx.getStorageSync('hh_me').name).toBe('孙丽')

  // the next launch, no signal
  jest.resetModules()
  session = require('../services/session')
  api.on('GET /api/v1/me', NETWORK_DOWN)
  const me = await session.load({ silent: true })
  expect(me.roles).toContain('grid_worker')
  expect(require('../utils/roles').tabsFor(me).map((t) => t.key)).toContain('todo')

  // a refusal is not hidden behind the cache, and logging out forgets it
  api.on('GET /api/v1/me', require('./helpers/wx').fail(403, 'forbidden', '账号已停用'))
  await expect(session.load({ force: true, silent: true })).rejects.toMatchObject({ status: 403 })
  session.clear()
  expect(wx.getStorageSync('hh_me')).toBe('')
})
