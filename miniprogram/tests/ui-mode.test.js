// 长辈模式 and the WeChat font size (services/ui-mode.js), the privacy notice (services/privacy.js).
const { setup, openPage, text, tap, find, flush } = require('./helpers/page')
const fixtures = require('./helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

function fontSize(info) {
  wx.getAppBaseInfo.mockImplementation(() => Object.assign({ SDKVersion: '3.4.0', theme: 'light' }, info))
  return require('../services/ui-mode').refresh()
}

describe('长辈模式 and the WeChat font size', () => {
  test('a standard font: standard mode, scale 1, the first-launch offer stands', () => {
    const s = fontSize({ fontSizeSetting: 17 })
    expect(s).toMatchObject({ elder: false, scale: 1, offer: true, cls: 'mode-standard', style: '--hh-scale: 1;' })
  })

  test('a larger WeChat font scales the text in standard mode (rpx would ignore it)', () => {
    const s = fontSize({ fontSizeSetting: 19 })
    expect(s.elder).toBe(false)
    expect(s.scale).toBeCloseTo(19 / 17, 2)
    expect(s.style).toBe('--hh-scale: ' + s.scale + ';')
  })

  test('a large font (关怀模式, 23.8 px) turns 长辈模式 on by itself until the user chooses', () => {
    let s = fontSize({ fontSizeSetting: 23.8 })
    expect(s).toMatchObject({ elder: true, auto: true, offer: false, cls: 'mode-elder' })
    expect(s.scale).toBeGreaterThan(1)
    expect(s.scale).toBeLessThanOrEqual(1.2)
    // fontSizeScaleFactor wins when the base library gives it
    s = fontSize({ fontSizeSetting: 17, fontSizeScaleFactor: 1.25 })
    expect(s.elder).toBe(true)
    // the user turned it off on 我的: stays off, text still follows the font size
    wx.setStorageSync('hh_elder_mode', 'off')
    s = fontSize({ fontSizeSetting: 23.8 })
    expect(s.elder).toBe(false)
    expect(s.scale).toBe(1.3)
  })

  test('the choice is kept and reaches every open page at once', async () => {
    api.on('GET /api/v1/me', fixtures.me())
    const page = await openPage('pages/me/me')
    expect(page.data.ui.elder).toBe(false)
    await tap(page, '#elder')
    expect(page.data.ui.elder).toBe(true)
    expect(wx.getStorageSync('hh_elder_mode')).toBe('on')
    expect(require('../services/ui-mode').state().offer).toBe(false)
    page.instance.onElder({ detail: { value: false } })
    await flush()
    expect(page.data.ui.elder).toBe(false)
    expect(wx.getStorageSync('hh_elder_mode')).toBe('off')
  })

  test('the page root carries the mode class and the scale', async () => {
    wx.setStorageSync('hh_elder_mode', 'on')
    api.on('GET /api/v1/me', fixtures.me())
    const page = await openPage('pages/home/home')
    const root = page.dom.firstElementChild
    expect(root.getAttribute('class')).toContain('mode-elder')
    expect(root.getAttribute('style')).toContain('--hh-scale')
  })
})

describe('the privacy notice (小程序隐私保护指引)', () => {
  test('WeChat asks before a private API: the sheet shows on the page; 同意 answers it', async () => {
    api.on('GET /api/v1/me', fixtures.me({ household_status: 'pending', verification: { id: 1, household_id: 2, room: '1号楼1单元101', status: 'pending', method: null, reason: null, created_at: fixtures.T0, decided_at: null } }))
    const page = await openPage('pages/verify/verify')
    const answer = wx.__needPrivacy('getPhoneNumber')
    await flush()
    const sheet = find(page, '#privacy')
    expect(text(sheet)).toContain('使用前请您阅读并同意')
    expect(text(sheet)).toContain('用微信手机号认证住户')
    await tap(sheet, '#privacy-contract')
    expect(wx.openPrivacyContract).toHaveBeenCalled()
    sheet.instance.onAgree()
    expect(await answer).toEqual({ buttonId: 'privacy-agree', event: 'agree' })
    await flush()
    expect(text(sheet)).toBe('')
  })

  test('不同意 answers disagree; with no sheet on the page the request is refused, not left hanging', async () => {
    api.on('GET /api/v1/me', fixtures.me())
    api.on('GET /api/v1/wishes/categories', fixtures.categories())
    const page = await openPage('pages/wish/new/new')
    let answer = wx.__needPrivacy('chooseMedia')
    await flush()
    await tap(page, '#privacy', '#privacy-disagree')
    expect(await answer).toEqual({ event: 'disagree' })

    const privacy = require('../services/privacy')
    page.detach() // the page (and its sheet) is gone
    answer = wx.__needPrivacy('getLocation')
    expect(privacy.state().visible).toBe(false)
    expect(await answer).toEqual({ event: 'disagree' })
  })

  test('ensure() asks WeChat when an agreement is needed, and is a no-op when it is not', async () => {
    const privacy = require('../services/privacy')
    expect(await privacy.ensure()).toBe(true) // an older base library: nothing to ask
    // (miniprogram-simulate copies the stub into its own global wx: new APIs go there)
    global.wx.getPrivacySetting = jest.fn((o) => o.success({ needAuthorization: true }))
    global.wx.requirePrivacyAuthorize = jest.fn((o) => o.fail({ errMsg: 'requirePrivacyAuthorize:fail' }))
    expect(await privacy.ensure('录一段语音')).toBe(false)
    global.wx.requirePrivacyAuthorize = jest.fn((o) => o.success({}))
    expect(await privacy.ensure()).toBe(true)
    expect(global.wx.requirePrivacyAuthorize).toHaveBeenCalled()
    global.wx.getPrivacySetting = jest.fn((o) => o.success({ needAuthorization: false }))
    expect(await privacy.ensure()).toBe(true)
  })

  test('app.json declares the location it asks for', () => {
    const app = require('../app.json')
    expect(app.requiredPrivateInfos).toContain('getLocation')
    expect(app.permission['scope.userLocation'].desc).toBeTruthy()
    expect(app.__usePrivacyCheck__).toBe(true)
  })
})
