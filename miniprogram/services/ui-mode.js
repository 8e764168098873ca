// 长辈模式 and the user's WeChat font size, for every page (behaviors/ui-mode.js puts the result on
// the page's root view as class + style, and app.wxss turns it into sizes).
//
// - The user turns 长辈模式 on or off on 我的 (stored as 'on' / 'off'); 首页 offers it once on the
//   first launch (a card, not a pop-up).
// - Until the user has chosen, it is on when the WeChat font size is large
//   (wx.getAppBaseInfo().fontSizeSetting ≥ 20 px of the standard 17, or fontSizeScaleFactor ≥ 1.18;
//   WeChat's 关怀模式 sets about 23.8 px on a 375 px phone).
// - Text always follows the WeChat font size: --hh-scale is the user's factor (at least 1, at
//   most 1.3 in standard mode); 长辈模式's sizes already stand for a large setting, so there the
//   factor counts only above 1.2.
const MODE_KEY = 'hh_elder_mode' // 'on' | 'off' | '' (not chosen)
const OFFER_KEY = 'hh_elder_offer' // 'done' once the first-launch offer was answered
const STANDARD_FONT_PX = 17
const LARGE_FACTOR = 1.18

let cached = null
const listeners = []

function read(key) {
  try {
    return wx.getStorageSync(key) || ''
  } catch (e) {
    return ''
  }
}

function write(key, value) {
  try {
    wx.setStorageSync(key, value)
  } catch (e) {
    // storage full or unavailable: the choice lasts for this session only
  }
}

function baseInfo() {
  try {
    if (typeof wx.getAppBaseInfo === 'function') return wx.getAppBaseInfo() || {}
    if (typeof wx.getSystemInfoSync === 'function') return wx.getSystemInfoSync() || {}
  } catch (e) {
    // older base library
  }
  return {}
}

// The user's WeChat font size as a factor of the standard size.
function fontFactor(info = baseInfo()) {
  const f = Number(info.fontSizeScaleFactor)
  if (f > 0) return f
  const px = Number(info.fontSizeSetting)
  if (px > 0) return px / STANDARD_FONT_PX
  return 1
}

function clamp(x, lo, hi) {
  return Math.min(hi, Math.max(lo, x))
}

function compute() {
  const pref = read(MODE_KEY)
  const factor = fontFactor()
  const large = factor >= LARGE_FACTOR
  const elder = pref === 'on' || (pref !== 'off' && large)
  const scale = Math.round((elder ? clamp(factor / 1.2, 1, 1.2) : clamp(factor, 1, 1.3)) * 100) / 100
  return {
    elder,
    // on because of the WeChat font size, not chosen by the user
    auto: elder && pref !== 'on',
    factor: Math.round(factor * 100) / 100,
    scale,
    // the first-launch offer: not chosen yet, not on already, not answered
    offer: !pref && !elder && read(OFFER_KEY) !== 'done',
    cls: elder ? 'mode-elder' : 'mode-standard',
    style: '--hh-scale: ' + scale + ';',
  }
}

function state() {
  if (!cached) cached = compute()
  return cached
}

function emit() {
  cached = compute()
  listeners.slice().forEach((fn) => fn(cached))
  return cached
}

function setElder(on) {
  write(MODE_KEY, on ? 'on' : 'off')
  write(OFFER_KEY, 'done')
  return emit()
}

function dismissOffer() {
  write(OFFER_KEY, 'done')
  return emit()
}

// Reads storage and the font size again (tests; after the app comes back to the foreground).
function refresh() {
  return emit()
}

function subscribe(fn) {
  listeners.push(fn)
  return () => {
    const i = listeners.indexOf(fn)
    if (i >= 0) listeners.splice(i, 1)
  }
}

module.exports = { state, setElder, dismissOffer, refresh, subscribe, fontFactor, MODE_KEY, OFFER_KEY, LARGE_FACTOR }
