// 签到管理 (organisers): the roster with names, the rotating QR drawn large and fetched again before
// its window ends, 签到 / 现场加入 kept on the phone and sent as one batch by client id (offline,
// then on reconnect; a replay answered once), 签退 with the hours, 结束活动.
const { setup, openPage, text, tap, retry, exists, flush } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const cb = require('../helpers/cobuild')

let wx, api

const roster = () => [
  cb.signup({ id: 70, user_id: 11, name: '王秀兰' }),
  cb.signup({ id: 71, user_id: 12, name: '李建国', status: 'checked_in', status_label: '已签到', checked_in_at: cb.at(-0.5) }),
  cb.signup({ id: 72, user_id: 13, name: '赵敏', status: 'waitlisted', status_label: '候补', waitlist_position: 1 }),
]

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/activities/:id', cb.activity({ start_at: cb.at(-1), end_at: cb.at(1), actions: ['roster', 'checkin_code', 'close'] }))
  api.on('GET /api/v1/activities/7/registrations', roster())
})

afterEach(() => jest.useRealTimers())

test('the roster: names, states in the glossary words, counts', async () => {
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  expect(text(page.querySelector('#summary'))).toContain('报名 2 人')
  expect(text(page.querySelector('#summary'))).toContain('签到 1 人')
  expect(text(page.querySelector('#summary'))).toContain('候补 1 人')
  expect(text(page.querySelector('#reg-70'))).toContain('王秀兰')
  expect(text(page.querySelector('#reg-70'))).toContain('已报名')
  expect(text(page.querySelector('#reg-72'))).toContain('候补第 1 位')
  expect(exists(page, '#mark-11')).toBe(true)
  expect(exists(page, '#out-71')).toBe(true)
  expect(exists(page, '#mark-13')).toBe(false) // the waitlisted are not checked in from here
})

test('签到 goes out as a roster batch by client id; a replay after a lost answer is the same entry', async () => {
  const sent = []
  api.on('POST /api/v1/activities/7/roster', (req) => {
    sent.push(req.data)
    if (sent.length === 1) return NETWORK_DOWN // the first answer is lost
    return { items: req.data.entries.map((e) => ({ client_id: e.client_id, result: 'checked_in', registration_id: 70, detail: null, replayed: false })) }
  })
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  await tap(page, '#mark-11')
  expect(sent).toHaveLength(1)
  const entry = sent[0].entries[0]
  expect(entry).toMatchObject({ user_id: 11 })
  expect(entry.client_id).toMatch(/^[0-9a-f-]{36}$/)
  expect(Date.parse(entry.checked_in_at)).toBeGreaterThan(Date.now() - 60000)
  // kept on the phone, shown as waiting, the roster row too
  expect(text(page.querySelector('#pending'))).toContain('没有网络：1 条签到还在手机上')
  expect(text(page.querySelector('#reg-70'))).toContain('待同步')
  expect(wx.getStorageSync('hh_roster_queue_7')).toHaveLength(1)

  // the network comes back: sent again with the same client id, then the queue is empty
  wx.__setNetwork(false)
  wx.__setNetwork(true)
  await flush()
  expect(sent).toHaveLength(2)
  expect(sent[1].entries[0].client_id).toBe(entry.client_id)
  expect(wx.getStorageSync('hh_roster_queue_7')).toBe('')
  expect(exists(page, '#pending')).toBe(false)
  expect(text(page.querySelector('#results'))).toContain('王秀兰：已签到')
})

test('现场加入 by the volunteer number; a refusal is said with the server words', async () => {
  api.on('POST /api/v1/activities/7/roster', (req) => ({
    items: req.data.entries.map((e) => ({ client_id: e.client_id, result: 'refused', registration_id: null, detail: '用户 999 不存在', replayed: false })),
  }))
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: 'abc' }))
  await tap(page, '#walk-in')
  expect(api.callsTo('POST /api/v1/activities/7/roster')).toHaveLength(0)
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请填写志愿者编号（数字）' }))
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: ' 999 ' }))
  await tap(page, '#walk-in')
  expect(api.callsTo('POST /api/v1/activities/7/roster')[0].data.entries[0]).toMatchObject({ user_id: 999 })
  expect(text(page.querySelector('#results'))).toContain('编号 999：未能签到（用户 999 不存在）')
})

test('签退 sets the hours', async () => {
  api.on('POST /api/v1/registrations/71/check-out', cb.signup({ id: 71, status: 'completed', minutes: 95 }))
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  await tap(page, '#out-71')
  expect(api.callsTo('POST /api/v1/registrations/71/check-out')[0].data).toEqual({ at: null })
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已签退，服务 1小时35分' }))
})

test('the QR: drawn from the code, fetched again before its window ends, stopped when hidden', async () => {
  let n = 0
  api.on('GET /api/v1/activities/7/checkin-code', () => ({ code: 'hh1.7.' + (29876543 + n++) + '.0123456789abcdef01234567', expires_at: cb.at(0.03), refresh_seconds: 60 }))
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  jest.useFakeTimers()
  const shown = tap(page, '#toggle-qr')
  await jest.advanceTimersByTimeAsync(100)
  await shown
  const first = page.instance.data.qr.src
  expect(first).toMatch(/^data:image\/gif;base64,/)
  expect(exists(page, '#qr-image')).toBe(true)
  expect(page.instance.data.qr.code).toBe('hh1.7.29876543.0123456789abcdef01234567')
  await jest.advanceTimersByTimeAsync(49000)
  expect(api.callsTo('GET /api/v1/activities/7/checkin-code')).toHaveLength(1)
  await jest.advanceTimersByTimeAsync(1500) // 10 s before the 60 s window ends
  expect(api.callsTo('GET /api/v1/activities/7/checkin-code')).toHaveLength(2)
  expect(page.instance.data.qr.src).not.toBe(first)
  const hidden = tap(page, '#toggle-qr')
  await jest.advanceTimersByTimeAsync(100)
  await hidden
  await jest.advanceTimersByTimeAsync(120000)
  expect(api.callsTo('GET /api/v1/activities/7/checkin-code')).toHaveLength(2)
})

test('the QR without a network keeps the last code and says so', async () => {
  api.on('GET /api/v1/activities/7/checkin-code', { code: 'hh1.7.29876543.0123456789abcdef01234567', expires_at: cb.at(0.03), refresh_seconds: 60 })
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  await tap(page, '#toggle-qr')
  api.on('GET /api/v1/activities/7/checkin-code', NETWORK_DOWN)
  await page.instance.loadCode()
  await flush()
  expect(exists(page, '#qr-image')).toBe(true)
  expect(text(page.querySelector('#qr-error'))).toContain('没有网络，二维码暂时不能更新')
  page.instance.onUnload()
})

test('not an organiser: the error, not an empty roster', async () => {
  api.on('GET /api/v1/activities/7/registrations', fail(403, 'out_of_scope', '您不是这项活动的组织者'))
  const page = await openPage('pages/cobuild/roster/roster', { id: '7' })
  expect(text(page)).toContain('您不是这项活动的组织者')
  expect(text(page)).not.toContain('还没有人报名')
  api.on('GET /api/v1/activities/7/registrations', roster())
  await retry(page)
  expect(text(page)).toContain('王秀兰')
})
