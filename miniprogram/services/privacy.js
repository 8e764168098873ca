// WeChat's privacy agreement flow (小程序隐私保护指引): before the phone number, photos, the
// microphone or the location is used, WeChat asks the app to show its privacy notice
// (wx.onNeedPrivacyAuthorization). The notice is components/privacy-sheet (an inline sheet on the
// pages that use these, not a modal); agreeing there resolves every waiting request.
//
//   privacy.install()                 // app.js onLaunch
//   await privacy.ensure()            // before wx.chooseMedia / getRecorderManager / getLocation
//   privacy.subscribe(fn)             // the sheet: fn({visible, reason}) when it must show or hide
let installed = false
let waiting = [] // resolve functions WeChat gave us
const listeners = []
let visible = false
let reason = ''

function emit() {
  listeners.slice().forEach((fn) => fn({ visible, reason }))
}

function show(why) {
  visible = true
  reason = why || reason || ''
  emit()
}

function hide() {
  visible = false
  emit()
}

function install() {
  if (installed) return
  installed = true
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return
  wx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    if (!listeners.length) {
      // no sheet on this page to ask with: refuse rather than hang the call
      resolve({ event: 'disagree' })
      return
    }
    waiting.push(resolve)
    show(describe(eventInfo && eventInfo.referrer))
  })
}

function describe(api) {
  const words = {
    getPhoneNumber: '用微信手机号认证住户',
    chooseMedia: '拍照或选择照片',
    chooseImage: '拍照或选择照片',
    getRecorderManager: '录一段语音',
    startRecord: '录一段语音',
    getLocation: '记录走访地点',
    getFuzzyLocation: '记录走访地点',
  }
  return words[api] || ''
}

// Resolves true when the app may use private information now (agreed earlier, agreed now, or a
// base library without the privacy API), false when the user declined.
function ensure(why) {
  install()
  if (typeof wx.getPrivacySetting !== 'function') return Promise.resolve(true)
  return new Promise((resolve) => {
    wx.getPrivacySetting({
      success: (res) => {
        if (!res || !res.needAuthorization) return resolve(true)
        if (typeof wx.requirePrivacyAuthorize !== 'function') return resolve(true)
        if (why) reason = why
        wx.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) })
      },
      fail: () => resolve(true),
    })
  })
}

// The sheet's 同意 button (open-type="agreePrivacyAuthorization", id "privacy-agree") was tapped.
function agree(buttonId = 'privacy-agree') {
  const list = waiting
  waiting = []
  list.forEach((resolve) => resolve({ buttonId, event: 'agree' }))
  hide()
}

function disagree() {
  const list = waiting
  waiting = []
  list.forEach((resolve) => resolve({ event: 'disagree' }))
  hide()
}

function subscribe(fn) {
  listeners.push(fn)
  fn({ visible, reason })
  return () => {
    const i = listeners.indexOf(fn)
    if (i >= 0) listeners.splice(i, 1)
  }
}

function openContract() {
  if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({})
}

module.exports = { install, ensure, agree, disagree, subscribe, openContract, state: () => ({ visible, reason }) }
