// `make screenshots`, step 1 of 2: helpers for the specs (screens.shot.js), which render the real
// pages (real TDesign components, the real custom tab bar) in miniprogram-simulate with the
// project's own test helpers and fixture data, and turn each rendered DOM plus the WXSS it uses
// into one standalone HTML file. Step 2 (shoot.js) shoots them with Chromium and measures them.
//
// On top of tests/helpers/simulate-patches.js (TDesign's <wxs src>, <template is="icon">, …) the
// HTML needs what a browser does not know about WeChat:
//  - rpx: simulate maps 1rpx → 1px; a 375 px phone is 750rpx, so here 1rpx = 0.5px (CSS and inline);
//  - app.wxss is not loaded by simulate: it is compiled with the page's class prefix, page → body;
//  - WXSS type selectors mean the built-in components (button → wx-button), and WeChat's default
//    button style is added;
//  - TDesign's icon font is on a CDN (unreachable here and on many intranets): icons are drawn from
//    the tdesign-icons-svg package;
//  - photos are placeholders (coloured squares as data: URIs), so the HTML stands on its own;
//  - what can be tapped is marked for the measurements: data-tap on every element with a tap
//    handler (exparser's __wxEvents), data-main on TDesign buttons and elements of class hh-main
//    (the main actions), data-input on text inputs.
const fs = require('fs')
const path = require('path')

const MP = path.resolve(__dirname, '../..')
const OUT = process.env.SHOT_DIR || path.join(MP, 'screenshots')
const ICONS = path.join(MP, 'node_modules/tdesign-icons-svg/src')

// ---------------------------------------------------------------- miniprogram-simulate patches

function patchSimulate() {
  require(path.join(MP, 'tests/helpers/simulate-patches')).apply()
  const utils = require('miniprogram-simulate/src/utils')
  if (!utils.__shotRpx) {
    utils.transformRpx = (s) => s // keep rpx; converted at 1rpx = 0.5px when the HTML is written
    utils.__shotRpx = true
  }
  // j-component converts inline styles (style="font-size: 48rpx") 1rpx → 1px too, before jsdom sees them
  const jutils = require('j-component/src/tool/utils')
  if (!jutils.__shotRpx) {
    jutils.transformRpx = (style) => rpx(String(style))
    jutils.__shotRpx = true
  }
}

function clearStyles() {
  document.head.querySelectorAll('style').forEach((s) => s.parentNode.removeChild(s))
}

function collectStyles() {
  return Array.from(document.head.querySelectorAll('style'))
    .map((s) => s.innerHTML)
    .join('\n')
}

// app.wxss compiled as simulate compiles a page's wxss (class prefix "main"), `page` → body.
function appCss(prefix = 'main') {
  const wxss = require('miniprogram-simulate/src/wxss')
  return wxss.compile(fs.readFileSync(path.join(MP, 'app.wxss'), 'utf8'), { prefix })
}

// ---------------------------------------------------------------- HTML writing

function rpx(css) {
  return css.replace(/(-?\d*\.?\d+)rpx/gi, (a, n) => +(parseFloat(n) / 2).toFixed(2) + 'px')
}

function fixCss(css) {
  css = rpx(css)
  css = css.replace(/(^|[},\s])page(?=[\s,{.:>])/g, '$1body')
  css = css.replace(/(^|[},\s>+~(])(view|text|image|button|input|textarea|scroll-view|label|navigator)(?=[\s,{.:>\[#+~)])/g, '$1wx-$2')
  // WeChat's 100vh is the window under the navigation bar (812 - 88)
  css = css.replace(/100vh/g, 'calc(100vh - 88px)')
  css = css.replace(/env\(safe-area-inset-bottom\)/g, '34px').replace(/constant\(safe-area-inset-bottom\)/g, '34px')
  // the icon font cannot load: hide its glyphs (icons are drawn as inline SVG instead)
  css += '\nwx-label[class*="t-icon-"]::before{content:none!important}'
  return css
}

const iconCache = {}
function iconSvg(name) {
  if (iconCache[name] !== undefined) return iconCache[name]
  const file = path.join(ICONS, name + '.svg')
  let svg = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  svg = svg.replace('view-box=', 'viewBox=').replace(/class="[^"]*"/, 'class="shot-icon"')
  iconCache[name] = svg
  return svg
}

const PHOTO_COLORS = ['#c7a27c', '#8fb3c9', '#9cb58a', '#c98f8f', '#b0a3c9']
function photoFor(src) {
  let h = 0
  for (const c of String(src)) h = (h * 31 + c.charCodeAt(0)) >>> 0
  const color = PHOTO_COLORS[h % PHOTO_COLORS.length]
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">' +
    '<rect width="400" height="400" fill="' + color + '"/>' +
    '<path d="M0 300 L120 180 L220 280 L290 210 L400 320 L400 400 L0 400Z" fill="rgba(0,0,0,0.18)"/>' +
    '<circle cx="300" cy="110" r="40" fill="rgba(255,255,255,0.5)"/></svg>'
  return 'data:image/svg+xml;base64,' + Buffer.from(svg).toString('base64')
}

function browserize(root) {
  const doc = root.ownerDocument
  root.querySelectorAll('wx-label').forEach((el) => {
    const m = /(?:^|\s)t-icon--t-icon-(?!base)([a-z0-9-]+)/.exec(el.getAttribute('class') || '')
    if (m) el.innerHTML = iconSvg(m[1]) || '<span class="shot-icon-missing">□</span>'
  })
  root.querySelectorAll('wx-image').forEach((el) => {
    const src = el.getAttribute('src') || ''
    const mode = el.getAttribute('mode') || 'scaleToFill'
    const img = doc.createElement('img')
    // a data: URL is drawn by the page itself (the check-in QR): shown as it is; photos are placeholders
    img.setAttribute('src', src.indexOf('data:') === 0 ? src : photoFor(src))
    const fit = { aspectFill: 'cover', aspectFit: 'contain', scaleToFill: 'fill', widthFix: 'cover' }[mode] || 'fill'
    img.setAttribute('style', 'width:100%;height:100%;display:block;object-fit:' + fit)
    el.innerHTML = ''
    el.appendChild(img)
  })
  root.querySelectorAll('wx-input').forEach((el) => {
    const input = doc.createElement('input')
    input.setAttribute('placeholder', el.getAttribute('placeholder') || '')
    const v = el.getAttribute('value')
    if (v) input.setAttribute('value', v)
    input.setAttribute('class', 'shot-input')
    el.innerHTML = ''
    el.appendChild(input)
  })
  root.querySelectorAll('wx-textarea').forEach((el) => {
    const ta = doc.createElement('textarea')
    ta.setAttribute('placeholder', el.getAttribute('placeholder') || '')
    ta.textContent = el.getAttribute('value') || ''
    ta.setAttribute('class', 'shot-textarea')
    if (el.getAttribute('auto-height') === 'true') {
      // one line, as WeChat starts an auto-height textarea; a page's min-height still applies
      el.setAttribute('style', (el.getAttribute('style') || '') + ';height:auto;min-height:1.5em')
      ta.setAttribute('style', 'field-sizing:content;min-height:1.5em;height:100%')
    }
    el.innerHTML = ''
    el.appendChild(ta)
  })
  root.querySelectorAll('[style]').forEach((el) => {
    el.setAttribute('style', rpx(el.getAttribute('style')))
  })
  return root
}

const BASE_CSS = `
html,body{margin:0;padding:0}
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",sans-serif;font-size:16px;line-height:1.4;-webkit-font-smoothing:antialiased}
main,wx-view,wx-scroll-view,wx-swiper,wx-form,wx-button{display:block}
virtual{display:contents}
wx-text,wx-label{display:inline}
wx-button{position:relative;display:block;margin-left:auto;margin-right:auto;padding-left:14px;padding-right:14px;box-sizing:border-box;font-size:18px;text-align:center;text-decoration:none;line-height:2.55555556;border-radius:5px;overflow:hidden;color:#000;background-color:#f8f8f8}
wx-button::after{content:" ";width:200%;height:200%;position:absolute;top:0;left:0;border:1px solid rgba(0,0,0,.2);transform:scale(.5);transform-origin:0 0;box-sizing:border-box;border-radius:10px;pointer-events:none}
wx-scroll-view{overflow-x:auto;overflow-y:hidden;max-width:100%}
wx-image{display:inline-block;width:320px;height:240px;overflow:hidden}
wx-input{display:block;height:1.5em;line-height:1.5em;overflow:hidden}
wx-input .shot-input{border:0;outline:0;background:transparent;width:100%;height:100%;font:inherit;color:inherit;padding:0;margin:0}
wx-input .shot-input::placeholder{color:var(--td-input-placeholder-text-color,#6b6b6b)}
wx-textarea{display:block;width:300px;height:150px}
wx-textarea .shot-textarea{border:0;outline:0;background:transparent;width:100%;height:100%;font:inherit;color:inherit;padding:0;margin:0;resize:none}
wx-textarea .shot-textarea::placeholder{color:var(--td-textarea-placeholder-color,#6b6b6b)}
.shot-icon{width:1em;height:1em;display:block}
.shot-status{position:fixed;top:0;left:0;right:0;height:44px;display:flex;align-items:center;justify-content:space-between;padding:0 24px;box-sizing:border-box;font:600 15px/1 -apple-system,"Noto Sans CJK SC",sans-serif;z-index:1000}
.shot-nav{position:fixed;top:44px;left:0;right:0;height:44px;display:flex;align-items:center;justify-content:center;font:500 17px/1 -apple-system,"Noto Sans CJK SC",sans-serif;z-index:1000}
.shot-back{position:absolute;left:8px;top:0;height:44px;width:32px;display:flex;align-items:center;justify-content:center;font-size:26px}
.shot-capsule{position:absolute;right:7px;top:6px;width:87px;height:32px;border-radius:16px;box-sizing:border-box;display:flex;align-items:center;justify-content:space-around}
.shot-capsule i{display:block}
.shot-body{padding-top:88px}
`

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
}

function navBar(title, back) {
  const fg = '#fff'
  const capsuleBg = 'rgba(0,0,0,0.15)'
  const capsuleBorder = 'rgba(255,255,255,0.25)'
  return (
    `<div class="shot-status shot-chrome" style="background:#c9302c;color:${fg}"><span>9:41</span><span style="display:flex;gap:6px;align-items:center"><i style="display:flex;gap:2px;align-items:flex-end"><b style="width:3px;height:4px;background:currentColor"></b><b style="width:3px;height:6px;background:currentColor"></b><b style="width:3px;height:8px;background:currentColor"></b><b style="width:3px;height:10px;background:currentColor"></b></i><i style="width:22px;height:10px;border:1.5px solid currentColor;border-radius:3px;box-sizing:border-box;padding:1px"><b style="display:block;width:70%;height:100%;background:currentColor"></b></i></span></div>` +
    `<div class="shot-nav shot-chrome" style="background:#c9302c;color:${fg}">` +
    (back ? `<span class="shot-back">‹</span>` : '') +
    `<span>${escapeHtml(title)}</span>` +
    `<span class="shot-capsule" style="background:${capsuleBg};border:1px solid ${capsuleBorder}"><i style="font-size:18px;letter-spacing:1px">•••</i><i style="width:1px;height:18px;background:${capsuleBorder}"></i><i style="width:16px;height:16px;border:2px solid ${fg};border-radius:50%;box-sizing:border-box"></i></span>` +
    `</div>`
  )
}

function pageJson(route) {
  try {
    return JSON.parse(fs.readFileSync(path.join(MP, route + '.json'), 'utf8'))
  } catch (e) {
    return {}
  }
}

const TAP_EVENTS = ['tap', 'longpress', 'touchstart', 'getphonenumber', 'agreeprivacyauthorization']

// Copies what exparser knows and the DOM does not onto the live DOM before it is cloned:
// built-in components' value / placeholder / src, ids, and what can be tapped.
function annotate(root) {
  const all = [root].concat(Array.from(root.querySelectorAll('*')))
  all.forEach((el) => {
    const w = el.__wxElement
    if (!w) return
    if (w.__id) el.setAttribute('data-shot-id', w.__id)
    const events = w.__wxEvents || {}
    const cls = el.getAttribute('class') || ''
    // TDesign listens to taps inside some components whether or not the page does (t-icon's
    // click, a display t-tag's click): those are no targets; a check-tag is one
    const inert = /(^|\s)t-icon--t-icon(\s|$)/.test(cls) || (/(^|\s)t-tag--t-tag(\s|$)/.test(cls) && !/--checkable/.test(cls))
    if (!inert && TAP_EVENTS.some((e) => events[e] && !events[e].empty)) el.setAttribute('data-tap', '1')
    if (/(^|\s)t-button--t-button(\s|$)/.test(cls) || /(^|\s|--)hh-main(\s|$)/.test(cls)) el.setAttribute('data-main', '1')
  })
  root.querySelectorAll('wx-input, wx-textarea, wx-image').forEach((el) => {
    const w = el.__wxElement
    const d = Object.assign({}, (w && w.__propData) || {})
    ;((w && w._vt && w._vt.attrs) || []).forEach((a) => {
      if (a && a.name && d[a.name] === undefined) d[a.name] = a.value
    })
    ;['value', 'placeholder', 'src', 'mode', 'disabled', 'maxlength', 'auto-height', 'autoHeight'].forEach((k) => {
      if (d[k] !== undefined && d[k] !== null && d[k] !== '') el.setAttribute(k, String(d[k]))
    })
    if (el.tagName !== 'WX-IMAGE') el.setAttribute('data-input', '1')
  })
}

// Writes OUT/<name>.html. parts: { pageDom, tabDom?, css, title, back }
function writeScreen(name, { pageDom, tabDom, css, title, back, meta }) {
  fs.mkdirSync(OUT, { recursive: true })
  annotate(pageDom)
  if (tabDom) annotate(tabDom)
  const body = browserize(pageDom.cloneNode(true)).outerHTML
  const tab = tabDom ? browserize(tabDom.cloneNode(true)).outerHTML : ''
  const html =
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=375">' +
    '<meta name="shot" content="' + escapeHtml(JSON.stringify(meta || {})) + '">' +
    '<title>' + escapeHtml(name) + '</title>' +
    '<style>' + BASE_CSS + '</style>' +
    '<style>' + fixCss(css) + '</style>' +
    '</head><body>' +
    navBar(title, back) +
    '<div class="shot-body">' + body + '</div>' +
    tab +
    '</body></html>'
  const file = path.join(OUT, name + '.html')
  fs.writeFileSync(file, html)
  return file
}

module.exports = { MP, OUT, patchSimulate, clearStyles, collectStyles, appCss, writeScreen, pageJson, rpx }
