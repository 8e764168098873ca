// The standard of issue 15, where it can be checked without a browser (the rendered screens are
// measured by `make screenshots`): the design tokens in app.wxss, no font size or pale colour
// scattered in a page's WXSS, every page in the tokens' scope, 44 px targets from TDesign.
const fs = require('fs')
const path = require('path')

const ROOT = path.resolve(__dirname, '..')
const APP_WXSS = fs.readFileSync(path.join(ROOT, 'app.wxss'), 'utf8')

function files(dirs, ext) {
  const out = []
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).forEach((d) => {
      const full = path.join(dir, d.name)
      if (d.isDirectory()) walk(full)
      else if (d.name.endsWith(ext)) out.push(full)
    })
  dirs.forEach((d) => walk(path.join(ROOT, d)))
  return out
}
const rel = (f) => path.relative(ROOT, f)

// The declarations of one rule of app.wxss, by its selector as written.
function block(selector) {
  const i = APP_WXSS.indexOf(selector + ' {')
  if (i < 0) throw new Error('no rule ' + selector + ' in app.wxss')
  const body = APP_WXSS.slice(APP_WXSS.indexOf('{', i) + 1, APP_WXSS.indexOf('\n}', i))
  const vars = {}
  body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(--[\w-]+)\s*:\s*([^;]+);/g, (m, k, v) => {
    vars[k] = v.trim()
  })
  return vars
}

const STANDARD = block('.page,\n.hh-root')
const ELDER = Object.assign({}, STANDARD, block('.mode-elder'))

// "calc(16px * var(--hh-scale))" → 16 (at the smallest scale, 1)
function px(value) {
  const m = /(-?\d+(?:\.\d+)?)px/.exec(value || '')
  if (!m) throw new Error('not a px size: ' + value)
  return Number(m[1])
}

function lum(hex) {
  const h = hex.replace('#', '')
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)))
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
function contrast(a, b) {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}
const hexOf = (v) => /#[0-9a-fA-F]{3,6}\b/.exec(v)[0]

describe('design tokens', () => {
  test('standard mode: nothing under 16 px, line height ≥ 1.3, targets ≥ 44 px', () => {
    Object.keys(STANDARD)
      .filter((k) => k.indexOf('--hh-text-') === 0)
      .forEach((k) => expect([k, px(STANDARD[k]) >= 16]).toEqual([k, true]))
    expect(px(STANDARD['--hh-text-title'])).toBeGreaterThanOrEqual(px(STANDARD['--hh-text-body']))
    expect(Number(STANDARD['--hh-line'])).toBeGreaterThanOrEqual(1.3)
    expect(px(STANDARD['--hh-tap'])).toBeGreaterThanOrEqual(44)
    expect(px(STANDARD['--hh-tap-main'])).toBeGreaterThanOrEqual(44)
  })

  test('长辈模式: main text ≥ 18 px and nothing smaller, every target ≥ 60 px', () => {
    Object.keys(ELDER)
      .filter((k) => k.indexOf('--hh-text-') === 0)
      .forEach((k) => expect([k, px(ELDER[k]) >= 18]).toEqual([k, true]))
    expect(px(ELDER['--hh-text-body'])).toBeGreaterThanOrEqual(18)
    expect(px(ELDER['--hh-tap-main'])).toBeGreaterThanOrEqual(60)
    expect(px(ELDER['--hh-tap'])).toBeGreaterThanOrEqual(60)
  })

  test('every text size scales with the WeChat font size (--hh-scale)', () => {
    Object.keys(STANDARD)
      .filter((k) => k.indexOf('--hh-text-') === 0)
      .forEach((k) => {
        expect([k, STANDARD[k]]).toEqual([k, expect.stringMatching(/calc\(\d+px \* var\(--hh-scale\)\)/)])
        expect([k, ELDER[k]]).toEqual([k, expect.stringMatching(/calc\(\d+px \* var\(--hh-scale\)\)/)])
      })
  })

  test('text colours are at least 4.5:1 on white and on the page grey; tag text on its tint too', () => {
    const TEXT = ['--hh-color-text', '--hh-color-secondary', '--hh-color-placeholder', '--hh-color-brand', '--hh-color-brand-dark', '--hh-color-link', '--hh-color-danger', '--hh-color-warning', '--hh-color-success']
    TEXT.forEach((k) => {
      const c = hexOf(STANDARD[k])
      expect([k, contrast(c, '#ffffff') >= 4.5]).toEqual([k, true])
      expect([k, contrast(c, hexOf(STANDARD['--hh-color-bg'])) >= 4.5]).toEqual([k, true])
    })
    const ON_TINT = [
      ['--hh-color-brand-dark', '--hh-color-brand-tint'],
      ['--hh-color-danger', '--hh-color-danger-tint'],
      ['--hh-color-warning', '--hh-color-warning-tint'],
      ['--hh-color-success', '--hh-color-success-tint'],
      ['--td-tag-primary-color', '--td-tag-primary-light-color'],
      ['--td-tag-danger-color', '--td-error-color-1'],
      ['--td-tag-warning-color', '--td-warning-color-1'],
      ['--td-tag-success-color', '--td-success-color-1'],
    ]
    ON_TINT.forEach(([fg, bg]) => expect([fg, contrast(hexOf(STANDARD[fg]), hexOf(STANDARD[bg])) >= 4.5]).toEqual([fg, true]))
    // white on the buttons and the red nav bar / hero
    ;['--td-brand-color', '--td-error-color', '--td-warning-color', '--td-success-color'].forEach((k) =>
      expect([k, contrast('#ffffff', hexOf(STANDARD[k])) >= 4.5]).toEqual([k, true])
    )
    // placeholders and TDesign's secondary text are dark enough
    ;['--td-text-color-placeholder', '--td-text-color-secondary', '--td-input-placeholder-text-color', '--td-cell-note-color', '--td-empty-description-color'].forEach((k) =>
      expect([k, contrast(hexOf(STANDARD[k]), '#ffffff') >= 4.5]).toEqual([k, true])
    )
  })

  test('TDesign sizes come from the tokens: fonts, button and tab heights', () => {
    ;['--td-font-body-small', '--td-font-body-medium', '--td-font-body-large', '--td-font-body-extraSmall', '--td-tag-small-font', '--td-tab-font', '--td-button-small-font'].forEach((k) =>
      expect([k, STANDARD[k]]).toEqual([k, expect.stringMatching(/var\(--hh-text-/)])
    )
    ;['--td-button-extra-small-height', '--td-button-small-height', '--td-button-medium-height', '--td-tab-item-height', '--td-search-height'].forEach((k) =>
      expect([k, STANDARD[k]]).toEqual([k, expect.stringMatching(/var\(--hh-tap/)])
    )
  })
})

describe('no sizes or pale colours scattered across pages', () => {
  const WXSS = files(['pages', 'components', 'custom-tab-bar'], '.wxss')

  test('no page or component sets a font size of its own: only var(--hh-text-*)', () => {
    const offenders = []
    WXSS.forEach((f) => {
      const src = fs.readFileSync(f, 'utf8')
      src.replace(/font-size\s*:\s*([^;}]+)/g, (m, v) => {
        if (!/^var\(--hh-text-[\w-]+\)$/.test(v.trim()) && v.trim() !== 'inherit') offenders.push(rel(f) + ': ' + m)
      })
    })
    expect(offenders).toEqual([])
  })

  test('no font size below the floor anywhere in app.wxss either', () => {
    const literal = []
    APP_WXSS.replace(/font-size\s*:\s*([^;}]+)/g, (m, v) => {
      if (!/var\(--/.test(v)) literal.push(m)
    })
    expect(literal).toEqual([])
  })

  test('literal text colours in WXSS are dark enough (4.5:1 on white), or white on a coloured token', () => {
    const offenders = []
    WXSS.concat([path.join(ROOT, 'app.wxss')]).forEach((f) => {
      const src = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
      src.replace(/(^|[;{\s])color\s*:\s*(#[0-9a-fA-F]{3,6})\b/g, (m, pre, hex) => {
        const h = hex.toLowerCase()
        if (h === '#fff' || h === '#ffffff') return
        if (contrast(h, '#ffffff') < 4.5) offenders.push(rel(f) + ': color ' + hex)
      })
    })
    expect(offenders).toEqual([])
  })

  test('no small buttons (the 32 px size="small"), and no classes on TDesign components (dropped by virtual hosts)', () => {
    const offenders = []
    files(['pages', 'components', 'custom-tab-bar'], '.wxml').forEach((f) => {
      const src = fs.readFileSync(f, 'utf8')
      ;(src.match(/<t-button\b[^>]*>/g) || []).forEach((tag) => {
        if (/\bsize="(small|extra-small)"/.test(tag)) offenders.push(rel(f) + ': ' + tag.slice(0, 60))
      })
      ;(src.match(/<t-[\w-]+\b[^>]*>/g) || []).forEach((tag) => {
        if (/\sclass="/.test(tag)) offenders.push(rel(f) + ': class on ' + tag.slice(0, 60))
      })
    })
    expect(offenders).toEqual([])
  })

  test('filters are TDesign components: no hand-rolled pill classes left', () => {
    const offenders = []
    files(['pages', 'components'], '.wxml').forEach((f) => {
      const src = fs.readFileSync(f, 'utf8')
      ;(src.match(/class="[^"]*"/g) || []).forEach((c) => {
        if (/["\s](filter|chip|chip--on|filter--on|chip--small)["\s]/.test(c)) offenders.push(rel(f) + ': ' + c)
      })
    })
    expect(offenders).toEqual([])
  })

  test('text fields are 44 px tall targets (t-class-input / t-class-textarea), the search clear too', () => {
    const offenders = []
    files(['pages', 'components'], '.wxml').forEach((f) => {
      const src = fs.readFileSync(f, 'utf8')
      ;(src.match(/<t-(input|search)\b[^>]*>/g) || []).forEach((tag) => {
        if (!/t-class-input="hh-input"/.test(tag)) offenders.push(rel(f) + ': ' + tag.slice(0, 50))
        if (/^<t-search/.test(tag) && !/t-class-clear="hh-search-clear"/.test(tag)) offenders.push(rel(f) + ': ' + tag.slice(0, 50))
      })
      ;(src.match(/<t-textarea\b[^>]*>/g) || []).forEach((tag) => {
        if (!/t-class-textarea="hh-textarea"/.test(tag)) offenders.push(rel(f) + ': ' + tag.slice(0, 50))
      })
    })
    expect(offenders).toEqual([])
  })

  test('switches get a 44 px target (their own 32 px body is padded)', () => {
    const offenders = []
    files(['pages', 'components'], '.wxml').forEach((f) => {
      ;(fs.readFileSync(f, 'utf8').match(/<t-switch\b[^>]*>/g) || []).forEach((tag) => {
        if (!/custom-style="[^"]*--hh-tap/.test(tag)) offenders.push(rel(f) + ': ' + tag.slice(0, 60))
      })
    })
    expect(offenders).toEqual([])
  })
})

describe('every page is in the tokens\' scope and follows 长辈模式', () => {
  const app = require('../app.json')
  const pages = app.pages.slice()
  ;(app.subPackages || []).forEach((sp) => sp.pages.forEach((p) => pages.push(sp.root + '/' + p)))

  test.each(pages.concat(['custom-tab-bar/index']))('%s', (p) => {
    const wxml = fs.readFileSync(path.join(ROOT, p + '.wxml'), 'utf8')
    const js = fs.readFileSync(path.join(ROOT, p + '.js'), 'utf8')
    expect(wxml.split('\n')[0]).toMatch(/^<view class="(page|tab-bar hh-root) \{\{ui\.cls\}\}" style="\{\{ui\.style\}\}">/)
    expect(js).toMatch(/require\('(\.\.\/)+behaviors\/ui-mode'\)/)
    expect(js).toMatch(/behaviors: \[[^\]]*uiMode[^\]]*\]/)
  })
})
