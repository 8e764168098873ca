// 每日签到: my contact places, 签到 with the phone's position (never waiting more than 5 s), kept on
// the phone with a client id while offline and sent by POST /checkins/batch when the network
// returns (a replay after a lost answer is the same entry), refusals in the server's words, and this
// month's days signed ÷ working days.
const { setup, openPage, text, tap, retry, exists, flush } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const pj = require('../helpers/projects')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me({ id: 21, roles: ['department_staff'] }))
  api.on('GET /api/v1/checkins/places', pj.contacts())
  api.on('GET /api/v1/checkins/summary', pj.summary())
})

afterEach(() => jest.useRealTimers())

const accepted = (req, result = 'accepted') => ({ items: req.data.checkins.map((c, i) => ({ client_id: c.client_id, result, reason: result === 'refused' ? '不是您联系的社区或小区' : null, checkin_id: result === 'refused' ? null : 100 + i })) })

test('places and this month: days signed ÷ working days, from the summary figure', async () => {
  const page = await openPage('pages/project/checkin/checkin')
  expect(api.callsTo('GET /api/v1/checkins/summary')[0].query).toMatchObject({ department_id: '2' })
  expect(text(page.querySelector('#place-compound-1'))).toContain('锦华苑')
  expect(text(page.querySelector('#place-community-1'))).toContain('和谐社区')
  const month = text(page.querySelector('#month'))
  expect(month).toContain('2026年12月签到')
  expect(month).toContain('已签到 1 天 / 应签到 2 个工作日')
  expect(month).toContain('还有 1 个工作日没有签到')
  expect(text(page.querySelector('#month-rate'))).toBe('50%')
  expect(exists(page, '#queue-banner')).toBe(false)
})

test('签到 online: sent at once with the position and a client id; today marked signed', async () => {
  api.on('POST /api/v1/checkins/batch', (req) => accepted(req))
  const page = await openPage('pages/project/checkin/checkin')
  api.on('GET /api/v1/checkins/summary', pj.summary({ places: [{ user_id: 21, place_kind: 'compound', place_id: 1, checkins: [{ id: 100, at: pj.at(0), day: pj.today() }] }] }))
  await tap(page, '#sign-compound-1')
  const sent = api.callsTo('POST /api/v1/checkins/batch')[0].data.checkins
  expect(sent).toHaveLength(1)
  expect(sent[0]).toMatchObject({ place_kind: 'compound', place_id: 1, latitude: 37.4563, longitude: 118.5821 })
  expect(sent[0].client_id).toMatch(/^[0-9a-f-]{36}$/)
  expect(Date.parse(sent[0].at)).toBeGreaterThan(Date.now() - 60000)
  expect(wx.getStorageSync('hh_checkin_queue')).toBe('')
  expect(text(page.querySelector('#place-compound-1'))).toContain('已签到')
  expect(text(page.querySelector('#place-community-1'))).not.toContain('已签到')
  expect(api.callsTo('GET /api/v1/checkins/summary')).toHaveLength(2)
})

test('offline: kept on the phone, said in the banner; sent with the same client id when the network returns', async () => {
  const batches = []
  api.on('POST /api/v1/checkins/batch', (req) => {
    batches.push(req.data)
    if (batches.length === 1) return NETWORK_DOWN // the first answer is lost
    return accepted(req)
  })
  const page = await openPage('pages/project/checkin/checkin')
  wx.__setNetwork(false)
  await flush()
  await tap(page, '#sign-community-1')
  expect(batches).toHaveLength(0)
  expect(wx.getStorageSync('hh_checkin_queue')).toHaveLength(1)
  expect(text(page.querySelector('#queue-banner'))).toContain('没有网络：1 条签到保存在手机上，联网后自动发送')
  expect(text(page.querySelector('#place-community-1'))).toContain('待同步')
  const clientId = wx.getStorageSync('hh_checkin_queue')[0].client_id

  wx.__setNetwork(true) // the answer to this one is lost
  await flush()
  expect(batches).toHaveLength(1)
  expect(wx.getStorageSync('hh_checkin_queue')).toHaveLength(1)
  await tap(page, '#sync-now')
  expect(batches).toHaveLength(2)
  expect(batches[1].checkins[0].client_id).toBe(clientId)
  expect(wx.getStorageSync('hh_checkin_queue')).toBe('')
  expect(exists(page, '#queue-banner')).toBe(false)
  expect(text(page.querySelector('#result-0'))).toContain('和谐社区')
  expect(text(page.querySelector('#result-0'))).toContain('已签到')
})

test('a sign-in made before the app was closed is sent when the page opens again', async () => {
  wx.setStorageSync('hh_checkin_queue', [{ client_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', at: pj.at(-2), place_kind: 'compound', place_id: 1, place_name: '锦华苑', latitude: null, longitude: null }])
  api.on('POST /api/v1/checkins/batch', (req) => accepted(req, 'duplicate'))
  await openPage('pages/project/checkin/checkin')
  expect(api.callsTo('POST /api/v1/checkins/batch')[0].data.checkins[0]).toMatchObject({ client_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', latitude: null })
  expect(wx.getStorageSync('hh_checkin_queue')).toBe('')
})

test('no position in 5 s: the sign-in does not wait for it', async () => {
  wx.getLocation.mockImplementation(() => {}) // never answers
  api.on('POST /api/v1/checkins/batch', (req) => accepted(req))
  const page = await openPage('pages/project/checkin/checkin')
  jest.useFakeTimers()
  const tapped = tap(page, '#sign-compound-1')
  await jest.advanceTimersByTimeAsync(4900)
  expect(api.callsTo('POST /api/v1/checkins/batch')).toHaveLength(0)
  await jest.advanceTimersByTimeAsync(200)
  await tapped
  await jest.advanceTimersByTimeAsync(100)
  expect(api.callsTo('POST /api/v1/checkins/batch')[0].data.checkins[0]).toMatchObject({ latitude: null, longitude: null })
})

test('a refused sign-in is said with the server words and leaves the phone', async () => {
  api.on('POST /api/v1/checkins/batch', (req) => accepted(req, 'refused'))
  const page = await openPage('pages/project/checkin/checkin')
  await tap(page, '#sign-compound-1')
  expect(text(page.querySelector('#result-0'))).toContain('未能签到')
  expect(text(page.querySelector('#result-0'))).toContain('不是您联系的社区或小区')
  expect(wx.getStorageSync('hh_checkin_queue')).toBe('')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '1 条签到未能记录，见下方原因' }))
})

test('not department staff: the error, then a retry', async () => {
  api.on('GET /api/v1/checkins/places', fail(403, 'forbidden', '只有部门工作人员可以签到'))
  const page = await openPage('pages/project/checkin/checkin')
  expect(text(page)).toContain('只有部门工作人员可以签到')
  api.on('GET /api/v1/checkins/places', pj.contacts({ contacts: [] }))
  await retry(page)
  expect(text(page.querySelector('#no-places'))).toContain('您还没有联系点')
})
