// 志愿活动 and 活动详情 (pages/cobuild): the upcoming list with seats left, 报名 / 候补, the waitlist
// position, cancelling until the start, and checking in by scanning the organiser's rotating QR
// (wx.scanCode → POST …/check-in), with what the volunteer sees when the code's window has passed.
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const cb = require('../helpers/cobuild')

let wx, api

// miniprogram-simulate copies the stub into its own global wx when it loads: stub the camera there
const stubScan = (impl) => (global.wx.scanCode = jest.fn(impl))

beforeEach(() => {
  ;({ wx, api } = setup())
})

describe('志愿活动 list', () => {
  test('asks for upcoming activities and shows seats left; a full one offers 候补', async () => {
    api.on('GET /api/v1/activities', fixtures.page([cb.activity(), cb.activity({ id: 8, title: '重阳节包饺子', seats_left: 0, registered: 20 })], 'c2'))
    const page = await openPage('pages/cobuild/activities/activities')
    const t = text(page)
    expect(api.callsTo('GET /api/v1/activities')[0].query).toMatchObject({ upcoming: 'true', my_community: 'true', limit: '20' })
    expect(t).toContain('周六爱心义剪')
    expect(t).toContain('余 8 个名额（共 20 个）')
    expect(t).toContain('名额已满，可候补')
    expect(text(page.querySelector('#activity-7'))).toContain('我要报名')
    expect(text(page.querySelector('#activity-7'))).not.toContain('候补报名')
    expect(text(page.querySelector('#activity-8'))).toContain('候补报名')
    expect(t).toContain(require('../../utils/time').formatMoment(cb.activity().start_at))
  })

  test('候补 from the list says the position', async () => {
    api.on('GET /api/v1/activities', fixtures.page([cb.activity({ id: 8, seats_left: 0 })]))
    api.on('POST /api/v1/activities/8/registrations', cb.signup({ activity_id: 8, status: 'waitlisted', status_label: '候补', waitlist_position: 3 }))
    const page = await openPage('pages/cobuild/activities/activities')
    await tap(page, '#signup-8')
    expect(api.callsTo('POST /api/v1/activities/8/registrations')).toHaveLength(1)
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已候补，第 3 位' }))
    expect(api.callsTo('GET /api/v1/activities')).toHaveLength(2) // reloaded: the seats changed
  })

  test('an error is not "empty": it says what happened and retries', async () => {
    api.on('GET /api/v1/activities', fail(500, 'internal', '服务器开小差了'))
    const page = await openPage('pages/cobuild/activities/activities')
    expect(text(page)).toContain('服务器开小差了')
    expect(text(page)).not.toContain('近期没有志愿活动')
    api.on('GET /api/v1/activities', fixtures.page([]))
    await retry(page, '#list-state')
    expect(text(page)).toContain('近期没有志愿活动')
  })
})

describe('活动详情', () => {
  test('sign up: registered, then the page shows my sign-up in the glossary word', async () => {
    let signedUp = false
    api.on('GET /api/v1/activities/:id', () =>
      signedUp ? cb.activity({ my_registration: cb.signup(), actions: ['cancel'] }) : cb.activity()
    )
    api.on('POST /api/v1/activities/7/registrations', () => {
      signedUp = true
      return cb.signup()
    })
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    expect(text(page)).toContain('和谐社区党群服务中心一楼')
    await tap(page, '#signup')
    expect(api.callsTo('POST /api/v1/activities/7/registrations')).toHaveLength(1)
    expect(text(page.querySelector('#mine'))).toContain('已报名')
    expect(exists(page, '#cancel')).toBe(true)
    expect(exists(page, '#signup')).toBe(false)
  })

  test('waitlisted: my position and that I will be told when promoted', async () => {
    api.on('GET /api/v1/activities/:id', cb.activity({ seats_left: 0, my_registration: cb.signup({ status: 'waitlisted', status_label: '候补', waitlist_position: 2 }), actions: ['cancel'] }))
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    const t = text(page.querySelector('#mine'))
    expect(t).toContain('候补')
    expect(t).toContain('候补第 2 位，有人取消时按顺序递补，递补后会通知您')
  })

  test('cancel is confirmed first, and not sent when the user says no', async () => {
    api.on('GET /api/v1/activities/:id', cb.activity({ my_registration: cb.signup(), actions: ['cancel'] }))
    api.on('POST /api/v1/registrations/70/cancel', cb.signup({ status: 'cancelled', status_label: '已取消' }))
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: false, cancel: true }))
    await tap(page, '#cancel')
    expect(api.callsTo('POST /api/v1/registrations/70/cancel')).toHaveLength(0)
    await tap(page, '#cancel')
    expect(wx.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '取消报名？', content: '取消后名额会让给候补的人' }))
    expect(api.callsTo('POST /api/v1/registrations/70/cancel')).toHaveLength(1)
  })

  test('扫码签到 sends the scanned code and shows the check-in time', async () => {
    const checkedIn = cb.signup({ status: 'checked_in', status_label: '已签到', checked_in_at: cb.at(0) })
    let scanned = false
    api.on('GET /api/v1/activities/:id', () => cb.activity({ start_at: cb.at(-0.5), my_registration: scanned ? checkedIn : cb.signup(), actions: scanned ? [] : ['cancel', 'check_in'] }))
    api.on('POST /api/v1/activities/7/check-in', () => {
      scanned = true
      return checkedIn
    })
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    stubScan((o) => o.success({ result: 'hh1.7.29876543.0123456789abcdef01234567', scanType: 'QR_CODE' }))
    await tap(page, '#scan')
    expect(global.wx.scanCode).toHaveBeenCalledWith(expect.objectContaining({ onlyFromCamera: true, scanType: ['qrCode'] }))
    expect(api.callsTo('POST /api/v1/activities/7/check-in')[0].data).toEqual({ code: 'hh1.7.29876543.0123456789abcdef01234567' })
    expect(text(page.querySelector('#scan-result'))).toContain('签到成功')
    expect(text(page.querySelector('#mine'))).toContain('已签到')
    expect(exists(page, '#scan')).toBe(false)
  })

  test('an expired code: the server words, what to do, and 再扫一次', async () => {
    api.on('GET /api/v1/activities/:id', cb.activity({ start_at: cb.at(-0.5), my_registration: cb.signup(), actions: ['cancel', 'check_in'] }))
    api.on('POST /api/v1/activities/7/check-in', fail(409, 'code_expired', '签到码已过期，请扫描组织者手机上的最新二维码'))
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    stubScan((o) => o.success({ result: 'hh1.7.1.000000000000000000000000' }))
    await tap(page, '#scan')
    const t = text(page.querySelector('#scan-result'))
    expect(t).toContain('没有签到成功')
    expect(t).toContain('签到码已过期，请扫描组织者手机上的最新二维码')
    expect(t).toContain('二维码每分钟更新一次')
    expect(text(page)).toContain('再扫一次')
    expect(wx.showToast).not.toHaveBeenCalled() // said on the page, not in a passing toast
  })

  test('a scan cancelled by the user sends nothing', async () => {
    api.on('GET /api/v1/activities/:id', cb.activity({ my_registration: cb.signup(), actions: ['check_in'] }))
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    stubScan((o) => o.fail({ errMsg: 'scanCode:fail cancel' }))
    await tap(page, '#scan')
    expect(api.callsTo('POST /api/v1/activities/7/check-in')).toHaveLength(0)
    expect(exists(page, '#scan-result')).toBe(false)
  })

  test('organisers get 签到管理', async () => {
    api.on('GET /api/v1/activities/:id', cb.activity({ actions: ['sign_up', 'roster', 'checkin_code', 'close'] }))
    const page = await openPage('pages/cobuild/activity/activity', { id: '7' })
    await tap(page, '#roster')
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/cobuild/roster/roster?id=7' })
  })

  test('error state with retry', async () => {
    api.on('GET /api/v1/activities/:id', fail(404, 'activity_not_found', '活动不存在'))
    const page = await openPage('pages/cobuild/activity/activity', { id: '9' })
    expect(text(page)).toContain('活动不存在')
    api.on('GET /api/v1/activities/:id', cb.activity())
    await retry(page)
    expect(text(page)).toContain('周六爱心义剪')
  })
})
