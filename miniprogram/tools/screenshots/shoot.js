// `make screenshots` step 2: shoots every screenshots/*.html written by the specs with Debian's
// Chromium at 375 × 812 CSS px (DPR 2), measures each screen (measure.js) and checks it against the
// standard of issue 15:
//   standard  text ≥ 14 px, contrast ≥ 4.5:1, every tap target ≥ 44 × 44 px
//   长辈模式  text ≥ 18 px, contrast ≥ 4.5:1, every tap target ≥ 44 × 44 px, main actions ≥ 60 × 60 px
//   both      nothing wider than the phone (375 px)
// Writes <name>.png (the first screen), <name>.full.png (the whole page, when taller) and
// metrics.json (per screen: the smallest text, the lowest contrast, the smallest target and the
// smallest main target, each with its element; the problems). Exits 1 when a screen breaks it.
// Usage: node shoot.js [name-filter]
const fs = require('fs')
const path = require('path')
const puppeteer = require('puppeteer-core')
const measure = require('./measure')

const MP = path.resolve(__dirname, '../..')
const OUT = process.env.SHOT_DIR || path.join(MP, 'screenshots')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const filter = process.argv[2] || ''

const STANDARD = {
  standard: { minText: 16, minContrast: 4.5, minTarget: 44, minMain: 44 },
  elder: { minText: 18, minContrast: 4.5, minTarget: 60, minMain: 60 },
  maxWidth: 375,
}

function check(name, mode, m) {
  const rule = STANDARD[mode] || STANDARD.standard
  const problems = []
  const smallestText = m.texts.reduce((a, t) => (!a || t.size < a.size ? t : a), null)
  const lowestContrast = m.texts.reduce((a, t) => (!a || t.contrast < a.contrast ? t : a), null)
  const live = m.targets.filter((t) => !t.disabled)
  const smallestTarget = live.reduce((a, t) => (!a || Math.min(t.w, t.h) < Math.min(a.w, a.h) ? t : a), null)
  const mains = live.filter((t) => t.main)
  const smallestMain = mains.reduce((a, t) => (!a || Math.min(t.w, t.h) < Math.min(a.w, a.h) ? t : a), null)
  m.texts.filter((t) => t.size < rule.minText - 0.01).forEach((t) => problems.push('text ' + t.size + 'px < ' + rule.minText + ': ' + t.el))
  m.texts.filter((t) => t.contrast < rule.minContrast).forEach((t) => problems.push('contrast ' + t.contrast + ' < ' + rule.minContrast + ': ' + t.el))
  live.filter((t) => Math.min(t.w, t.h) < rule.minTarget - 0.01).forEach((t) => problems.push('target ' + t.w + '×' + t.h + ' < ' + rule.minTarget + ': ' + t.el))
  mains.filter((t) => Math.min(t.w, t.h) < rule.minMain - 0.01).forEach((t) => problems.push('main action ' + t.w + '×' + t.h + ' < ' + rule.minMain + ': ' + t.el))
  if (m.scrollWidth > STANDARD.maxWidth) problems.push('page ' + m.scrollWidth + 'px wide: ' + m.wide.join('; '))
  return {
    smallestText: smallestText && { size: smallestText.size, el: smallestText.el },
    lowestContrast: lowestContrast && { ratio: lowestContrast.contrast, el: lowestContrast.el },
    smallestTarget: smallestTarget && { w: smallestTarget.w, h: smallestTarget.h, el: smallestTarget.el },
    smallestMainTarget: smallestMain && { w: smallestMain.w, h: smallestMain.h, el: smallestMain.el },
    texts: m.texts.length,
    targets: live.length,
    exempt: m.exempted.length + m.targets.filter((t) => t.disabled).length,
    height: m.height,
    width: m.scrollWidth,
    problems,
    pass: problems.length === 0,
  }
}

;(async () => {
  const files = fs.readdirSync(OUT).filter((f) => f.endsWith('.html') && f.indexOf(filter) >= 0).sort()
  if (!files.length) {
    console.error('no screens in ' + OUT + ' (run the specs first: node tools/screenshots/run.js)')
    process.exit(1)
  }
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars', '--font-render-hinting=none'],
  })
  const metricsFile = path.join(OUT, 'metrics.json')
  const previous = filter && fs.existsSync(metricsFile) ? JSON.parse(fs.readFileSync(metricsFile, 'utf8')).screens || {} : {}
  const screens = Object.assign({}, previous)
  for (const f of files) {
    const name = f.replace(/\.html$/, '')
    const [pageName, state, mode] = name.split('--')
    const page = await browser.newPage()
    await page.setViewport({ width: 375, height: 812, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    // offline: nothing but the file itself (the icon font's CDN would be unreachable anyway)
    await page.setRequestInterception(true)
    page.on('request', (r) => (r.url().startsWith('file:') || r.url().startsWith('data:') ? r.continue() : r.abort()))
    await page.goto('file://' + path.join(OUT, f), { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready)
    const m = await page.evaluate(measure)
    await page.screenshot({ path: path.join(OUT, name + '.png') })
    const full = path.join(OUT, name + '.full.png')
    if (m.height > 812 + 48) {
      await page.setViewport({ width: 375, height: Math.min(m.height, 6000), deviceScaleFactor: 2, isMobile: true, hasTouch: true })
      await page.screenshot({ path: full })
    } else if (fs.existsSync(full)) {
      fs.unlinkSync(full)
    }
    await page.close()
    const result = check(name, mode, m)
    screens[name] = Object.assign({ page: pageName, state, mode }, result)
    console.log((result.pass ? 'ok   ' : 'FAIL ') + name + '  text≥' + (result.smallestText ? result.smallestText.size : '-') + 'px  contrast≥' + (result.lowestContrast ? result.lowestContrast.ratio : '-') + '  target≥' + (result.smallestTarget ? Math.min(result.smallestTarget.w, result.smallestTarget.h) : '-') + 'px' + (result.pass ? '' : '\n       ' + result.problems.slice(0, 6).join('\n       ')))
  }
  await browser.close()
  const names = Object.keys(screens).sort()
  const failing = names.filter((n) => !screens[n].pass)
  const sorted = {}
  names.forEach((n) => (sorted[n] = screens[n]))
  fs.writeFileSync(
    metricsFile,
    JSON.stringify({ standard: STANDARD, count: names.length, failing, pages: Array.from(new Set(names.map((n) => screens[n].page))).length, screens: sorted }, null, 2) + '\n'
  )
  console.log('\n' + names.length + ' screens, ' + failing.length + ' failing the standard; metrics in ' + path.relative(process.cwd(), metricsFile))
  process.exit(failing.length ? 1 : 0)
})().catch((e) => {
  console.error(e)
  process.exit(1)
})
