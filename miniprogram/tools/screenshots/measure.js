// Runs inside Chromium on one screen (shoot.js): for every text, its size and contrast against what
// is really behind it; for every tap target (data-tap, data-input; data-main for main actions), its
// size; and whether anything makes the page wider than the phone. Returns plain data.
module.exports = function measure() {
  const VIEW_W = 375

  function parseColor(s) {
    const m = /rgba?\(([^)]+)\)/.exec(s || '')
    if (!m) return null
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number)
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }
  }
  function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a)
    if (a === 0) return { r: 255, g: 255, b: 255, a: 0 }
    const mix = (k) => (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a
    return { r: mix('r'), g: mix('g'), b: mix('b'), a }
  }
  function lum(c) {
    const f = (v) => {
      v /= 255
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b)
  }
  function ratio(a, b) {
    const x = lum(a)
    const y = lum(b)
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)
  }
  function gradientColors(img) {
    if (!img || img === 'none' || img.indexOf('gradient') < 0) return null
    const out = []
    img.replace(/rgba?\([^)]+\)/g, (c) => out.push(parseColor(c)))
    return out.length ? out : null
  }
  function hidden(el) {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e)
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return true
    }
    return false
  }
  function opacityOf(el) {
    let o = 1
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity)
    return o
  }
  // The backgrounds behind an element, from the nearest opaque one up: one colour, or the stops
  // of a gradient (each is checked).
  function backgroundsOf(el) {
    const layers = []
    let base = [{ r: 255, g: 255, b: 255, a: 1 }]
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e)
      const grad = gradientColors(cs.backgroundImage)
      if (grad) {
        base = grad
        break
      }
      const bg = parseColor(cs.backgroundColor)
      if (bg && bg.a > 0) {
        layers.push(bg)
        if (bg.a >= 1) break
      }
    }
    const stack = layers.slice().reverse() // outermost first, painted over the base
    return base.map((b) => stack.reduce((acc, l) => over(l, acc), b))
  }
  function describe(el) {
    const id = el.getAttribute('data-shot-id') || ''
    const cls = (el.getAttribute('class') || '').split(/\s+/).filter(Boolean).slice(0, 2).join('.')
    const text = (el.innerText || el.getAttribute('placeholder') || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 30)
    return el.tagName.toLowerCase() + (id ? '#' + id : '') + (cls ? '.' + cls : '') + (text ? ' 「' + text + '」' : '')
  }
  function exempt(el) {
    if (el.closest('.shot-chrome')) return 'chrome'
    if (el.closest('[class*="t-button--disabled"]') || el.closest('[class*="--disabled"]') || el.closest('[disabled]')) return 'disabled'
    return ''
  }

  const texts = []
  const exempted = []
  const all = document.querySelectorAll('body *')
  all.forEach((el) => {
    if (el.tagName === 'STYLE' || el.tagName === 'SCRIPT' || el.closest('svg')) return
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())
    let placeholder = false
    if (!own) {
      if ((el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && !el.value && el.getAttribute('placeholder')) placeholder = true
      else if ((el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && el.value) placeholder = false
      else return
    }
    if (hidden(el)) return
    const r = el.getBoundingClientRect()
    if (r.width < 1 || r.height < 1) return
    const cs = placeholder ? getComputedStyle(el, '::placeholder') : getComputedStyle(el)
    const size = parseFloat(cs.fontSize)
    const fg = parseColor(cs.color)
    if (!fg) return
    const alpha = fg.a * opacityOf(el)
    const worst = backgroundsOf(el)
      .map((bg) => ratio(over(Object.assign({}, fg, { a: alpha }), bg), bg))
      .reduce((m, x) => Math.min(m, x), Infinity)
    const item = { el: describe(el) + (placeholder ? ' (placeholder)' : ''), size, contrast: Math.round(worst * 100) / 100, bold: parseInt(cs.fontWeight, 10) >= 600 }
    const why = exempt(el)
    if (why) exempted.push(Object.assign(item, { why }))
    else texts.push(item)
  })

  const targets = []
  document.querySelectorAll('[data-tap], [data-input]').forEach((el) => {
    if (exempt(el) === 'chrome' || hidden(el)) return
    const r = el.getBoundingClientRect()
    if (r.width < 1 || r.height < 1) return
    targets.push({ el: describe(el), w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10, main: el.hasAttribute('data-main'), input: el.hasAttribute('data-input'), disabled: exempt(el) === 'disabled' })
  })

  // what makes the page wider than the phone (a scroll-x row may; it scrolls inside itself)
  const wide = []
  all.forEach((el) => {
    if (el.closest('wx-scroll-view') || el.closest('.shot-chrome') || hidden(el)) return
    const r = el.getBoundingClientRect()
    if (r.right > VIEW_W + 1 && r.width > 0) wide.push(describe(el) + ' right=' + Math.round(r.right))
  })

  return {
    height: Math.ceil(document.documentElement.scrollHeight),
    scrollWidth: document.documentElement.scrollWidth,
    texts,
    exempted,
    targets,
    wide: wide.slice(0, 5),
  }
}
