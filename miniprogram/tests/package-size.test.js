// WeChat's package limits: 2 MB for the main package (TDesign's components included, as DevTools
// ships them) and for each subpackage, 20 MB in all. `node tools/package-size.js` prints the table
// the README carries.
const { measure, LIMIT, TOTAL_LIMIT } = require('../tools/package-size')

test('every package is under 2 MB and all of them under 20 MB', () => {
  const m = measure()
  m.packages.forEach((p) => expect([p.name, p.bytes < LIMIT]).toEqual([p.name, true]))
  expect(m.total).toBeLessThan(TOTAL_LIMIT)
})

test('each role has its subpackage; the tab pages and what everyone opens stay in the main one', () => {
  const m = measure()
  expect(m.packages.map((p) => p.name)).toEqual(['main', 'member', 'dispatch', 'grid', 'issue', 'stats', 'airing', 'proposal', 'cobuild', 'project', 'assess'])
  const main = m.packages[0]
  expect(main.tdesign).toBeGreaterThan(0)
  expect(main.tdesignComponents).toEqual(expect.arrayContaining(['button', 'tabs', 'check-tag', 'tag', 'icon']))
})
